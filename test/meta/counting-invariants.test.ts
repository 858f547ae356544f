import assert from 'node:assert/strict';
import type { GovernmentSnapshot } from '../../shared/domain/government/state';
import { POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { DAY_MS } from '../../shared/domain/time';
import { FEDERAL_HOLIDAYS_2025_2040 } from '../../shared/domain/washington/federal-holidays';
import { CaseLife } from '../helpers/case-life';
import {
  checkDesignation,
  checkExtensions,
  checkLapseOffers,
  checkOrder,
  checkTolls,
  federalHolidays,
  instantIn,
  wallDays,
} from '../helpers/counting-invariants';

/**
 * The counting invariants (domain.md section 4, "Counting, precisely"; ../helpers/counting-invariants.ts) before
 * the rules that keep them exist: each is driven through a rules-6 case life (../helpers/case-life.ts) into
 * its counterexample of issue 35, at that issue's dates, and must report it by name; and each must pass, having
 * judged something, on a rules-6 life that happens to keep it, so none is a check that always fails. The lives
 * (test/shared/domain/review/lives.test.ts) run them from COUNTING_RULES_FROM on. All times are Washington's.
 */

const RULES = 6;
const preset = (id: string) => {
  const p = POLICY_PRESETS.find((x) => x.id === id && x.version === RULES);
  assert.ok(p, `no preset ${id} v${RULES}`);
  return p;
};
const at = (date: string, time: string): number => instantIn(date, time);
const NSA = 'agency:NSA';

/** A rules-6 case filed under the preset at this Washington date and time, its release far off, observed. */
function filed(
  date: string,
  time: string,
  options: { policy?: string; proposesCovered?: boolean; government?: GovernmentSnapshot } = {},
): CaseLife {
  const start = at(date, time);
  return new CaseLife({
    at: start,
    policy: preset(options.policy ?? 'draft-2026-90d'),
    plannedRelease: start + 200 * DAY_MS,
    rules: RULES,
    proposesCovered: options.proposesCovered,
    government: options.government,
    observe: true,
  });
}

/** Filed as above, and accepted at that instant: NSA designates the model covered at once. */
function accepted(date: string, time: string, policy?: string): CaseLife {
  const life = filed(date, time, { policy });
  assert.equal(life.c.stage, 'DESIGNATION');
  assert.equal(
    life.send(M.designateCoverage, { actor: NSA, covered: true, reason: 'the benchmark finds it covered' }),
    'APPLIED',
  );
  assert.equal(life.c.stage, 'NATIONAL_SECURITY');
  return life;
}

/** Lets the life run to this Washington date and time. */
const until = (life: CaseLife, date: string, time: string): void => life.wait(at(date, time));

/** Every agency of a stage records its decision now. */
function decide(life: CaseLife, agencies: string[], kind = 'NO_CONCERNS'): void {
  for (const agency of agencies) {
    const sent = life.send(M.recordDecision, { actor: `agency:${agency}`, decision: { kind, summary: 's' } });
    assert.equal(sent, 'APPLIED', `${agency}'s decision`);
  }
}

describe('the counting invariants, shown on rules-6 lives (issue 35)', () => {
  describe('the independent calendar they count on', () => {
    it('observes the same federal holidays, 2025 to 2040, as the policy publishes', () => {
      const ours = Array.from({ length: 16 }, (_, i) => federalHolidays(2025 + i)).flat();
      assert.equal(ours.length, 176);
      assert.deepEqual(
        ours,
        FEDERAL_HOLIDAYS_2025_2040.map((h) => h.date),
      );
    });

    it('counts a lapse across the end of daylight saving time by the wall clock', () => {
      // Fri 30 October 10:00 EDT to Sat 7 November 10:00 EST: 8 days and an hour of instants, 8 wall-clock days.
      assert.equal(wallDays(at('2026-10-30', '10:00'), at('2026-11-07', '10:00')), 8);
      assert.equal(at('2026-11-07', '10:00') - at('2026-10-30', '10:00'), 8 * DAY_MS + 3_600_000);
    });
  });

  describe('extension', () => {
    it('reports an extension that moves nothing: accepted Wed 2026-09-02, NSA +2 days on 10-01', () => {
      // Day 45 is Sat 10-17, due Mon 10-19; two days from the due date as it stands is Wed 10-21.
      const life = accepted('2026-09-02', '10:00');
      until(life, '2026-10-01', '10:00');
      assert.equal(life.send(M.requestExtension, { actor: NSA, days: 2, reason: 'r' }), 'APPLIED');
      assert.throws(
        () => checkExtensions(life.record()),
        /^Error: counting invariant broken \(extension\): NSA extended .* due 2026-10-19 17:00 .*before, 2026-10-19 17:00 .*after; the rule gives 2026-10-21 17:00/,
      );
    });

    it('keeps an extension from a due date that needed no move: accepted Tue 2026-09-08, NSA +3 days', () => {
      // Day 45 is Fri 10-23; three days on is Mon 10-26, which rules 6 gives too.
      const life = accepted('2026-09-08', '10:00');
      until(life, '2026-10-01', '10:00');
      assert.equal(life.send(M.requestExtension, { actor: NSA, days: 3, reason: 'r' }), 'APPLIED');
      assert.equal(checkExtensions(life.record()), 1);
    });
  });

  describe('toll', () => {
    it('reports a lapse over the clock change moved 3 days too far: Fri 10-30 10:00 to Sat 11-07 10:00', () => {
      // Accepted Mon 2026-09-21: NSA's day 45 is Thu 11-05; 8 wall-clock days on is Fri 11-13.
      const life = accepted('2026-09-21', '10:00');
      until(life, '2026-10-30', '10:00');
      assert.equal(life.startLapse('lapse-dst'), 'APPLIED');
      until(life, '2026-11-07', '10:00');
      assert.equal(life.endLapse(), 'APPLIED');
      assert.throws(
        () => checkTolls(life.record()),
        /^Error: counting invariant broken \(toll\): funding lapse lapse-dst .*\(8\.000 days on the wall clock, so 8\) moved agency:NATIONAL_SECURITY:\w+ from 2026-11-05 17:00 .* to 2026-11-16 17:00 .*; the rule gives 2026-11-13 17:00/,
      );
    });

    it('reports a 10-second lapse that moved a deadline a whole business day', () => {
      const life = accepted('2026-09-21', '10:00');
      until(life, '2026-10-30', '10:00');
      assert.equal(life.startLapse('lapse-10s'), 'APPLIED');
      life.wait(life.now + 10_000);
      assert.equal(life.endLapse(), 'APPLIED');
      assert.throws(
        () => checkTolls(life.record()),
        /^Error: counting invariant broken \(toll\): funding lapse lapse-10s .*so 0\) moved agency:NATIONAL_SECURITY:\w+ from 2026-11-05 17:00 .* to 2026-11-06 17:00 .*; the rule gives 2026-11-05 17:00/,
      );
    });

    it('reports a two-day information request that moved NSA three days: Fri 10-30 10:00 to Sun 11-01 10:00', () => {
      // Accepted Sat 2026-09-26: NSA's day 45 is Tue 11-10; two days on is Thu 11-12.
      const life = accepted('2026-09-26', '10:00');
      until(life, '2026-10-30', '10:00');
      assert.equal(life.send(M.requestInformation, { actor: NSA, questions: ['q'] }), 'APPLIED');
      until(life, '2026-11-01', '10:00');
      const requestId = life.c.informationRequests[0].id;
      assert.equal(
        life.send(M.answerInformationRequest, { actor: 'lab:acme', requestId, answer: 'a' }),
        'APPLIED',
      );
      assert.throws(
        () => checkTolls(life.record()),
        /^Error: counting invariant broken \(toll\): information request \S+ from NSA .*so 2\) moved agency:NATIONAL_SECURITY:NSA from 2026-11-10 17:00 .* to 2026-11-13 17:00 .*; the rule gives 2026-11-12 17:00/,
      );
    });

    it('keeps a two-day information request onto a weekend: Tue 10-13 10:00 to Thu 10-15 10:00', () => {
      // Accepted Mon 2026-09-21: NSA's Thu 11-05 moves two days to Sat 11-07, so Mon 11-09, as rules 6 has it.
      const life = accepted('2026-09-21', '10:00');
      until(life, '2026-10-13', '10:00');
      assert.equal(life.send(M.requestInformation, { actor: NSA, questions: ['q'] }), 'APPLIED');
      until(life, '2026-10-15', '10:00');
      const requestId = life.c.informationRequests[0].id;
      assert.equal(
        life.send(M.answerInformationRequest, { actor: 'lab:acme', requestId, answer: 'a' }),
        'APPLIED',
      );
      assert.equal(checkTolls(life.record()), 1);
    });

    it('keeps a three-day lapse onto a weekend while the chair decides: Wed 12-02 10:00 to Sat 12-05 10:00', () => {
      // Accepted Tue 2026-09-22: the determination's day 85 is Wed 12-16; three days on is Sat 12-19, so Mon 12-21.
      const life = accepted('2026-09-22', '10:00');
      decide(life, ['NSA', 'CISA', 'DOW']);
      decide(life, ['CAISI', 'DOE']);
      decide(life, ['TREASURY'], 'CONCERNS_UNRESOLVED');
      assert.equal(life.c.stage, 'DETERMINATION');
      until(life, '2026-12-02', '10:00');
      assert.equal(life.startLapse('lapse-weekend'), 'APPLIED');
      until(life, '2026-12-05', '10:00');
      assert.equal(life.endLapse(), 'APPLIED');
      assert.equal(checkTolls(life.record()), 1);
    });
  });

  describe('order', () => {
    it('reports the 14-day preset accepted Mon 2026-01-05: civilian, determination and window end together', () => {
      // Martin Luther King Jr. Day (Mon 01-19) pushes the civilian stage and the determination onto the window's end.
      const life = accepted('2026-01-05', '10:00', 'industry-14d');
      assert.throws(
        () => checkOrder(life.record()),
        /^Error: counting invariant broken \(order\): accepted 2026-01-05 10:00 .*under industry-14d v6: civilian stage is not before determination .*civilian stage 2026-01-20 00:00 .*determination 2026-01-20 00:00 .*window's end 2026-01-20 00:00/,
      );
    });

    it('keeps the 90-day preset accepted Wed 2026-09-02, Thanksgiving and all', () => {
      // Mon 10-19, Mon 11-16, Fri 11-27 (Thu 11-26 is Thanksgiving), then business days to the end of Tue 12-01.
      const life = accepted('2026-09-02', '10:00');
      assert.equal(checkOrder(life.record()), 1);
    });
  });

  describe('designation', () => {
    it("reports NSA's silence closing a case during a lapse: filed Mon 2026-10-05, lapse from Tue 10-06", () => {
      // Five business days from Mon 10-05 (Columbus Day, Mon 10-12, is none) end Tue 10-13 at 17:00.
      const life = filed('2026-10-05', '10:00', { proposesCovered: false });
      until(life, '2026-10-06', '10:00');
      assert.equal(life.startLapse('lapse-designation'), 'NOT_ACCEPTED');
      until(life, '2026-10-20', '10:00');
      assert.equal(life.c.closedReason, 'NOT_COVERED');
      assert.throws(
        () => checkDesignation(life.record()),
        /^Error: counting invariant broken \(designation\): the screen's proposal stood by NSA's silence at 2026-10-13 17:00 .*during funding lapse lapse-designation/,
      );
    });

    it('reports a pending designation due on a closure declared for Tue 2026-10-13', () => {
      const life = filed('2026-10-05', '10:00', { proposesCovered: false });
      until(life, '2026-10-06', '10:00');
      assert.equal(life.declareClosure('closure-13', ['2026-10-13']), 'NOT_ACCEPTED');
      assert.throws(
        () => checkDesignation(life.record()),
        /^Error: counting invariant broken \(designation\): at 2026-10-06 10:00 .*the pending designation is due 2026-10-13 17:00 .*a closure/,
      );
    });

    it('reports a two-day lapse that leaves the pending designation where it was: Tue 10-06 to Thu 10-08', () => {
      const life = filed('2026-10-05', '10:00');
      until(life, '2026-10-06', '10:00');
      assert.equal(life.startLapse('lapse-two-days'), 'NOT_ACCEPTED');
      until(life, '2026-10-08', '10:00');
      assert.equal(life.endLapse(), 'FUNDING_LAPSE_NOT_ACTIVE');
      assert.throws(
        () => checkDesignation(life.record()),
        /^Error: counting invariant broken \(designation\): funding lapse lapse-two-days .* left the pending designation due 2026-10-13 17:00 .*; the rule gives 2026-10-15 17:00/,
      );
    });

    it('keeps a lapse under half a day while NSA designates in time', () => {
      const life = filed('2026-10-05', '10:00');
      until(life, '2026-10-06', '10:00');
      life.startLapse('lapse-morning');
      until(life, '2026-10-06', '16:00');
      life.endLapse();
      until(life, '2026-10-07', '10:00');
      assert.equal(life.send(M.designateCoverage, { actor: NSA, covered: true, reason: 'r' }), 'APPLIED');
      const judged = checkDesignation(life.record());
      assert.ok(judged >= 2, `judged ${judged}: the lapse and the pending designation`);
    });
  });

  describe('lapseOffer', () => {
    it('reports no extension offered while a lapse runs to the window: accepted Tue 2026-09-01, lapse from Mon 11-09', () => {
      // The determination, due Wed 11-25, would pass the window's last day (Mon 11-30) once the lapse has lasted
      // 5.5 days on the wall clock: Sat 11-14 at 22:00. The case ends at the window's end with no offer.
      const life = accepted('2026-09-01', '10:00');
      decide(life, ['NSA', 'CISA', 'DOW']);
      until(life, '2026-11-09', '10:00');
      assert.equal(life.startLapse('lapse-open'), 'APPLIED');
      until(life, '2027-01-01', '00:00');
      assert.equal(life.c.determination?.outcome, 'REVIEW_INCOMPLETE');
      assert.throws(
        () => checkLapseOffers(life.record()),
        /^Error: counting invariant broken \(lapseOffer\): funding lapse lapse-open .*determination \(due 2026-11-25 17:00 .*would pass the window's end 2026-12-01 00:00 .*from 2026-11-14 22:00 .*but the lab was offered no extension by 2026-11-15 22:00/,
      );
    });

    it('keeps a lapse whose offer comes within the day: a civilian decision on Sun 11-15 makes the case look', () => {
      const life = accepted('2026-09-01', '10:00');
      decide(life, ['NSA', 'CISA', 'DOW']);
      until(life, '2026-11-09', '10:00');
      assert.equal(life.startLapse('lapse-open'), 'APPLIED');
      until(life, '2026-11-15', '10:00');
      decide(life, ['CAISI']);
      assert.equal(life.c.extensionOffers.length, 1);
      assert.equal(checkLapseOffers(life.record()), 1);
    });
  });
});
