import assert from 'node:assert/strict';
import { addDays } from '../../shared/domain/calendar';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
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
  untilDelivered,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

const askNsa = (h: ReviewHandle) =>
  h.executeUpdate(M.requestInformation.update, {
    args: [{ actor: 'agency:NSA', questions: ['Which evaluation harness may our red team use?'] }],
  });

const nsDues = async (h: ReviewHandle) =>
  Object.fromEntries(
    (await status(h)).agencies.filter((a) => a.stage === 'NATIONAL_SECURITY').map((a) => [a.agency, a.dueAt]),
  );

describe('review workflow: information requests (scenarios 4 and 5)', () => {
  it("moves only the asking agency's deadline, by exactly the time the lab took to answer (two days)", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, accepted: s0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      const day45 = iso(Date.parse(s0.acceptedAt!) + 45 * DAY_MS);
      assert.deepEqual(await nsDues(h), { NSA: day45, CISA: day45, DOW: day45 });

      const asked = await askNsa(h);
      await skipTo(h, Date.parse(asked.at) + 2 * DAY_MS);
      const answered = await h.executeUpdate(M.answerInformationRequest.update, {
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
      await terminateWhenDelivered(h);
    });
  });

  it('flags an unanswered request overdue after 3 business days, accepts UNABLE_TO_ASSESS and still finishes the case', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear();
      const { h, day0 } = await startAccepted(client, taskQueue, submission);

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
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, CIVILIAN_AGENCIES);
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
