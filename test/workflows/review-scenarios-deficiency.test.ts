import assert from 'node:assert/strict';
import * as M from '../../shared/domain/messages';
import { createTestActivities } from '../helpers/activities';
import type { ReviewStatus } from '../../shared/domain/review/status';
import {
  completeSubmission,
  DAY_MS,
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

/** A filing without a model access arrangement, released a year after the time-skipping server's now. */
async function filingWithoutAccess() {
  const now = await serverNow();
  return completeSubmission({ access: undefined, plannedReleaseDate: iso(now + 365 * DAY_MS) });
}

/** A timer's effect is recorded by the workflow task that follows it: at its due time or within the minute. */
function atOrJustAfter(actual: string | undefined, expected: number): void {
  const t = Date.parse(actual ?? '');
  assert.ok(t >= expected && t < expected + 60_000, `${actual} is not at ${iso(expected)}`);
}

describe('review workflow: a deficient filing (scenario 3)', () => {
  it('starts day 0 at acceptance after a supplement on day 6, not at first receipt', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, await filingWithoutAccess());
      const deficient = await untilStage(h, 'DEFICIENT');
      const received = Date.parse(deficient.receivedAt);
      const since = Date.parse(deficient.deficiency!.since);
      atOrJustAfter(deficient.deficiency?.since, received);
      assert.deepEqual(deficient.deficiency, {
        gaps: ['access'],
        since: iso(since),
        supplementDue: iso(since + 30 * DAY_MS),
      });
      assert.equal(deficient.acceptedAt, undefined);

      await skipTo(h, received + 6 * DAY_MS);
      const supplemented = await h.executeUpdate(M.supplementUpdate, {
        args: [{ actor: 'lab:acme', fields: { access: { kind: 'WEIGHTS', details: 'weights in a SCIF' } } }],
      });
      const s = await untilStage(h, 'NATIONAL_SECURITY');

      const day0 = Date.parse(s.acceptedAt!);
      assert.ok(day0 >= Date.parse(supplemented.at), `accepted ${s.acceptedAt} before the supplement`);
      atOrJustAfter(s.acceptedAt, received + 6 * DAY_MS);
      assert.equal(s.windowEnd, iso(day0 + 90 * DAY_MS));
      assert.equal(
        s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt,
        iso(day0 + 45 * DAY_MS),
      );
      assert.deepEqual(
        s.timeline.map((e) => e.type),
        ['RECEIVED', 'DEFICIENT', 'SUPPLEMENTED', 'ACCEPTED', 'STAGE_OPENED'],
      );
      await untilDelivered(h);
      await h.terminate('test done');
    });
  });

  it('closes an uncured deficient filing as DEFICIENCY_NOT_CURED once the 30-day supplement period ends', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingWithoutAccess();
      const h = await startReview(client, taskQueue, submission);
      const deficient = await untilStage(h, 'DEFICIENT');
      const supplementDue = Date.parse(deficient.deficiency!.since) + 30 * DAY_MS;
      await untilDelivered(h);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'DEFICIENCY_NOT_CURED',
      });
      atOrJustAfter(closedAt, supplementDue);
    });
  });
});
