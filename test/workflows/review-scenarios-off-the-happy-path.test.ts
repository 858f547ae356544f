import assert from 'node:assert/strict';
import { Policy } from '../../shared/domain/policy';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { atOrJustAfter } from '../helpers/assertions';
import { assertEventTypes, noteErrorAsserted } from '../helpers/ledger';
import {
  CIVILIAN_AGENCIES,
  completeSubmission,
  DAY_MS,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  NS_AGENCIES,
  serverNow,
  skip,
  skipTo,
  startAccepted,
  status,
  terminateWhenDelivered,
  untilStage,
  unchangedPart,
  untilDelivered,
  type ReviewHandle,
  callbacksOf,
} from '../helpers/review';
import {
  businessDaysDue,
  closeOfBusinessFrom,
  compressedDue,
  dayDue,
  endOfDay,
  instantIn,
  isBusinessDate,
  nextBusinessDate,
  plusDays,
  washington,
} from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

/**
 * The findings of issue 12 (A to H; I is in test/gateway/government.test.ts), each as the case it was found
 * in, with real durations on the time-skipping server. Release 1's rules got each of them wrong; a new case
 * runs under rules 2, which these tests hold to domain.md sections 4 and 5. Expected instants come from an
 * independent reading of Washington's calendar (../helpers/washington.ts).
 */

const HOUR_MS = 3_600_000;
const lab = 'lab:acme';

const dueOf = (s: ReviewStatus, key: string): number =>
  Date.parse(s.deadlines.find((d) => d.key === key)!.dueAt);
const agencyDue = (s: ReviewStatus, agency: string): number =>
  Date.parse(s.agencies.find((a) => a.agency === agency)!.dueAt);
const eventsOf = (s: ReviewStatus, type: string) => s.timeline.filter((e) => e.type === type);

/**
 * Day n's due time as it stands from acceptance (rules 7): close of business on the date n days after day 0's,
 * moved to a business day (the 90-day preset's order never needs the move back).
 */
const naturalDay = (day0: number, n: number): number => dayDue(day0, n);

/** A due time as it stands moved by `days` whole days, then to a business day (rules 7, "Counting, precisely"). */
const daysLater = (due: number, days: number): number => dayDue(due, days);

/** The lab accepts every window extension offered to it, so the government's deadlines can run their course. */
async function acceptOffers(h: ReviewHandle): Promise<void> {
  for (const o of (await status(h)).extensionOffers.filter((x) => x.response === undefined)) {
    await h.executeUpdate(M.respondToExtensionOffer.update, {
      args: [{ actor: lab, offerId: o.id, accept: true }],
    });
  }
}

/**
 * Skips the server's clock to the next instant at `time` in Washington on a date that `ok` accepts (after the
 * case's callbacks are delivered, when there is a case).
 */
async function skipToWashington(
  ok: (date: string) => boolean,
  time: string,
  h?: ReviewHandle,
): Promise<number> {
  const now = await serverNow();
  let date = plusDays(washington(now).date, 1);
  while (!ok(date)) date = plusDays(date, 1);
  const at = instantIn(date, time);
  if (h === undefined) await skip(at - now);
  else await skipTo(h, at);
  return at;
}

const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

interface CaseDates {
  day0: number;
  civilian: number;
  determination: number;
  windowEnd: number;
}

/** The deadlines of a 90-day filing accepted at `day0` that the lab will release at `release` (short notice). */
const compressedCase = (day0: number, release: number): CaseDates => ({
  day0,
  civilian: Math.min(compressedDue(day0, release, 75), release),
  determination: Math.min(compressedDue(day0, release, 85), release),
  windowEnd: release,
});

/**
 * A morning in the civilian stage when an escalation gives the chair three business days that a closure of the
 * next business day (`closed`) moves, to a determination still before the window's end. Undefined when
 * weekends and holidays leave no such morning.
 */
