import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { ArchivedCases, RecordVerifyingKey } from '../../shared/api/responses';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { entriesOf, keyIdOf, verifyRecord } from '../../shared/node/permanent-record';
import { testRecordSigner } from '../helpers/activities';
import { assertProblem, exportedRecord, file, ok, read, untilStage, withGateway } from './support';

describe('gateway: the permanent record (issue 15)', function () {
  this.timeout(5 * 60_000);
  it('exports a closed case’s signed record to the chair and operations, lists it, and reads the case from it once Temporal deleted it', async () => {
    await withGateway(async (gw) => {
      const { lab, ops, chair, NSA } = gw.parties;
      const caseId = await file(gw);
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', lab);
      // Open: no record yet.
      assertProblem(await gw.call(ops, 'GET', `/v1/submissions/${caseId}/record`), 404, 'RECORD_NOT_FOUND');

      const withdrawn = await gw.call(lab, 'POST', `/v1/submissions/${caseId}/withdrawal`, {
        reason: 'not yet',
      });
      assert.equal(withdrawn.status, 200, withdrawn.text);
      const exported = await exportedRecord(gw, caseId);
      assert.match(String(exported.headers['content-type']), /^application\/jsonl/);
      const text = exported.text;
      assert.equal(verifyRecord(text, testRecordSigner.publicKey).ok, true);
      const head = entriesOf(text)[0];
      assert.deepEqual([head.kind, head.caseId, head.closedReason], ['CASE', caseId, 'WITHDRAWN']);
      assert.equal((await gw.call(chair, 'GET', `/v1/submissions/${caseId}/record`)).text, text);
      // Not the lab's or an agency's to export.
      assertProblem(await gw.call(lab, 'GET', `/v1/submissions/${caseId}/record`), 403, 'FORBIDDEN');
      assertProblem(await gw.call(NSA, 'GET', `/v1/submissions/${caseId}/record`), 403, 'FORBIDDEN');

      // The verifying key is public.
      const key = ok(await gw.call(undefined, 'GET', '/v1/records/verifying-key'), RecordVerifyingKey);
      assert.equal(key.keyId, keyIdOf(testRecordSigner.publicKey));
      assert.equal(verifyRecord(text, createPublicKey(key.pem)).ok, true);

      const listed = ok(await gw.call(ops, 'GET', '/v1/archive/cases?pageSize=100'), ArchivedCases);
      const item = listed.items.find((c) => c.caseId === caseId);
      assert.deepEqual(item && [item.closedReason, item.labId], ['WITHDRAWN', caseId.split(':')[0]]);
      assertProblem(await gw.call(lab, 'GET', '/v1/archive/cases'), 403, 'FORBIDDEN');

      // What retention does: the closed case's workflow and history are deleted from Temporal.
      const h = gw.client.workflow.getHandle(reviewWorkflowId(caseId));
      await h.result();
      const before = await read(gw, ops, caseId);
      const { runId } = await h.describe();
      await gw.client.workflowService.deleteWorkflowExecution({
        namespace: gw.namespace,
        workflowExecution: { workflowId: h.workflowId, runId },
      });
      // The server deletes asynchronously, once the closed workflow's own tasks are done (20 s and more here).
      for (
        let waited = 0;
        (await h.describe().then(
          () => 'present',
          () => 'gone',
        )) === 'present';
        waited += 2
      ) {
        assert.ok(waited < 180, `${h.workflowId} was not deleted within 3 minutes`);
        await new Promise((r) => setTimeout(r, 2000));
      }
      // The case is still readable, from its record: by operations and by its lab, each with their own view.
      const afterOps = await read(gw, ops, caseId);
      assert.deepEqual(
        [afterOps.stage, afterOps.view, afterOps.timeline.length],
        ['CLOSED', before.view, before.timeline.length],
      );
      const afterLab = await read(gw, lab, caseId.split(':')[1]);
      assert.deepEqual([afterLab.stage, afterLab.view], ['CLOSED', 'lab']);
      assertProblem(
        await gw.call(gw.parties.otherLab, 'GET', `/v1/submissions/${caseId}`),
        404,
        'CASE_NOT_FOUND',
      );
      // And its record still exports.
      assert.equal((await gw.call(ops, 'GET', `/v1/submissions/${caseId}/record`)).text, text);
    });
  });
});
