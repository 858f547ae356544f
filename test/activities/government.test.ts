import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createGovernmentActivities } from '../../activities/government';
import type { FanOut, FanOutResult } from '../../shared/domain/government/messages';
import { createTestActivities } from '../helpers/activities';
import { completeSubmission, startAccepted } from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker } from '../helpers/workers';

/** A case an earlier attempt reached, which closed before the retry listed the open cases again. */
const reachedThenClosed: FanOutResult = {
  caseId: 'acme:closed-since',
  submissionId: 'closed-since',
  outcome: 'APPLIED',
  receipt: { seq: 26, at: '2026-11-30T21:06:57.000Z' },
};

/**
 * The chaos run killed the worker in the middle of a funding-lapse fan-out; the retried attempt listed the open
 * cases again, and two cases the first attempt had resumed had closed meanwhile, so the answer left them out
 * although the message was in their timelines.
 */
describe('government activities: reaching every open case', () => {
  it('answers what an earlier attempt reported, as well as the cases it reaches itself', async () => {
    await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      const caseId = h.workflowId.replace(/^review-/, '');
      // The list of open cases is eventually consistent: wait until it shows the case in its stage.
      await waitFor(
        () => client.workflow.count(`TaskQueue = '${taskQueue}' AND ReviewStage = 'NATIONAL_SECURITY'`),
        (n) => n.count === 1,
        'the case in the list of open cases',
      );
      const env = new MockActivityEnvironment(
        { taskQueue, heartbeatDetails: [reachedThenClosed], attempt: 2 },
        { client },
      );
      const beats: unknown[] = [];
      env.on('heartbeat', (d: unknown) => beats.push(d));
      const government = createGovernmentActivities({ visibilitySettleMs: 10 });
      const report: FanOut = await env.run((input) => government.reachOpenCases(input), {
        message: 'tollClocks' as const,
        payload: { actor: 'ops', lapseId: 'lapse-retried', reason: 'Appropriations lapsed' },
        operationKey: 'lapse:lapse-retried',
      });
      assert.deepEqual(
        report.results.map((r) => [r.caseId, r.outcome]),
        [
          ['acme:closed-since', 'APPLIED'],
          [caseId, 'APPLIED'],
        ],
      );
      assert.equal(report.applied, 2);
      // Its own heartbeats carry the report so far, for the attempt after it.
      assert.deepEqual(beats.at(-1), report.results);
      await h.terminate('test done');
    });
  });
});
