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

describe('review workflow: the 30-day preset of the June 2026 order, end to end', () => {
  it('runs stages due at close of business on days 15 and 25, determines on time and ends the window at the end of day 30', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear({ policyId: 'eo-2026-30d' });
      const { h, accepted, day0 } = await startAccepted(client, taskQueue, submission);
      // The window ends at 24:00 (Washington) of day 30; a government deadline falls due at 17:00 on its day,
      // or on the next business day, and never after the window's end without the lab's consent.
      const windowEnd = endOfDay(day0, 30);
      const day = (n: number) => Math.min(dayDue(day0, n), windowEnd);
      assert.deepEqual(accepted.policy, { id: 'eo-2026-30d', version: 8 });
      // Only a determination that a weekend and holidays push past the window's end puts the window at risk.
      assert.deepEqual(accepted.flags, dayDue(day0, 28) > windowEnd ? ['WINDOW_AT_RISK'] : []);
      assert.deepEqual(Object.fromEntries(reviewDeadlines(accepted).map((d) => [d.key, d.dueAt])), {
        window: iso(windowEnd),
        'stage:NATIONAL_SECURITY': iso(day(15)),
        'agency:NATIONAL_SECURITY:NSA': iso(day(15)),
        'agency:NATIONAL_SECURITY:CISA': iso(day(15)),
        'agency:NATIONAL_SECURITY:DOW': iso(day(15)),
        'stage:CIVILIAN': iso(day(25)),
        'agency:CIVILIAN:CAISI': iso(day(25)),
        'agency:CIVILIAN:DOE': iso(day(25)),
        'agency:CIVILIAN:TREASURY': iso(day(25)),
        determination: iso(day(28)),
      });

      // DOW and TREASURY stay silent: their deadlines, not ours, move the case on.
      await noConcernsFrom(h, ['NSA', 'CISA']);
      await skipTo(h, day(15) + 60 * 60_000);
      const civilian = await untilStage(h, 'CIVILIAN');
      atOrJustAfter(civilian.agencies.find((a) => a.agency === 'DOW')?.decision?.recordedAt, day(15));
      await decide(h, 'CAISI', decision('CONCERNS_MITIGATED'));
      await decide(h, 'DOE', decision('NO_CONCERNS'));
      await untilDelivered(h);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'PROCEED_WITH_COMMITMENTS',
      });
      atOrJustAfter(closedAt, windowEnd);

      const closed = await status(h);
      atOrJustAfter(closed.agencies.find((a) => a.agency === 'TREASURY')?.decision?.recordedAt, day(25));
      atOrJustAfter(closed.determination?.issuedAt, day(25));
      assert.deepEqual(
        {
          by: closed.determination?.by,
          commitments: closed.determination?.commitments,
          flags: closed.determination?.flags,
        },
        { by: 'RULE', commitments: ['keep the mitigation'], flags: ['NO_RESPONSE'] },
      );
      assert.deepEqual(
        closed.timeline.filter((e) => e.type === 'WINDOW_ENDED').map((e) => e.at),
        [closedAt],
      );
    });
  });
});
