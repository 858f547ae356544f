import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import { assertEventTypes } from '../helpers/ledger';
import {
  callbacksOf,
  completeSubmission,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  serverNow,
  skip,
  skipTo,
  startAccepted,
  startReview,
  status,
  terminateWhenDelivered,
  untilDelivered,
  untilStage,
} from '../helpers/review';
import { instantIn } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

/**
 * Issue 35's findings end to end, on the time-skipping server, at the same weekdays in 2037 (its weekdays,
 * rule-based holidays and daylight-saving dates repeat 2026's): rules 7 counts as domain.md section 4,
 * "Counting, precisely", says. test/shared/domain/review/counting.test.ts shows each on rules 6 too, at the
 * issue's own dates. All times are Washington's. SCENARIO_START is Wed 2037-09-02 10:00.
 */

const at = (date: string, time: string): number => instantIn(date, time);
const cob = (date: string): string => iso(at(date, '17:00'));
const dueOf = (s: ReviewStatus, key: string): string | undefined =>
  s.deadlines.find((d) => d.key === key)?.dueAt;
const ops = { actor: 'ops' } as const;

/** Skips the server's clock to a Washington date and time, with no case running yet. */
async function skipToDate(date: string, time: string): Promise<void> {
  await skip(at(date, time) - (await serverNow()));
}

