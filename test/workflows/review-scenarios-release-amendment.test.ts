import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  DAY_MS,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  NS_AGENCIES,
  skipTo,
  startAccepted,
  status,
  untilDelivered,
  untilStage,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the lab moves its release earlier during the civilian stage (scenario 9)', () => {
  it('compresses the open deadlines into the time left, and a civilian silent at its compressed deadline makes the review incomplete at the new window end', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear();
      const { h, day0 } = await startAccepted(client, taskQueue, submission);
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');

      await skipTo(h, day0 + 50 * DAY_MS);
      const release = day0 + 60 * DAY_MS;
      const amended = await h.executeUpdate(M.amendReleaseDate.update, {
        args: [{ actor: 'lab:acme', plannedReleaseDate: iso(release) }],
      });

      // compress(): the time left before each due time shrinks as the window's time left did (40 -> 10 days).
      const now = Date.parse(amended.at);
      const factor = (release - now) / (day0 + 90 * DAY_MS - now);
      const compressed = (days: number) => iso(now + Math.round((day0 + days * DAY_MS - now) * factor));
      const s = await status(h);
      assert.equal(s.windowEnd, iso(release));
      assert.deepEqual(s.flags, ['SHORT_NOTICE', 'AT_RISK']);
      assert.deepEqual(
        Object.fromEntries(s.deadlines.filter((d) => d.metAt === undefined).map((d) => [d.key, d.dueAt])),
        {
          window: iso(release),
          'stage:CIVILIAN': compressed(75),
          'agency:CIVILIAN:CAISI': compressed(75),
          'agency:CIVILIAN:DOE': compressed(75),
          'agency:CIVILIAN:TREASURY': compressed(75),
          determination: compressed(85),
        },
      );

      await noConcernsFrom(h, ['CAISI', 'DOE']);
      await untilDelivered(h);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'REVIEW_INCOMPLETE',
      });
      atOrJustAfter(closedAt, release);

      const closed = await status(h);
      const treasury = closed.agencies.find((a) => a.agency === 'TREASURY');
      assert.equal(treasury?.decision?.kind, 'NO_RESPONSE');
      atOrJustAfter(treasury?.decision?.recordedAt, Date.parse(compressed(75)));
      assert.equal(closed.determination?.outcome, 'REVIEW_INCOMPLETE');
      atOrJustAfter(closed.determination?.issuedAt, Date.parse(compressed(75)));
      assert.deepEqual(closed.flags, ['SHORT_NOTICE', 'NO_RESPONSE']);
    });
  });
});
