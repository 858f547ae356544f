import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  filingReleasedInAYear,
  iso,
  serverNow,
  skipTo,
  startAccepted,
  status,
  terminateWhenDelivered,
} from '../helpers/review';
import { uniqueId, withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the lab withdraws on day 10 and resubmits (scenario 10)', () => {
  it('closes the case as WITHDRAWN, and the resubmission is a new case linked to it with a fresh clock', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const first = await filingReleasedInAYear();
      const { h, day0 } = await startAccepted(client, taskQueue, first);

      await skipTo(h, day0 + 10 * DAY_MS);
      const withdrawn = await h.executeUpdate(M.withdraw.update, {
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
      const { h: h2, accepted: s, day0: newDay0 } = await startAccepted(client, taskQueue, second);
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
      await terminateWhenDelivered(h2);
    });
  });
});
