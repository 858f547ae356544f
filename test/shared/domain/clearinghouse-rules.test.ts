import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { FindingFiling } from '../../../shared/domain/clearinghouse/finding';
import { FINDING_MESSAGES } from '../../../shared/domain/clearinghouse/messages';
import { CURRENT_CLEARINGHOUSE_POLICY } from '../../../shared/domain/clearinghouse/policy';
import { receiveFinding, validateFinding } from '../../../shared/domain/clearinghouse/rules';
import { scoreCvss } from '../../../shared/node/cvss';
import { sealNote } from '../../../shared/node/note-seal';
import { noteErrorAsserted } from '../../helpers/ledger';
import { TEST_NOTE_RING } from '../../helpers/sealing';

const sealed = (text: string) =>
  sealNote(TEST_NOTE_RING, text, { record: 'finding-x', field: 'finding.timeline' });

describe('clearinghouse rules: the lab’s extension', () => {
  it('is refused once the remediation deadline has passed, with DEADLINE_PASSED', () => {
    const severity = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    assert.ok(!('error' in severity));
    const filed = new Date('2027-03-01T15:00:00Z');
    const r = receiveFinding(
      FindingFiling.parse({
        findingId: 'F-rules',
        labId: 'lab-a',
        filedBy: 'agency:NSA',
        tlp: 'AMBER',
        detail: { title: sealed('t'), description: sealed('d'), severity },
        policyId: CURRENT_CLEARINGHOUSE_POLICY,
      }),
      filed,
    );
    validateFinding(r, filed, 'agency:NSA');
    const ask = { actor: 'lab:lab-a', reason: sealed('the fix needs a retraining run') };
    const due = Date.parse(r.remediationDue!);
    // Just before the deadline it is taken; at the deadline it is refused.
    assert.doesNotThrow(() => FINDING_MESSAGES.extend.check(r, new Date(due - 1), ask));
    noteErrorAsserted('DEADLINE_PASSED');
    assert.throws(
      () => FINDING_MESSAGES.extend.check(r, new Date(due), ask),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'DEADLINE_PASSED',
    );
  });
});
