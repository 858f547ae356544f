import assert from 'node:assert/strict';
import { caseIdOfWorkflow } from '../../shared/domain/review/workflow';
import { entriesOf, verifyRecord } from '../../shared/node/permanent-record';
import { createTestActivities, testRecords, testRecordSigner } from '../helpers/activities';
import { completeSubmission, everyAgencyNoConcerns, startAccepted, status } from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the permanent record of a closed case (issue 15)', () => {
  it('writes a signed record once the last callbacks are out: the timeline, decisions, ledger, deliveries and the final status', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      const caseId = caseIdOfWorkflow(h.workflowId);
      await everyAgencyNoConcerns(h);
      assert.equal(await testRecords.get(caseId), undefined, 'no record while the case is open');
      await h.result();
      const closed = await status(h);

      const text = await testRecords.get(caseId);
      assert.ok(text !== undefined, 'the record was written');
      const verified = verifyRecord(text, testRecordSigner.publicKey);
      assert.equal(verified.ok, true, JSON.stringify(verified));

      const entries = entriesOf(text);
      const of = (kind: string) => entries.filter((e) => e.kind === kind);
      assert.equal(entries[0].kind, 'CASE');
      assert.deepEqual(
        [entries[0].caseId, entries[0].closedReason, entries[0].outcome, entries[0].rules, entries[0].policy],
        [caseId, 'WINDOW_ENDED', 'NO_CONCERNS_IDENTIFIED', 2, closed.policy],
      );
      assert.deepEqual(
        of('TIMELINE').map((e) => e.type),
        closed.timeline.map((t) => t.type),
      );
      assert.equal(of('DECISION').length, 6);
      assert.equal(of('DEADLINE').length, closed.deadlines.length);
      // Every lab event, and how each delivery ended: the last ones (WINDOW_ENDED, CLOSED) included.
      assert.equal(of('LAB_EVENT').length, 9);
      assert.deepEqual(
        of('DELIVERY').map((d) => (d.delivery as { status: string }).status),
        Array<string>(9).fill('DELIVERED'),
      );
      assert.equal(
        (of('DETERMINATION')[0].determination as { outcome: string }).outcome,
        'NO_CONCERNS_IDENTIFIED',
      );
      // The final status is what the status query answers once the case closed, as of its closing.
      const { status: final } = of('FINAL_STATUS')[0] as unknown as { status: typeof closed };
      assert.deepEqual({ ...final, asOf: closed.asOf }, closed);
      assert.equal(final.asOf, closed.closedAt);

      // Written once: a second write (an activity retried after a crash) finds it and changes nothing.
      assert.equal(await testRecords.putOnce(caseId, 'another record\n'), 'EXISTS');
      assert.equal(await testRecords.get(caseId), text);
    });
  });
});