function chairPlan(d: CaseDates): { escalateAt: number; closed: string } | undefined {
  for (let n = 1; ; n += 1) {
    const escalateAt = instantIn(plusDays(washington(d.day0).date, n), '10:00');
    if (escalateAt >= d.civilian) return undefined;
    const closed = nextBusinessDate(plusDays(washington(escalateAt).date, 1));
    const before = Math.max(d.determination, businessDaysDue(escalateAt, 3));
    const after = Math.max(d.determination, businessDaysDue(escalateAt, 3, [closed]));
    if (after > before && after < d.windowEnd) return { escalateAt, closed };
  }
}

describe('review workflow: off the happy path, under rules 2 (issue 12)', () => {
  it('A: gives the chair its time when an extended civilian agency closes its stage on the determination day', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');
      // CAISI extends by 10 days, to the determination day 85, and a 7-day information request tolls it further.
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:CAISI', days: 10, reason: 'more evals' }],
      });
      const asked = await h.executeUpdate(M.requestInformation.update, {
        args: [{ actor: 'agency:CAISI', questions: ['q'] }],
      });
      await decide(h, 'TREASURY', decision('CONCERNS_UNRESOLVED'));
      await decide(h, 'DOE', decision('NO_CONCERNS'));
      const [request] = (await status(h)).informationRequests;
      await skipTo(h, Date.parse(asked.at) + 2 * DAY_MS);
      await h.executeUpdate(M.answerInformationRequest.update, {
        args: [{ actor: lab, requestId: request.id, answer: 'a' }],
      });
      await acceptOffers(h);
      const before = await status(h);
      const caisiDue = agencyDue(before, 'CAISI');
      const civilianDue = dueOf(before, 'stage:CIVILIAN');
      const [answered] = before.informationRequests;
      const tolled = Date.parse(answered.answeredAt!) - Date.parse(answered.askedAt);
      // CAISI's own deadline: day 75 as it stands extended by 10 days, then the toll's whole days (two: the few
      // milliseconds the answer took move nothing), each time to a business day.
      assert.ok(tolled >= 2 * DAY_MS);
      assert.equal(caisiDue, daysLater(daysLater(naturalDay(day0, 75), 10), Math.round(tolled / DAY_MS)));
      assert.equal(civilianDue, caisiDue, 'the stage binds no earlier than its extended agency');
      assert.ok(!before.flags.includes('OVERDUE'));

      await skipTo(h, caisiDue + HOUR_MS);
      const escalated = await untilStage(h, 'DETERMINATION');
      const late = caisiDue - dayDue(day0, 75);
      const last = escalated.timeline.slice(-3);
      assertEventTypes(last, ['NO_RESPONSE', 'STAGE_CLOSED', 'ESCALATED']);
      for (const e of last) atOrJustAfter(e.at, caisiDue);
      const determinationDue = dueOf(escalated, 'determination');
      // The determination moved by the civilian stage's overrun, and the chair has at least 3 business days.
      assert.equal(determinationDue, daysLater(naturalDay(day0, 85), Math.round(late / DAY_MS)));
      assert.ok(determinationDue >= businessDaysDue(caisiDue, 3));
      assert.equal(escalated.determination, undefined);

      await skipTo(h, determinationDue + HOUR_MS);
      const decided = await untilStage(h, 'PRE_RELEASE');
      assert.deepEqual(
        [decided.determination?.outcome, decided.determination?.by, decided.determination?.flags],
        ['DEFERRAL_RECOMMENDED', 'RULE', ['NO_RESPONSE', 'CHAIR_DID_NOT_RESOLVE']],
      );
      atOrJustAfter(decided.determination?.issuedAt, determinationDue);
      await terminateWhenDelivered(h);
    });
  });

  it('A: moves the end of the chair’s time by a closure declared while the chair has the case', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      // Short notice compresses the 90-day deadlines, so the chair's three business days can end after the
      // determination is due; the release is chosen so that a closure on one of them moves the determination.
      const now = await serverNow();
      const release = [...Array(16).keys()]
        .map((n) => now + (30 + n) * DAY_MS)
        .find((r) => chairPlan(compressedCase(now, r)) !== undefined);
      assert.ok(
        release !== undefined,
        `no release date gives the chair time a closure moves from ${iso(now)}`,
      );
      const filing = completeSubmission({ plannedReleaseDate: iso(release) });
      const { h, accepted, day0 } = await startAccepted(client, taskQueue, filing);
      const dates = {
        day0,
        civilian: dueOf(accepted, 'stage:CIVILIAN'),
        determination: dueOf(accepted, 'determination'),
        windowEnd: Date.parse(accepted.windowEnd!),
      };
      const plan = chairPlan(dates);
      assert.ok(plan !== undefined, `no plan for ${JSON.stringify(dates)}`);
      await decide(h, 'NSA', decision('CONCERNS_UNRESOLVED'));
      await decide(h, 'CISA', decision('CONCERNS_MITIGATED'));
      await decide(h, 'DOW', decision('NO_CONCERNS'));
      await untilStage(h, 'CIVILIAN');
      await skipTo(h, plan.escalateAt);
      await noConcernsFrom(h, CIVILIAN_AGENCIES);
      const escalated = await status(h);
      assert.equal(escalated.stage, 'DETERMINATION');
      atOrJustAfter(escalated.escalation?.at, plan.escalateAt);
      const at = Date.parse(escalated.escalation!.at);
      const chairEnds = Math.max(dates.determination, businessDaysDue(at, 3));
      assert.equal(dueOf(escalated, 'determination'), chairEnds);

      // Federal offices close on the chair's next business day: its three days end a business day later.
      await h.executeUpdate(M.declareClosure.update, {
        args: [{ actor: 'ops', closureId: 'eo-chair', dates: [plan.closed], reason: 'Executive order' }],
      });
      const moved = Math.max(dates.determination, businessDaysDue(at, 3, [plan.closed]));
      assert.ok(moved > chairEnds && moved < dates.windowEnd);
      assert.equal(dueOf(await untilDelivered(h), 'determination'), moved);

      // Silent at the old end, the chair still has the case; at the new one the recorded position stands.
      await skipTo(h, chairEnds + HOUR_MS);
      assert.equal((await status(h)).determination, undefined);
      // Between the determination and the window's end, which can be less than an hour apart by the run's date.
      await skipTo(h, moved + Math.min(HOUR_MS, (dates.windowEnd - moved) / 2));
      const s = await untilStage(h, 'PRE_RELEASE');
      assert.equal(s.determination?.outcome, 'DEFERRAL_RECOMMENDED');
      assert.ok(s.determination?.flags.includes('CHAIR_DID_NOT_RESOLVE'));
      atOrJustAfter(s.determination?.issuedAt, moved);
      await terminateWhenDelivered(h);
    });
  });

  it('B: shows an extended stage as on track, not overdue, and gives the next stage its full time', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:NSA', days: 10, reason: 'r' }],
      });
      await decide(h, 'CISA', decision('NO_CONCERNS'));
      await decide(h, 'DOW', decision('NO_CONCERNS'));
      const nsDue = dayDue(day0, 45);
      // Ten days from NSA's due date as it stands (rules 7).
      const nsaDue = daysLater(nsDue, 10);
      await skipTo(h, nsDue + 2 * DAY_MS);
      const between = await status(h);
      assert.equal(between.stage, 'NATIONAL_SECURITY');
      assert.deepEqual(
        between.flags.filter((f) => f === 'OVERDUE' || f === 'AT_RISK'),
        ['AT_RISK'],
      );
      assert.equal(
        dueOf(between, 'stage:NATIONAL_SECURITY'),
        nsaDue,
        "the stage is due when NSA's own deadline is",
      );
      assert.equal(between.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.urgency, 'AT_RISK');
      assert.equal(between.agencies.find((a) => a.agency === 'NSA')?.urgency, 'AT_RISK');

      await skipTo(h, nsaDue + HOUR_MS);
      const civilian = await untilStage(h, 'CIVILIAN');
      const late = nsaDue - nsDue;
      const closed = civilian.timeline.find((e) => e.type === 'STAGE_CLOSED')!;
      atOrJustAfter(closed.at, nsaDue);
      const civilianDue = daysLater(naturalDay(day0, 75), Math.round(late / DAY_MS));
      assert.equal(dueOf(civilian, 'stage:CIVILIAN'), civilianDue);
      // The civilian stage keeps the time it had from the national-security deadline to its own day 75.
      assert.ok(civilianDue - nsaDue >= naturalDay(day0, 75) - nsDue, 'the civilian stage keeps its time');
      // The determination moved too, as far as the window the lab has not (yet) extended allows.
      assert.equal(
        dueOf(civilian, 'determination'),
        Math.min(Date.parse(civilian.windowEnd!), daysLater(naturalDay(day0, 85), Math.round(late / DAY_MS))),
      );
      // The determination now needs the window past day 90: the lab was offered an extension at once.
      assert.equal(eventsOf(civilian, 'WINDOW_AT_RISK').length, 1);
      await terminateWhenDelivered(h);
    });
  });

  it('C: keeps the most severe position after a funding lapse when the lab ignores the offer', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await skipTo(h, day0 + DAY_MS);
      await h.executeUpdate(M.tollClocks.update, {
        args: [{ actor: 'ops', lapseId: 'lapse-c', reason: 'shutdown' }],
      });
      await skipTo(h, day0 + 9 * DAY_MS);
      await h.executeUpdate(M.resumeClocks.update, { args: [{ actor: 'ops', lapseId: 'lapse-c' }] });
      await decide(h, 'NSA', decision('CONCERNS_UNRESOLVED'));
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, CIVILIAN_AGENCIES);
      const escalated = await untilStage(h, 'DETERMINATION');
      assert.equal(eventsOf(escalated, 'ESCALATED').length, 1);
      assert.equal(
        eventsOf(escalated, 'WINDOW_AT_RISK').length,
        1,
        'the lapse pushed the determination past day 90',
      );
      const windowEnd = Date.parse(escalated.windowEnd!);
      assert.equal(windowEnd, endOfDay(day0, 90));
      assert.equal(
        dueOf(escalated, 'determination'),
        windowEnd,
        'capped at the window the lab did not extend',
      );

      await skipTo(h, windowEnd + HOUR_MS);
      const ended = await untilStage(h, 'CLOSED');
      assert.deepEqual(
        [ended.determination?.outcome, ended.determination?.flags, ended.closedReason],
        ['DEFERRAL_RECOMMENDED', ['CHAIR_DID_NOT_RESOLVE'], 'WINDOW_ENDED'],
      );
      atOrJustAfter(ended.determination?.issuedAt, windowEnd);
    });
  });

  describe('D: compression by the lab (scenario 9)', () => {
    /** NS decided (NSA as given), then on day 50 the lab moves its release to day 60. */
    async function compressed(nsa: 'CONCERNS_UNRESOLVED' | 'NO_CONCERNS') {
      const { client, taskQueue } = ctx;
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await decide(h, 'NSA', decision(nsa));
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await skipTo(h, day0 + 50 * DAY_MS);
      const release = day0 + 60 * DAY_MS;
      await h.executeUpdate(M.amendReleaseDate.update, {
        args: [{ actor: lab, plannedReleaseDate: iso(release) }],
      });
      return { h, day0, release };
    }
    let ctx: Parameters<Parameters<typeof withTimeSkippingWorker>[1]>[0];

    it('escalates a required CONCERNS_UNRESOLVED, and lets it stand at the window’s end', async () => {
      await withTimeSkippingWorker(createTestActivities(), async (c) => {
        ctx = c;
        const { h, release } = await compressed('CONCERNS_UNRESOLVED');
        const s = await status(h);
        assert.ok(s.flags.includes('SHORT_NOTICE'));
        await skipTo(h, dueOf(s, 'stage:CIVILIAN') + HOUR_MS);
        const escalated = await untilStage(h, 'DETERMINATION');
        assert.equal(eventsOf(escalated, 'ESCALATED').length, 1);
        assert.equal(escalated.determination, undefined);
        await skipTo(h, release + HOUR_MS);
        const ended = await untilStage(h, 'CLOSED');
        assert.deepEqual(
          [ended.determination?.outcome, ended.determination?.flags],
          ['DEFERRAL_RECOMMENDED', ['NO_RESPONSE', 'CHAIR_DID_NOT_RESOLVE']],
        );
        atOrJustAfter(ended.determination?.issuedAt, release);
      });
    });

    it('issues REVIEW_INCOMPLETE at the window’s end, not at the compressed deadline', async () => {
      await withTimeSkippingWorker(createTestActivities(), async (c) => {
        ctx = c;
        const { h, release } = await compressed('NO_CONCERNS');
        const civilianDue = dueOf(await status(h), 'stage:CIVILIAN');
        assert.ok(civilianDue < release);
        await skipTo(h, civilianDue + HOUR_MS);
        const waiting = await untilStage(h, 'DETERMINATION');
        assert.equal(waiting.determination, undefined, 'nothing is determined before the window ends');
        await skipTo(h, release + HOUR_MS);
        const ended = await untilStage(h, 'CLOSED');
        assert.deepEqual(
          [ended.determination?.outcome, ended.determination?.flags],
          ['REVIEW_INCOMPLETE', ['NO_RESPONSE', 'REVIEW_CUT_SHORT']],
        );
        atOrJustAfter(ended.determination?.issuedAt, release);
        assert.match(
          ended.determination!.rationale,
          /positions recorded: NSA NO_CONCERNS, CISA NO_CONCERNS, DOW NO_CONCERNS/,
        );
      });
    });

    it('gives the compressed deadlines back, and clears SHORT_NOTICE, when the lab moves its release later again', async () => {
      await withTimeSkippingWorker(createTestActivities(), async (c) => {
        ctx = c;
        const { h, day0, release } = await compressed('NO_CONCERNS');
        const short = await status(h);
        const t1 = Date.parse(short.timeline.filter((e) => e.type === 'RELEASE_DATE_AMENDED')[0].at);
        const natural = endOfDay(day0, 90);
        const b0 = naturalDay(day0, 75);
        const b1 = t1 + Math.round((b0 - t1) * ((release - t1) / (natural - t1)));
        assert.equal(dueOf(short, 'stage:CIVILIAN'), closeOfBusinessFrom(b1));

        await skipTo(h, t1 + DAY_MS);
        const moved = await h.executeUpdate(M.amendReleaseDate.update, {
          args: [{ actor: lab, plannedReleaseDate: '2199-12-31T00:00:00.000Z' }],
        });
        const t2 = Date.parse(moved.at);
        const whole = await status(h);
        const b2 = Math.min(b0, t2 + Math.round((b1 - t2) * ((natural - t2) / (release - t2))));
        assert.equal(Date.parse(whole.windowEnd!), natural);
        assert.equal(dueOf(whole, 'stage:CIVILIAN'), closeOfBusinessFrom(b2));
        assert.ok(!whole.flags.includes('SHORT_NOTICE'));
        await terminateWhenDelivered(h);
      });
    });
  });

  describe("E: Washington's business days", () => {
    it('moves a day-45 deadline that falls on a Saturday to Monday at 17:00, and ends the window at 24:00', async () => {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        await skipToWashington((d) => weekdayOf(plusDays(d, 45)) === 6, '10:00');
        const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
        const s = await status(h);
        const saturday = plusDays(washington(day0).date, 45);
        let monday = plusDays(saturday, 2);
        while (!isBusinessDate(monday)) monday = plusDays(monday, 1);
        assert.equal(dueOf(s, 'stage:NATIONAL_SECURITY'), instantIn(monday, '17:00'));
        assert.deepEqual(
          NS_AGENCIES.map((a) => agencyDue(s, a)),
          NS_AGENCIES.map(() => instantIn(monday, '17:00')),
        );
        assert.equal(Date.parse(s.windowEnd!), instantIn(plusDays(washington(day0).date, 91), '00:00'));
        await terminateWhenDelivered(h);
      });
    });

    it('gives the lab three whole business days to answer a request made after close of business', async () => {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const { h } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
        // A Wednesday, 21:00 in Washington.
        const evening = await skipToWashington((d) => weekdayOf(d) === 3, '21:00', h);
        await h.executeUpdate(M.requestInformation.update, {
          args: [{ actor: 'agency:NSA', questions: ['q'] }],
        });
        const [request] = (await status(h)).informationRequests;
        atOrJustAfter(request.askedAt, evening);
        const due = Date.parse(request.dueAt);
        assert.equal(due, businessDaysDue(evening, 3));
        assert.equal(washington(due).time, '17:00');
        // Counted from the next business day: three whole business days follow it before the due date ends.
        let counted = 0;
        for (let d = plusDays(washington(evening).date, 1); d < washington(due).date; d = plusDays(d, 1)) {
          if (isBusinessDate(d)) counted += 1;
        }
        assert.equal(counted, 3, 'three business days before the due date, the due date itself a fourth');
        await terminateWhenDelivered(h);
      });
    });
  });

  it('F: moves a deadline off a declared closure, with its own callback and flag', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      const nsDue = dayDue(day0, 45);
      const closedDate = washington(nsDue).date;
      const receipt = await h.executeUpdate(M.declareClosure.update, {
        args: [{ actor: 'ops', closureId: 'eo-closure', dates: [closedDate], reason: 'Executive order' }],
      });
      const s = await untilDelivered(h);
      const moved = dayDue(day0, 45, [closedDate]);
      assert.ok(moved > nsDue);
      assert.equal(dueOf(s, 'stage:NATIONAL_SECURITY'), moved);
      assert.ok(s.flags.includes('CLOSURE'));
      const event = s.timeline.find((e) => e.seq === receipt.seq)!;
      assert.equal(event.type, 'CLOSURE_DECLARED');
      assertEventTypes(await callbacksOf(h, ['CLOSURE_DECLARED']), ['CLOSURE_DECLARED']);
      assert.deepEqual(
        s.closures.map((x) => [x.id, x.dates]),
        [['eo-closure', [closedDate]]],
      );
      // A second declaration of the same closure is refused and changes nothing.
      noteErrorAsserted('CLOSURE_ALREADY_DECLARED');
      await assert.rejects(
        h.executeUpdate(M.declareClosure.update, {
          args: [{ actor: 'ops', closureId: 'eo-closure', dates: [closedDate], reason: 'again' }],
        }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'CLOSURE_ALREADY_DECLARED',
      );
      assert.deepEqual(unchangedPart(await status(h)), unchangedPart(s));
      await terminateWhenDelivered(h);
    });
  });

  describe('G: the smaller gaps', () => {
    it('tells the lab and the agency when the tolling cap restarts the agency’s clock', async () => {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
        const asked = await h.executeUpdate(M.requestInformation.update, {
          args: [{ actor: 'agency:NSA', questions: ['q'] }],
        });
        const capAt = Date.parse(asked.at) + 7 * DAY_MS;
        await skipTo(h, capAt + HOUR_MS);
        const s = await status(h);
        const resumed = eventsOf(s, 'CLOCK_RESUMED');
        assert.equal(resumed.length, 1);
        atOrJustAfter(resumed[0].at, capAt);
        assert.equal(agencyDue(s, 'NSA'), daysLater(naturalDay(day0, 45), 7));
        assert.equal(s.agencies.find((a) => a.agency === 'NSA')?.urgency, 'ON_TRACK');
        await terminateWhenDelivered(h);
      });
    });

    it('keeps the 14-day preset’s toll running while the lab still has time to answer', async () => {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        await skipToWashington(
          (d) => weekdayOf(d) === 4 && isBusinessDate(d) && isBusinessDate(plusDays(d, 1)),
          '10:00',
        );
        const { h } = await startAccepted(
          client,
          taskQueue,
          await filingReleasedInAYear({ policyId: 'industry-14d' }),
        );
        // Friday after close of business: the lab's one business day is Monday... due Tuesday 17:00 at the latest.
        const evening = await skipToWashington((d) => weekdayOf(d) === 5, '18:00', h);
        await h.executeUpdate(M.requestInformation.update, {
          args: [{ actor: 'agency:NSA', questions: ['q'] }],
        });
        const [request] = (await status(h)).informationRequests;
        const answerDue = Date.parse(request.dueAt);
        assert.equal(answerDue, businessDaysDue(evening, 1));
        await skipTo(h, evening + DAY_MS + HOUR_MS);
        const later = await status(h);
        assert.equal(
          later.agencies.find((a) => a.agency === 'NSA')?.urgency,
          'PAUSED',
          'a 1-day cap would have ended',
        );
        assert.equal(eventsOf(later, 'CLOCK_RESUMED').length, 0);
        await terminateWhenDelivered(h);
      });
    });

    it('closes a stage without its advisory agency, and flags an advisory CONCERNS_UNRESOLVED', async () => {
      const advisory = Policy.parse({
        ...DEFAULT_POLICY,
        id: 'advisory-doe',
        version: 2,
        stages: {
          ...DEFAULT_POLICY.stages,
          CIVILIAN: {
            ...DEFAULT_POLICY.stages.CIVILIAN,
            roster: DEFAULT_POLICY.stages.CIVILIAN.roster.map((r) => ({
              ...r,
              required: r.agency !== 'DOE',
            })),
          },
        },
      });
      const policies = new PolicyRegistry([...POLICY_PRESETS, advisory]);
      await withTimeSkippingWorker(createTestActivities({ policies }), async ({ client, taskQueue }) => {
        const { h } = await startAccepted(
          client,
          taskQueue,
          await filingReleasedInAYear({ policyId: 'advisory-doe' }),
        );
        await noConcernsFrom(h, NS_AGENCIES);
        await untilStage(h, 'CIVILIAN');
        await decide(h, 'DOE', decision('CONCERNS_UNRESOLVED'));
        await noConcernsFrom(h, ['CAISI', 'TREASURY']);
        const s = await untilStage(h, 'PRE_RELEASE');
        assert.deepEqual(
          [s.determination?.outcome, s.determination?.flags, s.flags.includes('ADVISORY_CONCERNS')],
          ['NO_CONCERNS_IDENTIFIED', ['ADVISORY_CONCERNS'], true],
        );
        await terminateWhenDelivered(h);
      });
    });

    it('closes a stage as soon as its required agencies decided, while the advisory one is still silent', async () => {
      const advisory = Policy.parse({
        ...DEFAULT_POLICY,
        id: 'advisory-dow',
        version: 2,
        stages: {
          ...DEFAULT_POLICY.stages,
          NATIONAL_SECURITY: {
            ...DEFAULT_POLICY.stages.NATIONAL_SECURITY,
            roster: DEFAULT_POLICY.stages.NATIONAL_SECURITY.roster.map((r) => ({
              ...r,
              required: r.agency !== 'DOW',
            })),
          },
        },
      });
      const policies = new PolicyRegistry([...POLICY_PRESETS, advisory]);
      await withTimeSkippingWorker(createTestActivities({ policies }), async ({ client, taskQueue }) => {
        const { h } = await startAccepted(
          client,
          taskQueue,
          await filingReleasedInAYear({ policyId: 'advisory-dow' }),
        );
        await noConcernsFrom(h, ['NSA', 'CISA']);
        const s = await untilStage(h, 'CIVILIAN');
        assert.equal(s.agencies.find((a) => a.agency === 'DOW')?.decision, undefined);
        await terminateWhenDelivered(h);
      });
    });
  });

  it('H: closes an open information request and ends its toll when the lab withdraws', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      await h.executeUpdate(M.requestInformation.update, {
        args: [{ actor: 'agency:NSA', questions: ['q'] }],
      });
      await skipTo(h, (await serverNow()) + DAY_MS);
      await h.executeUpdate(M.withdraw.update, { args: [{ actor: lab }] });
      const s = await untilStage(h, 'CLOSED');
      assert.deepEqual(
        s.informationRequests.map((r) => r.status),
        ['CLOSED_WITH_CASE'],
      );
      const nsa = s.deadlines.find((d) => d.key === 'agency:NATIONAL_SECURITY:NSA')!;
      assert.deepEqual(
        nsa.tolls.map((t) => t.to),
        [s.closedAt],
      );
      await untilDelivered(h);
    });
  });
});
