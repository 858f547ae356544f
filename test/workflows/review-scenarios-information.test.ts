import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import { assertEventTypes } from '../helpers/ledger';
import {
  callbacksOf,
  CIVILIAN_AGENCIES,
  DAY_MS,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  skipTo,
  startAccepted,
  status,
  terminateWhenDelivered,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { businessDaysDue, dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

const INFORMATION_EVENTS = ['INFORMATION_REQUESTED', 'INFORMATION_ANSWERED', 'INFORMATION_OVERDUE'];

const askNsa = (h: ReviewHandle) =>
  h.executeUpdate(M.requestInformation.update, {
    args: [{ actor: 'agency:NSA', questions: ['Which evaluation harness may our red team use?'] }],
  });

const nsDues = async (h: ReviewHandle) =>
  Object.fromEntries(
    (await status(h)).agencies.filter((a) => a.stage === 'NATIONAL_SECURITY').map((a) => [a.agency, a.dueAt]),
  );

/**
 * Whether NSA's open request, tolled for `tolled` ms so far, puts the window at risk (rules 7, domain.md
 * "Counting, precisely"): NSA's due date as it stands (day 45 on a business day) moves by the whole days tolled;
 * were the national-security stage to close then, the determination (day 85 on a business day) would move by
 * that overrun in whole days, and weekends and holidays may push it past the window's end (24:00 of day 90).
 */
function tollPutsWindowAtRisk(day0: number, tolled: number): boolean {
  const nsa = nsaTolled(day0, tolled);
  const overrun = Math.round((nsa - dayDue(day0, 45)) / DAY_MS);
  return dayDue(dayDue(day0, 85), overrun) > endOfDay(day0, 90);
}

/** NSA's day-45 deadline as it stands, moved by the whole days tolled, then to a business day. */
const nsaTolled = (day0: number, tolled: number): number =>
  dayDue(dayDue(day0, 45), Math.round(tolled / DAY_MS));

describe('review workflow: information requests (scenarios 4 and 5)', () => {
  it("moves only the asking agency's deadline, by the time the lab took to answer (two days) to close of business, and its stage binds until then", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      const day45 = iso(dayDue(day0, 45));
      assert.deepEqual(await nsDues(h), { NSA: day45, CISA: day45, DOW: day45 });

      const asked = await askNsa(h);
      await skipTo(h, Date.parse(asked.at) + 2 * DAY_MS);
      const answered = await h.executeUpdate(M.answerInformationRequest.update, {
        args: [{ actor: 'lab:acme', requestId: 'NSA-1', answer: 'The gated endpoint, with evaluator keys.' }],
      });

      // The server's clock also runs while the test works, so the toll is two days and a few milliseconds.
      const tolled = Date.parse(answered.at) - Date.parse(asked.at);
      assert.ok(tolled >= 2 * DAY_MS && tolled < 2 * DAY_MS + 60_000, `tolled ${tolled} ms`);
      // The toll's whole days (two) move NSA's due date as it stands (day 45, on a business day), and the result
      // falls due at close of business on a business day.
      const nsaDue = nsaTolled(day0, tolled);
      assert.deepEqual(await nsDues(h), {
        NSA: iso(nsaDue),
        CISA: day45,
        DOW: day45,
      });
      // Stage time is protected: the stage is not overdue before NSA's own deadline.
      const s = await status(h);
      assert.equal(
        s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt,
        iso(Math.max(dayDue(day0, 45), nsaDue)),
      );
      assert.deepEqual(
        s.informationRequests.map((r) => [r.id, r.status, r.answeredAt]),
        [['NSA-1', 'ANSWERED', answered.at]],
      );
      assertEventTypes(await callbacksOf(h, INFORMATION_EVENTS), [
        'INFORMATION_REQUESTED',
        'INFORMATION_ANSWERED',
      ]);
      await terminateWhenDelivered(h);
    });
  });

  it('flags an unanswered request overdue after 3 business days, accepts UNABLE_TO_ASSESS and still finishes the case', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear();
      const { h, day0 } = await startAccepted(client, taskQueue, submission);

      const asked = await askNsa(h);
      // Three business days counted from the day of the request (the next business day when it is asked after
      // close of business or on a day off), falling due at close of business.
      const answerDue = businessDaysDue(Date.parse(asked.at), 3);
      const waiting = await status(h);
      assert.equal(waiting.informationRequests[0]?.dueAt, iso(answerDue));
      // Under half a day tolled so far moves nothing: the window is at risk at once on no date (the same rule as
      // below, with the time tolled until this read).
      const tolledSoFar = Date.parse(waiting.asOf) - Date.parse(asked.at);
      assert.deepEqual(waiting.flags, tollPutsWindowAtRisk(day0, tolledSoFar) ? ['WINDOW_AT_RISK'] : []);

      await skipTo(h, answerDue + 60 * 60_000);
      const late = await status(h);
      const overdue = late.timeline.filter((e) => e.type === 'INFORMATION_OVERDUE');
      assert.equal(overdue.length, 1);
      atOrJustAfter(overdue[0]?.at, answerDue);
      // The open request tolls NSA's clock until now, capped at 7 days or the lab's time to answer if longer.
      const askedAt = Date.parse(asked.at);
      const tolled = Math.min(Date.parse(late.asOf) - askedAt, Math.max(7 * DAY_MS, answerDue - askedAt));
      assert.deepEqual(late.flags, [
        ...(tollPutsWindowAtRisk(day0, tolled) ? ['WINDOW_AT_RISK'] : []),
        'INFORMATION_OVERDUE',
      ]);
      assert.equal(late.agencies.find((a) => a.agency === 'NSA')?.state, 'WAITING_FOR_LAB');

      await decide(h, 'NSA', decision('UNABLE_TO_ASSESS'));
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, CIVILIAN_AGENCIES);
      assertEventTypes(await callbacksOf(h, INFORMATION_EVENTS), [
        'INFORMATION_REQUESTED',
        'INFORMATION_OVERDUE',
      ]);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'INSUFFICIENT_ACCESS',
      });
      atOrJustAfter(closedAt, endOfDay(day0, 90));
      const closed = await status(h);
      assert.equal(closed.informationRequests[0]?.status, 'CLOSED_BY_DECISION');
      assert.equal(closed.determination?.by, 'RULE');
    });
  });
});
