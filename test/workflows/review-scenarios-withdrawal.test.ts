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
import { dayDue, endOfDay, instantIn, plusDays, washington } from '../helpers/washington';
import { uniqueId, withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the lab withdraws on day 10 and resubmits (scenario 10)', () => {
  it('closes the case as WITHDRAWN, and the resubmission is a new case linked to it with a fresh clock', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const first = await filingReleasedInAYear();
      const { h, day0 } = await startAccepted(client, taskQueue, first);

      // Noon in Washington on day 10 (the 10th day after the day of acceptance).
      await skipTo(h, instantIn(plusDays(washington(day0).date, 10), '12:00'));
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
      // The fresh clock counts Washington days from the new day of acceptance.
      assert.equal(s.windowEnd, iso(endOfDay(newDay0, 90)));
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.dueAt]),
        [
          ['NSA', iso(dayDue(newDay0, 45))],
          ['CISA', iso(dayDue(newDay0, 45))],
          ['DOW', iso(dayDue(newDay0, 45))],
          ['CAISI', iso(dayDue(newDay0, 75))],
          ['DOE', iso(dayDue(newDay0, 75))],
          ['TREASURY', iso(dayDue(newDay0, 75))],
        ],
      );
      await terminateWhenDelivered(h2);
    });
  });
});
