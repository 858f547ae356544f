import assert from 'node:assert/strict';
import { addDays } from '../../shared/domain/calendar';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  CIVILIAN_AGENCIES,
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

/** A timer's effect is recorded by the workflow task that follows it: at its due time or within the minute. */
function atOrJustAfter(actual: string | undefined, expected: number): void {
  const t = Date.parse(actual ?? '');
  assert.ok(t >= expected && t < expected + 60_000, `${actual} is not at ${iso(expected)}`);
}

const askNsa = (h: ReviewHandle) =>
  h.executeUpdate(M.requestInformationUpdate, {
    args: [{ actor: 'agency:NSA', questions: ['Which evaluation harness may our red team use?'] }],
  });

const nsDues = async (h: ReviewHandle) =>
  Object.fromEntries(
    (await status(h)).agencies.filter((a) => a.stage === 'NATIONAL_SECURITY').map((a) => [a.agency, a.dueAt]),
  );

describe('review workflow: information requests (scenarios 4 and 5)', () => {
  it("moves only the asking agency's deadline, by exactly the time the lab took to answer (two days)", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const now = await serverNow();
      const h = await startReview(
        client,
        taskQueue,
        completeSubmission({ plannedReleaseDate: iso(now + 365 * DAY_MS) }),
      );
      const s0 = await untilStage(h, 'NATIONAL_SECURITY');
      const day45 = iso(Date.parse(s0.acceptedAt!) + 45 * DAY_MS);
      assert.deepEqual(await nsDues(h), { NSA: day45, CISA: day45, DOW: day45 });

      const asked = await askNsa(h);
      await skipTo(h, Date.parse(asked.at) + 2 * DAY_MS);
      const answered = await h.executeUpdate(M.answerInformationRequestUpdate, {
        args: [{ actor: 'lab:acme', requestId: 'NSA-1', answer: 'The gated endpoint, with evaluator keys.' }],
      });

      // The server's clock also runs while the test works, so the toll is two days and a few milliseconds.
      const tolled = Date.parse(answered.at) - Date.parse(asked.at);
      assert.ok(tolled >= 2 * DAY_MS && tolled < 2 * DAY_MS + 60_000, `tolled ${tolled} ms`);
      assert.deepEqual(await nsDues(h), {
        NSA: iso(Date.parse(day45) + tolled),
        CISA: day45,
        DOW: day45,
      });
      const s = await status(h);
      assert.equal(s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt, day45);
      assert.deepEqual(
        s.informationRequests.map((r) => [r.id, r.status, r.answeredAt]),
        [['NSA-1', 'ANSWERED', answered.at]],
      );
      await untilDelivered(h);
      await h.terminate('test done');
    });
  });

  it('flags an unanswered request overdue after 3 business days, accepts UNABLE_TO_ASSESS and still finishes the case', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const now = await serverNow();
      const submission = completeSubmission({ plannedReleaseDate: iso(now + 365 * DAY_MS) });
      const h = await startReview(client, taskQueue, submission);
      const day0 = Date.parse((await untilStage(h, 'NATIONAL_SECURITY')).acceptedAt!);

      const asked = await askNsa(h);
      const answerDue = addDays(new Date(asked.at), 3, 'BUSINESS_DAYS').getTime();
      const waiting = await status(h);
      assert.equal(waiting.informationRequests[0]?.dueAt, iso(answerDue));
      assert.deepEqual(waiting.flags, []);

      await skipTo(h, answerDue + 60 * 60_000);
      const late = await status(h);
      const overdue = late.timeline.filter((e) => e.type === 'INFORMATION_OVERDUE');
      assert.equal(overdue.length, 1);
      atOrJustAfter(overdue[0]?.at, answerDue);
      assert.deepEqual(late.flags, ['INFORMATION_OVERDUE']);
      assert.equal(late.agencies.find((a) => a.agency === 'NSA')?.state, 'WAITING_FOR_LAB');

      await decide(h, 'NSA', decision('UNABLE_TO_ASSESS'));
      await decide(h, 'CISA', decision('NO_CONCERNS'));
      await decide(h, 'DOW', decision('NO_CONCERNS'));
      await untilStage(h, 'CIVILIAN');
      for (const agency of CIVILIAN_AGENCIES) await decide(h, agency, decision('NO_CONCERNS'));
      await untilDelivered(h);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'INSUFFICIENT_ACCESS',
      });
      atOrJustAfter(closedAt, day0 + 90 * DAY_MS);
      const closed = await status(h);
      assert.equal(closed.informationRequests[0]?.status, 'CLOSED_BY_DECISION');
      assert.equal(closed.determination?.by, 'RULE');
    });
  });
});
