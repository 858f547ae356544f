import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createGovernmentActivities } from '../../activities/government';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { FanOut } from '../../shared/domain/government/fan-out';
import { createTestActivities } from '../helpers/activities';
import { completeSubmission, startAccepted } from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker } from '../helpers/workers';

const toll = { actor: 'ops', lapseId: 'lapse-retried', reason: 'Appropriations lapsed' };
const operationKey = 'lapse:lapse-retried';

/**
 * The chaos run killed the worker in the middle of a funding-lapse fan-out; the retried attempt listed the open
 * cases again, and cases the first attempt had reached had closed meanwhile, so the answer left them out
 * although the message was in their timelines.
 */
describe('government activities: reaching every open case', () => {
  it('answers, on a retry, the receipt of a case the last attempt reached before it closed', async () => {
    await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const scheduledTimestampMs = Date.now();
      const { h: reached } = await startAccepted(client, taskQueue, completeSubmission());
      const { h: open } = await startAccepted(client, taskQueue, completeSubmission());
      const caseOf = (workflowId: string) => workflowId.replace(/^review-/, '');
      // The first attempt reached this case (same update id), then the case closed.
      const receipt = await reached.executeUpdate(M.tollClocks.update, {
        args: [toll],
        updateId: `${operationKey}:${caseOf(reached.workflowId)}`,
      });
      await reached.terminate('closed before the retry');
      // The lists are eventually consistent: wait until they show one case open and one closed (the lab's
      // record, which the cases report to, runs on the task queue too).
      const cases = `WorkflowType = 'review' AND TaskQueue = '${taskQueue}'`;
      await waitFor(
        () =>
          Promise.all([
            client.workflow.count(`${cases} AND ExecutionStatus = 'Running'`),
            client.workflow.count(`${cases} AND ExecutionStatus != 'Running'`),
          ]),
        ([running, closed]) => running.count === 1 && closed.count === 1,
        'one case open and one closed in the lists',
      );
      const env = new MockActivityEnvironment({ taskQueue, attempt: 2, scheduledTimestampMs }, { client });
      const government = createGovernmentActivities({ visibilitySettleMs: 10 });
      const report: FanOut = await env.run((input) => government.reachOpenCases(input), {
        message: 'tollClocks' as const,
        payload: toll,
        operationKey,
      });
      const byCase = new Map(report.results.map((r) => [r.caseId, r]));
      assert.deepEqual(byCase.get(caseOf(reached.workflowId))?.receipt, { seq: receipt.seq, at: receipt.at });
      assert.equal(byCase.get(caseOf(open.workflowId))?.outcome, 'APPLIED');
      assert.equal(report.applied, 2);
      await open.terminate('test done');
    });
  });
});
