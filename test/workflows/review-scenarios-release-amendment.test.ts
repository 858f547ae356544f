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
import { closeOfBusinessFrom, endOfDay, instantIn, plusDays, washington } from '../helpers/washington';
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

      // The time left before each due time (close of business on its day, before any move to a business day)
      // shrinks as the window's time left did (from 24:00 of day 90 to day 60: about 40 -> 10 days); the
      // compressed time falls due at the next close of business on a business day, never past the window's end.
      const now = Date.parse(amended.at);
      const factor = (release - now) / (endOfDay(day0, 90) - now);
      const raw = (days: number) => instantIn(plusDays(washington(day0).date, days), '17:00');
      const uncapped = (days: number) => closeOfBusinessFrom(now + Math.round((raw(days) - now) * factor));
      const compressed = (days: number) => Math.min(uncapped(days), release);
      const s = await status(h);
      assert.equal(s.windowEnd, iso(release));
      // A compressed deadline that a weekend or holiday moves past the new window's end puts the window at risk.
      const atRisk = uncapped(85) > release ? (['WINDOW_AT_RISK'] as const) : [];
      assert.deepEqual(s.flags, ['SHORT_NOTICE', 'AT_RISK', ...atRisk]);
      assert.deepEqual(
        Object.fromEntries(s.deadlines.filter((d) => d.metAt === undefined).map((d) => [d.key, d.dueAt])),
        {
          window: iso(release),
          'stage:CIVILIAN': iso(compressed(75)),
          'agency:CIVILIAN:CAISI': iso(compressed(75)),
          'agency:CIVILIAN:DOE': iso(compressed(75)),
          'agency:CIVILIAN:TREASURY': iso(compressed(75)),
          determination: iso(compressed(85)),
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

      // TREASURY falls silent at its compressed deadline, which the lab shortened after acceptance: its review
      // was cut short, so the determination waits for the window's end and is REVIEW_INCOMPLETE there. (Were
      // that deadline moved to a business day at or past the window's end, it would be the window's end, where
      // TREASURY's review is cut short without a silence.)
      const treasuryDue = compressed(75);
      const silent = treasuryDue < release;
      const closed = await status(h);
      const treasury = closed.agencies.find((a) => a.agency === 'TREASURY');
      if (silent) {
        assert.equal(treasury?.decision?.kind, 'NO_RESPONSE');
        atOrJustAfter(treasury?.decision?.recordedAt, treasuryDue);
      } else {
        assert.deepEqual([treasury?.state, treasury?.decision], ['UNDECIDED', undefined]);
      }
      assert.equal(closed.determination?.outcome, 'REVIEW_INCOMPLETE');
      atOrJustAfter(closed.determination?.issuedAt, release);
      const noResponse = silent ? (['NO_RESPONSE'] as const) : [];
      assert.deepEqual(closed.determination?.flags, [...noResponse, 'REVIEW_CUT_SHORT']);
      assert.deepEqual(closed.flags, ['SHORT_NOTICE', ...noResponse, 'REVIEW_CUT_SHORT']);
    });
  });
});