describe('review workflow: deadlines that move exactly as the rules say (issue 35, rules 7)', () => {
  it('counts an extension and a stage overrun from the due date as it stands, a lapse across the clock change by 8 wall-clock days, and offers the window extension during the lapse', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      // Accepted Wed 09-02: NSA's day 45 is Saturday 10-17, due Monday 10-19; the civilian stage Mon 11-16; the
      // determination's day 85 is Thanksgiving, so Fri 11-27; the window ends with Tue 12-01.
      const { h, accepted } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      assert.equal(accepted.rules, 7);
      assert.deepEqual(
        ['agency:NATIONAL_SECURITY:NSA', 'stage:CIVILIAN', 'determination', 'window'].map((k) =>
          dueOf(accepted, k),
        ),
        [cob('2037-10-19'), cob('2037-11-16'), cob('2037-11-27'), iso(at('2037-12-02', '00:00'))],
      );
      await noConcernsFrom(h, ['CISA', 'DOW']);

      // 1. Two days more for NSA on Thu 10-01: from Monday 10-19 as it stands, Wednesday 10-21.
      await skipTo(h, at('2037-10-01', '10:00'));
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:NSA', days: 2, reason: 'the benchmark needs a rerun' }],
      });
      const extended = await untilDelivered(h);
      assert.equal(dueOf(extended, 'agency:NATIONAL_SECURITY:NSA'), cob('2037-10-21'));
      const [told] = await callbacksOf(h, ['CLOCK_EXTENDED']);
      assert.equal((told.payload as { newDueAt: string }).newDueAt, cob('2037-10-21'));

      // NSA decides Tue 10-20 10:00, 17 hours after the stage's Monday: every later deadline moves a whole day.
      await skipTo(h, at('2037-10-20', '10:00'));
      await decide(h, 'NSA', decision('NO_CONCERNS'));
      const civilian = await untilStage(h, 'CIVILIAN');
      assert.deepEqual(
        ['stage:CIVILIAN', 'determination'].map((k) => dueOf(civilian, k)),
        [cob('2037-11-17'), cob('2037-11-30')],
      );

      // 2. A lapse from Fri 10-30 10:00 to Sat 11-07 10:00: 8 days on the wall clock (and an hour more of
      // instants, as daylight saving ends on Sunday 11-01).
      await skipTo(h, at('2037-10-30', '10:00'));
      const tolled = await h.executeUpdate(M.tollClocks.update, {
        args: [{ ...ops, lapseId: 'lapse-fy38', reason: 'lapse in appropriations' }],
      });
      atOrJustAfter(tolled.at, at('2037-10-30', '10:00'));
      // 3. Two days of it would carry the determination (Mon 11-30) past the window's end: at 1.5 days, Sat 10-31
      // 22:00, the case offers the lab the window to the end of Mon 12-07 (the policy's five days after Wed 12-02).
      await skipTo(h, at('2037-11-07', '10:00'));
      const during = await untilDelivered(h);
      assert.equal(during.extensionOffers.length, 1);
      const [offer] = during.extensionOffers;
      atOrJustAfter(offer.offeredAt, at('2037-10-31', '22:00'));
      assert.equal(offer.proposedWindowEnd, iso(at('2037-12-08', '00:00')));
      assert.ok(during.flags.includes('WINDOW_AT_RISK'), during.flags.join(', '));

      await h.executeUpdate(M.resumeClocks.update, { args: [{ ...ops, lapseId: 'lapse-fy38' }] });
      const after = await untilDelivered(h);
      assert.deepEqual(
        ['agency:CIVILIAN:CAISI', 'stage:CIVILIAN', 'determination'].map((k) => dueOf(after, k)),
        // Tue 11-17 and Mon 11-30, each 8 days on; the determination is held at the window's end until the lab
        // answers the offer.
        [cob('2037-11-25'), cob('2037-11-25'), iso(at('2037-12-02', '00:00'))],
      );
      assertEventTypes(await callbacksOf(h, ['CLOCK_TOLLED', 'WINDOW_AT_RISK', 'CLOCK_RESUMED']), [
        'CLOCK_TOLLED',
        'WINDOW_AT_RISK',
        'CLOCK_RESUMED',
      ]);
      await h.terminate('test done');
    });
  });

  it("tolls and moves NSA's designation deadline before acceptance: filed Mon 10-05, a closure on Tue 10-13 and a lapse Tue 10-06 to Thu 10-08", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      await skipToDate('2037-10-05', '10:00');
      const small = { name: 'Small-1', version: '1', trainingComputeFlop: 5e25 };
      const h = await startReview(client, taskQueue, completeSubmission({ model: small }));
      const pending = await untilStage(h, 'DESIGNATION');
      // Five business days (Columbus Day, Mon 10-12, is none): Tue 10-13.
      assert.equal(pending.designation?.dueAt, cob('2037-10-13'));

      await skipTo(h, at('2037-10-06', '10:00'));
      await h.executeUpdate(M.declareClosure.update, {
        args: [{ ...ops, closureId: 'snow-13', dates: ['2037-10-13'], reason: 'OPM closure' }],
      });
      assert.equal((await status(h)).designation?.dueAt, cob('2037-10-14'));
      await h.executeUpdate(M.tollClocks.update, {
        args: [{ ...ops, lapseId: 'lapse-oct', reason: 'lapse in appropriations' }],
      });
      await skipTo(h, at('2037-10-08', '10:00'));
      await h.executeUpdate(M.resumeClocks.update, { args: [{ ...ops, lapseId: 'lapse-oct' }] });
      // Two days on from Wed 10-14: Fri 10-16. NSA is silent: the proposal stands then, not during the lapse.
      assert.equal((await untilDelivered(h)).designation?.dueAt, cob('2037-10-16'));
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, { submissionId: pending.submissionId, closedReason: 'NOT_COVERED' });
      atOrJustAfter(closedAt, at('2037-10-16', '17:00'));
      const told = await callbacksOf(h, [
        'DESIGNATION_PENDING',
        'CLOSURE_DECLARED',
        'CLOCK_TOLLED',
        'CLOCK_RESUMED',
        'DESIGNATED',
      ]);
      assertEventTypes(told, [
        'DESIGNATION_PENDING',
        'CLOSURE_DECLARED',
        'CLOCK_TOLLED',
        'CLOCK_RESUMED',
        'DESIGNATED',
      ]);
      assert.deepEqual(told[1].payload, {
        closureId: 'snow-13',
        dates: ['2037-10-13'],
        designationDueAt: cob('2037-10-14'),
      });
    });
  });

  it('tells the lab when a closure moves its answer deadline: asked Wed 10-14, due Mon 10-19, Monday closed', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await skipTo(h, at('2037-10-14', '10:00'));
      await h.executeUpdate(M.requestInformation.update, {
        args: [{ actor: 'agency:NSA', questions: ['Which evaluations were withheld?'] }],
      });
      await skipTo(h, at('2037-10-15', '10:00'));
      await h.executeUpdate(M.declareClosure.update, {
        args: [{ ...ops, closureId: 'closure-19', dates: ['2037-10-19'], reason: 'OPM closure' }],
      });
      const moved = await untilDelivered(h);
      assert.deepEqual(
        moved.informationRequests.map((r) => [r.id, r.dueAt]),
        [['NSA-1', cob('2037-10-20')]],
      );
      assert.equal(dueOf(moved, 'information:NSA-1'), cob('2037-10-20'));
      const told = await callbacksOf(h, ['INFORMATION_REQUESTED', 'CLOSURE_DECLARED', 'DEADLINE_MOVED']);
      assertEventTypes(told, ['INFORMATION_REQUESTED', 'CLOSURE_DECLARED', 'DEADLINE_MOVED']);
      assert.equal((told[0].payload as { answerDueAt: string }).answerDueAt, cob('2037-10-19'));
      assert.deepEqual(told[2].payload, {
        requestId: 'NSA-1',
        agency: 'NSA',
        dueAt: cob('2037-10-20'),
        previousDueAt: cob('2037-10-19'),
        reason: 'CLOSURE',
        closureId: 'closure-19',
      });
      await h.terminate('test done');
    });
  });

  it('keeps the 14-day preset in order around Columbus Day: accepted Mon 2037-09-28', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      // The case (accepted Mon 2026-01-05, the window's last day Martin Luther King Jr. Day) a month
      // into the scenario year: day 14 is Columbus Day, Mon 10-12, and days 12 and 13 the weekend before it.
      await skipToDate('2037-09-28', '10:00');
      const { h, accepted } = await startAccepted(
        client,
        taskQueue,
        await filingReleasedInAYear({ policyId: 'industry-14d' }),
      );
      assert.deepEqual(
        ['stage:NATIONAL_SECURITY', 'stage:CIVILIAN', 'determination', 'window'].map((k) =>
          dueOf(accepted, k),
        ),
        // Back to the Wednesday and Thursday before the weekend, leaving Friday between the determination and
        // the window's end; moving forward would have put both on Tuesday 10-13, past the window.
        [cob('2037-10-05'), cob('2037-10-07'), cob('2037-10-08'), iso(at('2037-10-13', '00:00'))],
      );
      assert.deepEqual(accepted.flags, []);
      await terminateWhenDelivered(h);
    });
  });
});
