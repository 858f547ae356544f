import assert from 'node:assert/strict';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  skip,
  startReview,
  status,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { uniqueId, withTimeSkippingWorker } from '../helpers/workers';
import { testServers } from '../setup/servers';

const iso = (ms: number) => new Date(ms).toISOString();
const serverNow = () => testServers().timeSkipping.currentTimeMs();

/**
 * Waits (real time, bounded) until the lab has every event so far. The time-skipping server must not skip
 * time, and a case must not end, while a callback delivery is in flight: terminating such a case leaves the
 * server's time locked for every later test.
 */
async function untilDelivered(h: ReviewHandle): Promise<ReviewStatus> {
  let s = await status(h);
  for (let i = 0; i < 200 && s.callbacks.pending > 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    s = await status(h);
  }
  assert.equal(s.callbacks.pending, 0, 'callbacks still pending');
  return s;
}

async function skipTo(h: ReviewHandle, at: number): Promise<void> {
  await untilDelivered(h);
  await skip(at - (await serverNow()));
}

describe('review workflow: the lab withdraws on day 10 and resubmits (scenario 10)', () => {
  it('closes the case as WITHDRAWN, and the resubmission is a new case linked to it with a fresh clock', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const first = completeSubmission({ plannedReleaseDate: iso((await serverNow()) + 365 * DAY_MS) });
      const h = await startReview(client, taskQueue, first);
      const day0 = Date.parse((await untilStage(h, 'NATIONAL_SECURITY')).acceptedAt!);

      await skipTo(h, day0 + 10 * DAY_MS);
      const withdrawn = await h.executeUpdate(M.withdrawUpdate, {
        args: [{ actor: 'lab:acme', reason: 'retraining with a new safety layer' }],
      });
      assert.deepEqual(await h.result(), {
        submissionId: first.submissionId,
        closedReason: 'WITHDRAWN',
        closedAt: withdrawn.at,
      });
      const old = await status(h);
      assert.deepEqual(
        old.timeline.slice(-2).map((e) => [e.actor, e.type]),
        [
          ['lab:acme', 'WITHDRAWN'],
          ['system', 'CLOSED'],
        ],
      );

      // Awaiting a result lets the time-skipping server's clock run on to any timer, so read it again.
      const resubmittedAt = await serverNow();
      const second = completeSubmission({
        submissionId: uniqueId('sub'),
        previousSubmissionId: first.submissionId,
        plannedReleaseDate: iso(resubmittedAt + 365 * DAY_MS),
      });
      const h2 = await startReview(client, taskQueue, second);
      const s = await untilStage(h2, 'NATIONAL_SECURITY');
      const newDay0 = Date.parse(s.acceptedAt!);
      assert.equal(s.previousSubmissionId, first.submissionId);
      assert.ok(newDay0 >= resubmittedAt && newDay0 < resubmittedAt + 60_000, `accepted at ${s.acceptedAt}`);
      assert.equal(s.windowEnd, iso(newDay0 + 90 * DAY_MS));
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.dueAt]),
        [
          ['NSA', iso(newDay0 + 45 * DAY_MS)],
          ['CISA', iso(newDay0 + 45 * DAY_MS)],
          ['DOW', iso(newDay0 + 45 * DAY_MS)],
          ['CAISI', iso(newDay0 + 75 * DAY_MS)],
          ['DOE', iso(newDay0 + 75 * DAY_MS)],
          ['TREASURY', iso(newDay0 + 75 * DAY_MS)],
        ],
      );
      await untilDelivered(h2);
      await h2.terminate('test done');
    });
  });
});
