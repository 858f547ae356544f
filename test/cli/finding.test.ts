import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { FindingFiled, FindingView } from '../../shared/api/findings';
import { findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { file, untilStage } from '../gateway/support';
import { trackWorkflow } from '../helpers/workers';
import { jsonOf, openLiveApi, rowOf, succeeded, type LiveApi } from './support';

describe('cli: clearinghouse findings', () => {
  let api: LiveApi;
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('files a finding on a case, shows it at the reader’s TLP detail, and validates, extends and remediates it', async () => {
    const { gw } = api;
    const { NSA, TREASURY, lab } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const filed = jsonOf(
      await api.as(
        NSA,
        ...['finding', 'file', '--case', id, '--title', 'exploit chain', '--description', 'two CVEs chained'],
        ...['--cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '--tlp', 'RED', '--json'],
      ),
      FindingFiled,
    );
    trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(filed.findingId)));

    const shown = succeeded(await api.as(TREASURY, 'finding', 'show', filed.findingId));
    assert.deepEqual(rowOf(shown, 'title'), ['title', 'exploit chain']);
    assert.deepEqual(rowOf(shown, 'severity'), ['severity', 'CRITICAL (9.8)']);
    const forLab = succeeded(await api.as(lab, 'finding', 'show', filed.findingId));
    assert.match(forLab, /withheld/);
    assert.ok(!forLab.includes('exploit chain'));

    assert.match(
      succeeded(await api.as(TREASURY, 'finding', 'validate', filed.findingId, '--note', 'reproduced')),
      /FINDING_VALIDATED .* the finding is VALIDATED/,
    );
    assert.match(
      succeeded(await api.as(lab, 'finding', 'extend', filed.findingId, '--reason', 'retraining')),
      /REMEDIATION_EXTENDED/,
    );
    const refused = await api.as(lab, 'finding', 'extend', filed.findingId, '--reason', 'again');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /FINDING_EXTENSION_USED/);
    succeeded(await api.as(NSA, 'finding', 'remediated', filed.findingId));
    const after = jsonOf(await api.as(NSA, 'finding', 'show', filed.findingId, '--json'), FindingView);
    assertEventTypes(after.timeline, [
      'FINDING_RECEIVED',
      'FINDING_VALIDATED',
      'REMEDIATION_EXTENDED',
      'FINDING_REMEDIATED',
    ]);
  });
});
