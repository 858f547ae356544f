import assert from 'node:assert/strict';
import { createTestActivities } from '../helpers/activities';
import type { ReviewStatus } from '../../shared/domain/review/status';
import {
  completeSubmission,
  DAY_MS,
  startReview,
  status,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';
import { testServers } from '../setup/servers';

const iso = (ms: number) => new Date(ms).toISOString();

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

describe('review workflow: release planned 40 days after submission under the 90-day policy (scenario 2)', () => {
  it('flags SHORT_NOTICE, ends the window at the planned release and compresses every government deadline by the time left', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      // The time-skipping server's clock, not ours: earlier tests have moved it ahead.
      const submittedAt = await testServers().timeSkipping.currentTimeMs();
      const release = submittedAt + 40 * DAY_MS;
      const h = await startReview(
        client,
        taskQueue,
        completeSubmission({ plannedReleaseDate: iso(release) }),
      );
      const s = await untilStage(h, 'NATIONAL_SECURITY');

      const day0 = Date.parse(s.acceptedAt!);
      // Each due time keeps its share of the window: (release - day 0) / 90 days, about 40/90.
      const factor = (release - day0) / (90 * DAY_MS);
      const compressed = (days: number) => iso(day0 + Math.round(days * DAY_MS * factor));
      assert.deepEqual(s.flags, ['SHORT_NOTICE']);
      assert.equal(s.windowEnd, iso(release));
      assert.deepEqual(Object.fromEntries(s.deadlines.map((d) => [d.key, d.dueAt])), {
        window: iso(release),
        'stage:NATIONAL_SECURITY': compressed(45),
        'agency:NATIONAL_SECURITY:NSA': compressed(45),
        'agency:NATIONAL_SECURITY:CISA': compressed(45),
        'agency:NATIONAL_SECURITY:DOW': compressed(45),
        'stage:CIVILIAN': compressed(75),
        'agency:CIVILIAN:CAISI': compressed(75),
        'agency:CIVILIAN:DOE': compressed(75),
        'agency:CIVILIAN:TREASURY': compressed(75),
        determination: compressed(85),
      });
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.dueAt]),
        [
          ['NSA', compressed(45)],
          ['CISA', compressed(45)],
          ['DOW', compressed(45)],
          ['CAISI', compressed(75)],
          ['DOE', compressed(75)],
          ['TREASURY', compressed(75)],
        ],
      );
      await untilDelivered(h);
      await h.terminate('test done');
    });
  });
});
