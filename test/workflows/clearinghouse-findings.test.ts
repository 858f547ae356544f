import assert from 'node:assert/strict';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  FindingFiling,
  type FindingFilingInput,
  type FindingRecord,
} from '../../shared/domain/clearinghouse/finding';
import { FINDING_MESSAGES, findingQuery } from '../../shared/domain/clearinghouse/messages';
import {
  CLEARINGHOUSE_POLICIES,
  CURRENT_CLEARINGHOUSE_POLICY,
} from '../../shared/domain/clearinghouse/policy';
import {
  FINDING_WORKFLOW_TYPE,
  findingRecordId,
  findingWorkflowId,
  type FindingResult,
} from '../../shared/domain/clearinghouse/workflow';
import { scoreCvss } from '../../shared/node/cvss';
import { openNote, sealedTexts, sealNote } from '../../shared/node/note-seal';
import { entriesOf, verifyRecord } from '../../shared/node/permanent-record';
import { Findings } from '../../gateway/findings';
import { FINDING_FIELDS, NotePlaces } from '../../gateway/note-places';
import type { Caller } from '../../gateway/auth';
import type { Cases } from '../../gateway/cases';
import { createTestActivities, testRecords, testRecordSigner } from '../helpers/activities';
import { startLabReceiver, type LabReceiver } from '../helpers/lab-receiver';
import { refusedUpdate } from '../helpers/assertions';
import { assertEventTypes, noteErrorAsserted } from '../helpers/ledger';
import { DAY_MS, serverNow, skip } from '../helpers/review';
import { TEST_NOTE_RING } from '../helpers/sealing';
import { waitFor } from '../helpers/wait';
import { businessDaysDue, endOfDay } from '../helpers/washington';
import { trackWorkflow, uniqueId, withTimeSkippingWorker } from '../helpers/workers';

const POLICY = CLEARINGHOUSE_POLICIES[CURRENT_CLEARINGHOUSE_POLICY];
const HOUR_MS = 3_600_000;
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const TITLE = 'Model writes a working exploit for a known router CVE';
const DESCRIPTION = 'Given the advisory alone, the model produced a working exploit in 3 of 5 tries.';

type FindingHandle = WorkflowHandle;

