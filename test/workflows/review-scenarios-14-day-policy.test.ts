import assert from 'node:assert/strict';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  DAY_MS,
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
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

describe("review workflow: industry's 14-day preset, end to end", () => {
  it('runs stages due on days 7 and 11, determines by day 13 and ends the window on day 14', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear({ policyId: 'industry-14d' });
      const { h, accepted, day0 } = await startAccepted(client, taskQueue, submission);
      const day = (n: number) => day0 + n * DAY_MS;
      assert.deepEqual(accepted.policy, { id: 'industry-14d', version: 2 });
      assert.deepEqual(Object.fromEntries(accepted.deadlines.map((d) => [d.key, d.dueAt])), {
        window: iso(day(14)),
        'stage:NATIONAL_SECURITY': iso(day(7)),
        'agency:NATIONAL_SECURITY:NSA': iso(day(7)),
        'agency:NATIONAL_SECURITY:CISA': iso(day(7)),
        'agency:NATIONAL_SECURITY:DOW': iso(day(7)),
        'stage:CIVILIAN': iso(day(11)),
        'agency:CIVILIAN:CAISI': iso(day(11)),
        'agency:CIVILIAN:DOE': iso(day(11)),
        'agency:CIVILIAN:TREASURY': iso(day(11)),
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
      atOrJustAfter(closedAt, day(14));
      assert.deepEqual((await status(h)).timeline.at(-1)?.type, 'CLOSED');
    });
  });
});
