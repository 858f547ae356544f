import assert from 'node:assert/strict';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  decide,
  decision,
  NS_AGENCIES,
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

describe('review workflow: the lab moves its release earlier during the civilian stage (scenario 9)', () => {
  it('compresses the open deadlines into the time left, and a civilian silent at its compressed deadline makes the review incomplete at the new window end', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({ plannedReleaseDate: iso((await serverNow()) + 365 * DAY_MS) });
      const h = await startReview(client, taskQueue, submission);
      const day0 = Date.parse((await untilStage(h, 'NATIONAL_SECURITY')).acceptedAt!);
      for (const agency of NS_AGENCIES) await decide(h, agency, decision('NO_CONCERNS'));
      await untilStage(h, 'CIVILIAN');

      await skipTo(h, day0 + 50 * DAY_MS);
      const release = day0 + 60 * DAY_MS;
      const amended = await h.executeUpdate(M.amendReleaseDateUpdate, {
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

      await decide(h, 'CAISI', decision('NO_CONCERNS'));
      await decide(h, 'DOE', decision('NO_CONCERNS'));
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
