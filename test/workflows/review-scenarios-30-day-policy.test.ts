import assert from 'node:assert/strict';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  decide,
  decision,
  skip,
  startReview,
  status,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';
import { testServers } from '../setup/servers';

const iso = (ms: number) => new Date(ms).toISOString();
const serverNow = () => testServers().timeSkipping.currentTimeMs();

/** A timer's effect is recorded by the workflow task that follows it: at its due time or within the minute. */
function atOrJustAfter(actual: string | undefined, expected: number): void {
  const t = Date.parse(actual ?? '');
  assert.ok(t >= expected && t < expected + 60_000, `${actual} is not at ${iso(expected)}`);
}

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

describe('review workflow: the 30-day preset of the June 2026 order, end to end', () => {
  it('runs stages due on days 15 and 25, determines on time and ends the window on day 30', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({
        policyId: 'eo-2026-30d',
        plannedReleaseDate: iso((await serverNow()) + 365 * DAY_MS),
      });
      const h = await startReview(client, taskQueue, submission);
      const accepted = await untilStage(h, 'NATIONAL_SECURITY');
      const day0 = Date.parse(accepted.acceptedAt!);
      const day = (n: number) => day0 + n * DAY_MS;
      assert.deepEqual(accepted.policy, { id: 'eo-2026-30d', version: 1 });
      assert.deepEqual(accepted.flags, []);
      assert.deepEqual(Object.fromEntries(accepted.deadlines.map((d) => [d.key, d.dueAt])), {
        window: iso(day(30)),
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
      await decide(h, 'NSA', decision('NO_CONCERNS'));
      await decide(h, 'CISA', decision('NO_CONCERNS'));
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
      atOrJustAfter(closedAt, day(30));

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
