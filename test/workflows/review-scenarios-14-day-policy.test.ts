import assert from 'node:assert/strict';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  skipTo,
  startAccepted,
  status,
  untilDelivered,
  untilStage,
  reviewDeadlines,
} from '../helpers/review';
import { dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

describe("review workflow: industry's 14-day preset, end to end", () => {
  it('runs stages due at close of business on days 7 and 12, determines by day 13 and ends the window at the end of day 14', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear({ policyId: 'industry-14d' });
      const { h, accepted, day0 } = await startAccepted(client, taskQueue, submission);
      // The window ends at 24:00 (Washington) of day 14; a government deadline falls due at 17:00 on its day,
      // or on the next business day, and never after the window's end without the lab's consent.
      const windowEnd = endOfDay(day0, 14);
      const day = (n: number) => Math.min(dayDue(day0, n), windowEnd);
      assert.deepEqual(accepted.policy, { id: 'industry-14d', version: 8 });
      assert.deepEqual(Object.fromEntries(reviewDeadlines(accepted).map((d) => [d.key, d.dueAt])), {
        window: iso(windowEnd),
        'stage:NATIONAL_SECURITY': iso(day(7)),
        'agency:NATIONAL_SECURITY:NSA': iso(day(7)),
        'agency:NATIONAL_SECURITY:CISA': iso(day(7)),
        'agency:NATIONAL_SECURITY:DOW': iso(day(7)),
        'stage:CIVILIAN': iso(day(12)),
        'agency:CIVILIAN:CAISI': iso(day(12)),
        'agency:CIVILIAN:DOE': iso(day(12)),
        'agency:CIVILIAN:TREASURY': iso(day(12)),
        determination: iso(day(13)),
      });

      // CISA stays silent: its day-7 deadline closes the stage.
      await noConcernsFrom(h, ['NSA', 'DOW']);
      await skipTo(h, day(7) + 60 * 60_000);
      const civilian = await untilStage(h, 'CIVILIAN');
      atOrJustAfter(civilian.agencies.find((a) => a.agency === 'CISA')?.decision?.recordedAt, day(7));
      await decide(h, 'CAISI', decision('UNABLE_TO_ASSESS'));
      await noConcernsFrom(h, ['DOE', 'TREASURY']);
      const determined = await untilStage(h, 'PRE_RELEASE');
      assert.equal(determined.determination?.outcome, 'INSUFFICIENT_ACCESS');
      assert.deepEqual(determined.determination?.flags, ['NO_RESPONSE']);
      await untilDelivered(h);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'INSUFFICIENT_ACCESS',
      });
      atOrJustAfter(closedAt, windowEnd);
      assert.deepEqual((await status(h)).timeline.at(-1)?.type, 'CLOSED');
    });
  });
});