describe('clearinghouse: one finding from filing to its end (issue 15)', function () {
  this.timeout(120_000);
  let receiver: LabReceiver;
  before(async () => {
    receiver = await startLabReceiver();
  });
  after(async () => receiver.close());

  /** A finding NSA files about lab-a's model, sealed as the gateway seals it. */
  function filingOf(overrides: Partial<FindingFilingInput> = {}): FindingFilingInput {
    const severity = scoreCvss(CRITICAL);
    assert.ok(!('error' in severity));
    const findingId = overrides.findingId ?? uniqueId('F');
    const at = (field: string) => ({ record: findingWorkflowId(findingId), field });
    return FindingFiling.parse({
      findingId,
      labId: 'lab-a',
      caseId: `lab-a:${uniqueId('sub')}`,
      reviewers: ['NSA', 'CISA', 'DOW', 'CAISI', 'DOE', 'TREASURY'],
      filedBy: 'agency:NSA',
      tlp: 'AMBER',
      detail: {
        title: sealNote(TEST_NOTE_RING, TITLE, at(FINDING_FIELDS.title)),
        description: sealNote(TEST_NOTE_RING, DESCRIPTION, at(FINDING_FIELDS.description)),
        severity,
      },
      callbackUrl: receiver.url,
      policyId: CURRENT_CLEARINGHOUSE_POLICY,
      ...overrides,
    });
  }

  async function fileFinding(client: Client, taskQueue: string, filing: FindingFilingInput) {
    const h = await client.workflow.start(FINDING_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: findingWorkflowId(filing.findingId),
      args: [{ filing }],
    });
    trackWorkflow(taskQueue, h);
    return h;
  }

  const read = (h: FindingHandle): Promise<FindingRecord> => h.query(findingQuery);
  /** Where the gateway seals a finding's notes and reasons. */
  const timelineOf = (h: FindingHandle) => ({ record: h.workflowId, field: FINDING_FIELDS.timeline });
  /** Waits (real time, bounded) until the lab has every callback so far, so time can skip safely. */
  const delivered = (h: FindingHandle) =>
    waitFor(
      () => read(h),
      (r) => r.callbacks.every((c) => c.status !== 'PENDING'),
      'every finding callback delivered',
    );
  const send = <K extends keyof typeof FINDING_MESSAGES>(
    h: FindingHandle,
    key: K,
    actor: string,
    body: Record<string, unknown> = {},
  ) =>
    h.executeUpdate(FINDING_MESSAGES[key].update, {
      // Sealed as the gateway seals notes and reasons.
      args: [{ actor, ...sealedTexts(TEST_NOTE_RING, body, timelineOf(h)) }],
    });

  const refused = refusedUpdate;
  const typesDelivered = (filing: FindingFilingInput) => receiver.eventsFor(filing.caseId!);

  it('validates a finding within 5 business days, and ends it remediated, with a callback at each step and a signed record', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const filing = filingOf();
      const h = await fileFinding(client, taskQueue, filing);
      const received = await read(h);
      const filedAt = Date.parse(received.receivedAt);
      assert.equal(received.state, 'RECEIVED');
      assert.equal(
        Date.parse(received.validationDue),
        businessDaysDue(filedAt, POLICY.validationBusinessDays),
      );

      // Only the clearinghouse's agencies validate: a reviewing agency outside it and the lab are refused.
      await refused('NOT_ENTITLED', () => send(h, 'validate', 'agency:CAISI'));
      await refused('NOT_ENTITLED', () => send(h, 'validate', 'lab:lab-a'));
      await refused('FINDING_WRONG_STATE', () => send(h, 'remediated', 'agency:CISA'));

      await delivered(h);
      await skip(2 * DAY_MS);
      const validated = await send(h, 'validate', 'agency:TREASURY', { note: 'reproduced' });
      assert.deepEqual([validated.state, validated.event.type], ['VALIDATED', 'FINDING_VALIDATED']);
      const v = await read(h);
      assert.equal(
        Date.parse(v.remediationDue!),
        endOfDay(Date.parse(v.validatedAt!), POLICY.remediationDays),
      );
      await refused('FINDING_WRONG_STATE', () => send(h, 'validate', 'agency:NSA'));

      await delivered(h);
      await skip(40 * DAY_MS);
      await send(h, 'remediated', 'agency:CISA', { note: 'patched in 1.0.1' });
      const result = (await h.result()) as FindingResult;
      assert.equal(result.state, 'REMEDIATED');

      assertEventTypes(typesDelivered(filing), [
        'FINDING_RECEIVED',
        'FINDING_VALIDATED',
        'FINDING_REMEDIATED',
      ]);
      const last = receiver.eventsFor(filing.caseId!).at(-1)!;
      assert.equal(last.id, `finding:${filing.findingId}:3`);
      assert.equal((last.payload as { state: string }).state, 'REMEDIATED');
      // The callbacks never carry the title or description.
      assert.ok(!JSON.stringify(receiver.eventsFor(filing.caseId!)).includes(TITLE));

      const text = (await testRecords.get(findingRecordId(filing.findingId)))!;
      assert.equal(verifyRecord(text, testRecordSigner.publicKey).ok, true);
      const entries = entriesOf(text);
      assertEventTypes(
        entries.filter((e) => e.kind === 'TIMELINE'),
        ['FINDING_RECEIVED', 'FINDING_VALIDATED', 'FINDING_REMEDIATED'],
      );
      assert.deepEqual(
        entries.filter((e) => e.kind === 'DELIVERY').map((e) => (e.delivery as { status: string }).status),
        ['DELIVERED', 'DELIVERED', 'DELIVERED'],
      );
      // Sealed in the record as in the workflow: the record's readers do not read the detail from it.
      assert.ok(!text.includes(TITLE) && !text.includes(DESCRIPTION));
    });
  });

  it('rejects a finding with the reason, and ends it', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const filing = filingOf({ filedBy: 'lab:lab-a' });
      const h = await fileFinding(client, taskQueue, filing);
      await refused('VALIDATION_FAILED', () => send(h, 'reject', 'agency:NSA'));
      // A reason the gateway did not seal is refused.
      await refused('VALIDATION_FAILED', () =>
        h.executeUpdate(FINDING_MESSAGES.reject.update, { args: [{ actor: 'agency:NSA', reason: 'plain' }] }),
      );
      const rejected = await send(h, 'reject', 'agency:NSA', {
        reason: 'not reproducible on the released weights',
      });
      assert.equal(rejected.state, 'REJECTED');
      const r = await read(h);
      assert.equal(
        openNote(TEST_NOTE_RING, r.events.at(-1)!.note!, timelineOf(h)),
        'not reproducible on the released weights',
      );
      assert.ok(!JSON.stringify(r).includes('not reproducible'), 'the reason is sealed in the workflow');
      await refused('FINDING_CLOSED', () => send(h, 'validate', 'agency:NSA'));
      assert.equal(((await h.result()) as FindingResult).state, 'REJECTED');
      assertEventTypes(typesDelivered(filing), ['FINDING_RECEIVED', 'FINDING_REJECTED']);
    });
  });

  it('flags a late validation and a late remediation, takes the lab’s one extension, and discloses under the policy’s rule', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const filing = filingOf({ tlp: 'RED' });
      const h = await fileFinding(client, taskQueue, filing);
      const { validationDue } = await read(h);
      await delivered(h);
      await skip(Date.parse(validationDue) + HOUR_MS - (await serverNow()));
      const late = await waitFor(
        () => read(h),
        (r) => r.flags.includes('VALIDATION_OVERDUE'),
        'validation overdue',
      );
      assert.equal(late.state, 'RECEIVED');

      await send(h, 'validate', 'agency:NSA');
      const v = await read(h);
      assert.deepEqual(v.flags, [], 'validated: no longer overdue');
      const due = Date.parse(v.remediationDue!);

      await refused('NOT_ENTITLED', () => send(h, 'extend', 'lab:lab-b', { reason: 'not ours' }));
      await send(h, 'extend', 'lab:lab-a', { reason: 'the fix needs a retraining run' });
      const extended = await read(h);
      assert.equal(Date.parse(extended.remediationDue!), endOfDay(due - 1, POLICY.extensionDays));
      await refused('FINDING_EXTENSION_USED', () => send(h, 'extend', 'lab:lab-a', { reason: 'again' }));

      await delivered(h);
      const newDue = Date.parse(extended.remediationDue!);
      await skip(newDue + HOUR_MS - (await serverNow()));
      const overdue = await waitFor(
        () => read(h),
        (r) => r.flags.includes('REMEDIATION_OVERDUE'),
        'remediation overdue',
      );
      assert.equal(overdue.state, 'VALIDATED');
      assert.equal(
        Date.parse(overdue.disclosureDue!),
        endOfDay(newDue - 1, POLICY.disclosureAfterOverdueDays),
      );
      // Its one extension is spent (a lab without one is refused past the deadline: test/shared/domain).
      await refused('FINDING_EXTENSION_USED', () => send(h, 'extend', 'lab:lab-a', { reason: 'late' }));

      await delivered(h);
      const result = (await h.result()) as FindingResult;
      assert.equal(result.state, 'DISCLOSED');
      const r = await read(h);
      assert.equal(r.tlp, 'CLEAR', 'disclosed: public from now on');
      assert.equal(r.events.at(-1)!.actor, 'system');
      assert.ok(Date.parse(r.closedAt!) >= Date.parse(overdue.disclosureDue!));
      assertEventTypes(typesDelivered(filing), [
        'FINDING_RECEIVED',
        'VALIDATION_OVERDUE',
        'FINDING_VALIDATED',
        'REMEDIATION_EXTENDED',
        'REMEDIATION_OVERDUE',
        'FINDING_DISCLOSED',
      ]);
      // A TLP:RED finding's callbacks carried its rating only, until it was disclosed.
      const events = receiver.eventsFor(filing.caseId!);
      assert.deepEqual(Object.keys(events[0].payload.severity as object), ['rating']);
      assert.deepEqual(Object.keys(events.at(-1)!.payload.severity as object).sort(), [
        'rating',
        'score',
        'vector',
      ]);
    });
  });

  it('keeps a TLP:RED finding’s detail from the lab’s ordinary keys and the civilian agencies, and shows it to the clearinghouse, the filer and the lab’s security contacts', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const filing = filingOf({ tlp: 'RED', filedBy: 'agency:DOW' });
      const h = await fileFinding(client, taskQueue, filing);
      // The gateway's own reading of it, against this server.
      const findings = new Findings({
        temporal: client,
        taskQueue,
        callTimeoutMs: 10_000,
        notes: TEST_NOTE_RING,
        places: new NotePlaces({ temporal: client, notes: TEST_NOTE_RING, within: (fn) => fn() }),
        cases: undefined as unknown as Cases,
      });
      const as = (principal: string, securityContact = false): Caller =>
        ({ principal, role: principal.split(':')[0], keyId: 'key_test0000', securityContact }) as Caller;
      const view = (c: Caller) => findings.view(c, filing.findingId);

      for (const who of [as('agency:TREASURY'), as('agency:NSA'), as('agency:DOW'), as('lab:lab-a', true)]) {
        const v = await view(who);
        assert.equal(v.detail?.title, TITLE, who.principal);
        assert.equal(v.detail?.description, DESCRIPTION);
      }
      for (const who of [as('lab:lab-a'), as('agency:CAISI'), as('agency:DOE'), as('chair'), as('ops')]) {
        const v = await view(who);
        assert.equal(v.detailWithheld, true, who.principal);
        assert.equal(v.detail, undefined);
        assert.ok(!JSON.stringify(v).includes(TITLE));
        assert.ok(!JSON.stringify(v).includes('agency:DOW'), 'nor who filed it');
        assert.deepEqual(v.timeline[0].actor, 'agency');
        assert.equal(v.severity.rating, 'CRITICAL');
      }
      // Who is neither entitled to the detail nor concerned does not learn the finding exists.
      noteErrorAsserted('FINDING_NOT_FOUND');
      for (const who of [as('lab:lab-b'), as('agency:FBI')]) {
        await assert.rejects(
          () => view(who),
          (err: unknown) => (err as { code?: string }).code === 'FINDING_NOT_FOUND',
        );
      }
      // Not ended with a delivery in flight (see untilDelivered in test/helpers/review.ts).
      await delivered(h);
    });
  });
});
