import assert from 'node:assert/strict';
import type { Policy } from '../../../../shared/domain/policy';
import { POLICY_PRESETS } from '../../../../shared/domain/policy-presets';
import { due } from '../../../../shared/domain/review/clock';
import { MESSAGES as M } from '../../../../shared/domain/review/messages';
import type { RulesVersion } from '../../../../shared/domain/review/rules';
import { toStatus } from '../../../../shared/domain/review/to-status';
import { projectCase } from '../../../../shared/domain/review/what-if';
import { DAY_MS } from '../../../../shared/domain/time';
import { CaseLife } from '../../../helpers/case-life';
import { checkOrder, dateOf, instantIn, plusDays, timeOf } from '../../../helpers/counting-invariants';
import { assertEventTypes } from '../../../helpers/ledger';

/**
 * Issue 35's findings, each at the dates the issue gives, driven through the workflow's own loop (nextWake ->
 * advance, ../../../helpers/case-life.ts): each test runs the same life under rules 6 (the v6 presets), where
 * it shows what the issue found, and under rules 7 (the v7 presets), where it shows what domain.md section 4,
 * "Counting, precisely", says. Had rules 7 counted as rules 6 does, every one of them would fail. All times are
 * Washington's, written as the counting invariants' independent calendar reads them.
 */

type Rules = Extract<RulesVersion, 6 | 7>;
const NSA = 'agency:NSA';
const NSA_KEY = 'agency:NATIONAL_SECURITY:NSA';
const at = (date: string, time: string): number => instantIn(date, time);
const shown = (ms: number | string): string => {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  return `${dateOf(t)} ${timeOf(t)}`;
};

const preset = (id: string, rules: Rules): Policy => {
  const p = POLICY_PRESETS.find((x) => x.id === id && x.version === rules);
  assert.ok(p, `no preset ${id} v${rules}`);
  return p;
};

/** The same life under rules 6 and under rules 7. */
const both = <T>(life: (rules: Rules) => T): Record<Rules, T> => ({ 6: life(6), 7: life(7) });

/** A case filed at this Washington date and time, its release far off. */
function filed(
  rules: Rules,
  date: string,
  time: string,
  options: { policy?: string; proposesCovered?: boolean } = {},
): CaseLife {
  const start = at(date, time);
  return new CaseLife({
    at: start,
    policy: preset(options.policy ?? 'draft-2026-90d', rules),
    plannedRelease: start + 400 * DAY_MS,
    rules,
    proposesCovered: options.proposesCovered,
  });
}

/** Filed, and accepted at once: NSA designates the model covered. */
function accepted(rules: Rules, date: string, time: string, policy?: string): CaseLife {
  const life = filed(rules, date, time, { policy });
  assert.equal(life.send(M.designateCoverage, { actor: NSA, covered: true, reason: 'covered' }), 'APPLIED');
  assert.equal(life.c.stage, 'NATIONAL_SECURITY');
  return life;
}

const until = (life: CaseLife, date: string, time: string): void => life.wait(at(date, time));
const dueOf = (life: CaseLife, key: string): string => shown(due(life.c, key, new Date(life.now)).getTime());

function decide(life: CaseLife, agencies: string[], kind = 'NO_CONCERNS'): void {
  for (const agency of agencies) {
    const sent = life.send(M.recordDecision, { actor: `agency:${agency}`, decision: { kind, summary: 's' } });
    assert.equal(sent, 'APPLIED', `${agency}'s decision`);
  }
}

/** The government's deadlines of the case that are still open, by key, as due now. */
const governmentDues = (life: CaseLife): Record<string, string> =>
  Object.fromEntries(
    Object.values(life.c.deadlines)
      .filter((d) => d.party !== 'lab' && d.metAt === undefined)
      .map((d) => [d.key, dueOf(life, d.key)]),
  );

const labEvents = (life: CaseLife, type: string) => life.c.labEvents.filter((e) => e.type === type);

describe('counting precisely: issue 35 on rules 6 and rules 7 (nextWake -> advance)', () => {
  describe('1. an extension counts from the due date as it stands', () => {
    it('accepted Wed 2026-09-02: NSA, due Mon 10-19 (day 45 is Saturday 10-17), extends 2 days on 10-01', () => {
      const extended = both((rules) => {
        const life = accepted(rules, '2026-09-02', '10:00');
        until(life, '2026-10-01', '10:00');
        const before = dueOf(life, NSA_KEY);
        assert.equal(life.send(M.requestExtension, { actor: NSA, days: 2, reason: 'r' }), 'APPLIED');
        const told = labEvents(life, 'CLOCK_EXTENDED')[0].payload as { newDueAt: string };
        return { before, after: dueOf(life, NSA_KEY), told: shown(told.newDueAt) };
      });
      assert.deepEqual(extended, {
        6: { before: '2026-10-19 17:00', after: '2026-10-19 17:00', told: '2026-10-19 17:00' },
        7: { before: '2026-10-19 17:00', after: '2026-10-21 17:00', told: '2026-10-21 17:00' },
      });
    });

    it("moves every later deadline by a stage's overrun: accepted Mon 2026-08-31, NSA a day late on Fri 10-16", () => {
      // The national-security stage is due Thu 10-15; NSA extended by a day decides Fri 10-16 at noon, 19 hours
      // after it. The civilian stage's day 75 is Saturday 11-14, due Monday 11-16: a day later is Tuesday.
      const moved = both((rules) => {
        const life = accepted(rules, '2026-08-31', '10:00');
        decide(life, ['CISA', 'DOW']);
        assert.equal(life.send(M.requestExtension, { actor: NSA, days: 1, reason: 'r' }), 'APPLIED');
        const before = dueOf(life, 'stage:CIVILIAN');
        until(life, '2026-10-16', '12:00');
        decide(life, ['NSA']);
        assert.equal(life.c.stage, 'CIVILIAN');
        return { before, after: dueOf(life, 'stage:CIVILIAN') };
      });
      assert.deepEqual(moved, {
        6: { before: '2026-11-16 17:00', after: '2026-11-16 17:00' },
        7: { before: '2026-11-16 17:00', after: '2026-11-17 17:00' },
      });
    });
  });

  describe("2. a toll moves deadlines by whole days on Washington's wall clock", () => {
    it('a 10-second lapse moves nothing: accepted Mon 2026-09-21, lapse Fri 10-30 10:00', () => {
      const moved = both((rules) => {
        const life = accepted(rules, '2026-09-21', '10:00');
        until(life, '2026-10-30', '10:00');
        const before = governmentDues(life);
        assert.equal(life.startLapse('lapse-10s'), 'APPLIED');
        life.wait(life.now + 10_000);
        assert.equal(life.endLapse(), 'APPLIED');
        const after = governmentDues(life);
        return {
          nsa: `${before[NSA_KEY]} -> ${after[NSA_KEY]}`,
          moved: Object.keys(before).filter((k) => after[k] !== before[k]).length,
          of: Object.keys(before).length,
        };
      });
      assert.deepEqual(moved, {
        // Every deadline whose day fell on a business day (the civilian stage's and the determination's fell on
        // a weekend, which absorbed the extra day).
        6: { nsa: '2026-11-05 17:00 -> 2026-11-06 17:00', moved: 5, of: 9 },
        7: { nsa: '2026-11-05 17:00 -> 2026-11-05 17:00', moved: 0, of: 9 },
      });
    });

    it('a lapse over the clock change, Fri 10-30 10:00 to Sat 11-07 10:00, moves NSA exactly 8 days', () => {
      // Accepted Mon 2026-09-21: NSA's day 45 is Thu 11-05; the lapse lasts 8 days and an hour of instants.
      const moved = both((rules) => {
        const life = accepted(rules, '2026-09-21', '10:00');
        until(life, '2026-10-30', '10:00');
        assert.equal(life.startLapse('lapse-dst'), 'APPLIED');
        until(life, '2026-11-07', '10:00');
        assert.equal(life.endLapse(), 'APPLIED');
        return dueOf(life, NSA_KEY);
      });
      assert.deepEqual(moved, { 6: '2026-11-16 17:00', 7: '2026-11-13 17:00' });
    });

    it('an information request Fri 10-30 10:00 answered Sun 11-01 10:00 moves NSA 2 days, Tue 11-10 to Thu 11-12', () => {
      const moved = both((rules) => {
        const life = accepted(rules, '2026-09-26', '10:00');
        until(life, '2026-10-30', '10:00');
        const before = dueOf(life, NSA_KEY);
        assert.equal(life.send(M.requestInformation, { actor: NSA, questions: ['q'] }), 'APPLIED');
        until(life, '2026-11-01', '10:00');
        const requestId = life.c.informationRequests[0].id;
        assert.equal(
          life.send(M.answerInformationRequest, { actor: 'lab:acme', requestId, answer: 'a' }),
          'APPLIED',
        );
        return `${before} -> ${dueOf(life, NSA_KEY)}`;
      });
      assert.deepEqual(moved, {
        6: '2026-11-10 17:00 -> 2026-11-13 17:00',
        7: '2026-11-10 17:00 -> 2026-11-12 17:00',
      });
    });
  });

  describe('3. the case checks its window during a lapse', () => {
    it('accepted Tue 2026-09-01, civilian review open, a lapse from Mon 11-09 without end: the lab is offered the extension Sat 11-14 22:00', () => {
      // The determination, due Wed 11-25, passes the window's last day (Mon 11-30) once the lapse has lasted 5.5
      // days on the wall clock: 6 days then, to Tue 12-01 17:00, and the offer keeps the policy's 5 days after it.
      const offered = both((rules) => {
        const life = accepted(rules, '2026-09-01', '10:00');
        decide(life, ['NSA', 'CISA', 'DOW']);
        until(life, '2026-11-09', '10:00');
        assert.equal(life.startLapse('lapse-open'), 'APPLIED');
        until(life, '2027-01-01', '00:00');
        return {
          offers: life.c.extensionOffers.map((o) => [shown(o.offeredAt), shown(o.proposedWindowEnd)]),
          told: labEvents(life, 'WINDOW_AT_RISK').length,
          outcome: life.c.determination?.outcome,
        };
      });
      assert.deepEqual(offered, {
        6: { offers: [], told: 0, outcome: 'REVIEW_INCOMPLETE' },
        7: {
          offers: [['2026-11-14 22:00', '2026-12-07 00:00']],
          told: 1,
          // The lab let the offer lapse: the window ended first.
          outcome: 'REVIEW_INCOMPLETE',
        },
      });
    });
  });

  describe("4. the chair's protected time is applied after the tolls", () => {
    it("30-day preset accepted Tue 2026-09-08: escalated Mon 10-05 17:00, the chair's day (due Wed 10-07) lost to a lapse Tue 10-06 09:00 to Wed 10-07 09:00", () => {
      // The 90-day example (escalated Tue 10-27 17:00, determination at Mon 11-02) needs a determination
      // that the chair's three business days hold back; with the presets' rosters and days that never happens on
      // the 90-day preset, whose determination is ten days after the civilian stage. The 30-day preset's one
      // business day for the chair shows the same rule: TREASURY silent at the civilian deadline escalates, the
      // chair's day ends Wed 10-07, and a day's lapse after the escalation must move it to Thursday.
      const moved = both((rules) => {
        const life = accepted(rules, '2026-09-08', '10:00', 'eo-2026-30d');
        decide(life, ['NSA'], 'CONCERNS_UNRESOLVED');
        decide(life, ['CISA', 'DOW', 'CAISI', 'DOE']);
        until(life, '2026-10-06', '09:00');
        const escalated = shown(life.c.escalation!.at);
        const before = dueOf(life, 'determination');
        assert.equal(life.startLapse('lapse-chair'), 'APPLIED');
        until(life, '2026-10-07', '09:00');
        assert.equal(life.endLapse(), 'APPLIED');
        return { escalated, before, after: dueOf(life, 'determination') };
      });
      assert.deepEqual(moved, {
        6: { escalated: '2026-10-05 17:00', before: '2026-10-07 17:00', after: '2026-10-07 17:00' },
        7: { escalated: '2026-10-05 17:00', before: '2026-10-07 17:00', after: '2026-10-08 17:00' },
      });
    });
  });

  describe("5. NSA's designation deadline before acceptance is a government clock", () => {
    it('filed Mon 2026-10-05, the screen proposing not covered: a lapse from Tue 10-06 tolls it, and the case waits', () => {
      // Five business days from Mon 10-05 (Columbus Day, Mon 10-12, is none) end Tue 10-13 at 17:00.
      const waited = both((rules) => {
        const life = filed(rules, '2026-10-05', '10:00', { proposesCovered: false });
        const pending = dueOf(life, 'designation');
        until(life, '2026-10-06', '10:00');
        const tolled = life.startLapse('lapse-designation');
        until(life, '2026-10-20', '10:00');
        return { pending, tolled, stage: life.c.stage, closed: life.c.closedReason ?? null };
      });
      assert.deepEqual(waited, {
        6: { pending: '2026-10-13 17:00', tolled: 'NOT_ACCEPTED', stage: 'CLOSED', closed: 'NOT_COVERED' },
        7: { pending: '2026-10-13 17:00', tolled: 'APPLIED', stage: 'DESIGNATION', closed: null },
      });
    });

    it('a lapse Tue 10-06 10:00 to Thu 10-08 10:00 moves the pending designation 2 days, to Thu 10-15', () => {
      const moved = both((rules) => {
        const life = filed(rules, '2026-10-05', '10:00');
        until(life, '2026-10-06', '10:00');
        life.startLapse('lapse-two-days');
        until(life, '2026-10-08', '10:00');
        life.endLapse();
        return dueOf(life, 'designation');
      });
      assert.deepEqual(moved, { 6: '2026-10-13 17:00', 7: '2026-10-15 17:00' });
    });

    it('a lapse in force when the lab files tolls the designation from the filing; NSA and ops see it, and acceptance keeps it', () => {
      const life = new CaseLife({
        at: at('2026-10-05', '10:00'),
        policy: preset('draft-2026-90d', 7),
        plannedRelease: at('2027-06-01', '00:00'),
        rules: 7,
        government: {
          lapses: [
            {
              id: 'lapse-fy27',
              reason: 'appropriations',
              from: '2026-10-01T04:00:00.000Z',
              startedBy: 'ops',
            },
          ],
          closures: [],
        },
      });
      assert.deepEqual(
        life.c.fundingLapses.map((l) => [l.id, shown(l.from)]),
        [['lapse-fy27', '2026-10-05 10:00']],
      );
      until(life, '2026-10-19', '10:00');
      assert.equal(life.c.stage, 'DESIGNATION');
      // Fourteen days tolled so far: were the lapse to end now, NSA would have until Tue 10-27.
      assert.equal(dueOf(life, 'designation'), '2026-10-27 17:00');
      assert.deepEqual(toStatus(life.c, new Date(life.now)).flags, ['FUNDING_LAPSE']);
      assert.equal(
        life.send(M.designateCoverage, { actor: NSA, covered: true, reason: 'covered' }),
        'APPLIED',
      );
      // Accepted during the same lapse: its clocks start tolled, and the lab is told of the lapse once.
      assert.equal(life.c.stage, 'NATIONAL_SECURITY');
      assert.equal(labEvents(life, 'CLOCK_TOLLED').length, 1);
      assert.deepEqual(
        Object.values(life.c.deadlines)
          .filter((d) => d.party !== 'lab' && d.metAt === undefined)
          .map((d) => d.tolls.map((t) => [t.id, shown(t.from)])),
        Array.from({ length: 9 }, () => [['lapse-fy27', '2026-10-19 10:00']]),
      );
    });

    it('a closure declared on Tue 10-06 for Tue 10-13 moves the pending designation to Wed 10-14', () => {
      const moved = both((rules) => {
        const life = filed(rules, '2026-10-05', '10:00', { proposesCovered: false });
        until(life, '2026-10-06', '10:00');
        const declared = life.declareClosure('closure-13', ['2026-10-13']);
        return { declared, due: dueOf(life, 'designation') };
      });
      assert.deepEqual(moved, {
        6: { declared: 'NOT_ACCEPTED', due: '2026-10-13 17:00' },
        7: { declared: 'APPLIED', due: '2026-10-14 17:00' },
      });
    });

    it('closes a designation a lapse held past the planned release: no window is left (INSUFFICIENT_NOTICE)', () => {
      const life = new CaseLife({
        at: at('2026-10-05', '10:00'),
        policy: preset('draft-2026-90d', 7),
        plannedRelease: at('2026-10-20', '12:00'),
        rules: 7,
      });
      until(life, '2026-10-06', '10:00');
      assert.equal(life.startLapse('lapse-long'), 'APPLIED');
      until(life, '2026-12-01', '00:00');
      assert.deepEqual(
        [life.c.closedReason, shown(life.c.closedAt!)],
        ['INSUFFICIENT_NOTICE', '2026-10-20 12:00'],
      );
    });
  });

  describe('6. the lab is told when a closure moves its answer deadline, never when a lapse runs', () => {
    it('an answer due Mon 10-19 17:00 (asked Wed 10-14) moves to Tue 10-20 when Mon 10-19 is declared closed', () => {
      const told = both((rules) => {
        const life = accepted(rules, '2026-09-02', '10:00');
        until(life, '2026-10-14', '10:00');
        assert.equal(life.send(M.requestInformation, { actor: NSA, questions: ['q'] }), 'APPLIED');
        const request = life.c.informationRequests[0];
        const asked = shown(request.dueAt);
        // A funding lapse is not the lab's clock: its answer stays due.
        life.startLapse('lapse-short');
        until(life, '2026-10-14', '15:00');
        life.endLapse();
        until(life, '2026-10-15', '10:00');
        assert.equal(life.declareClosure('closure-19', ['2026-10-19']), 'APPLIED');
        const status = toStatus(life.c, new Date(life.now));
        return {
          asked,
          shown: shown(status.informationRequests[0].dueAt),
          moved: labEvents(life, 'DEADLINE_MOVED').map((e) => e.payload),
        };
      });
      assert.deepEqual(told, {
        6: { asked: '2026-10-19 17:00', shown: '2026-10-19 17:00', moved: [] },
        7: {
          asked: '2026-10-19 17:00',
          shown: '2026-10-20 17:00',
          moved: [
            {
              requestId: 'NSA-1',
              agency: 'NSA',
              dueAt: new Date(at('2026-10-20', '17:00')).toISOString(),
              previousDueAt: new Date(at('2026-10-19', '17:00')).toISOString(),
              reason: 'CLOSURE',
              closureId: 'closure-19',
            },
          ],
        },
      });
    });

    it('tells the lab right after the closure itself, in one message', () => {
      const life = accepted(7, '2026-09-02', '10:00');
      until(life, '2026-10-14', '10:00');
      life.send(M.requestInformation, { actor: NSA, questions: ['q'] });
      until(life, '2026-10-15', '10:00');
      life.declareClosure('closure-19', ['2026-10-19']);
      assertEventTypes(life.c.labEvents.slice(-2), ['CLOSURE_DECLARED', 'DEADLINE_MOVED']);
    });
  });

  describe('7. the move to a business day keeps the process in order', () => {
    it('14-day preset accepted Mon 2026-01-05: Martin Luther King Jr. Day no longer pushes everything onto the window end', () => {
      const placed = both((rules) => {
        const life = accepted(rules, '2026-01-05', '10:00', 'industry-14d');
        const status = toStatus(life.c, new Date(life.now));
        return {
          due: ['stage:NATIONAL_SECURITY', 'stage:CIVILIAN', 'determination', 'window'].map((k) =>
            dueOf(life, k),
          ),
          atRisk: status.flags.includes('WINDOW_AT_RISK'),
        };
      });
      assert.deepEqual(placed, {
        6: {
          due: ['2026-01-12 17:00', '2026-01-20 00:00', '2026-01-20 00:00', '2026-01-20 00:00'],
          atRisk: true,
        },
        // The window's last day is the holiday Mon 01-19, Friday 01-16 leaves no business day after it: the
        // determination goes back to Thursday, the civilian stage (day 12, Saturday) to Wednesday before it.
        7: {
          due: ['2026-01-12 17:00', '2026-01-14 17:00', '2026-01-15 17:00', '2026-01-20 00:00'],
          atRisk: false,
        },
      });
    });

    it('every preset keeps the order on every acceptance date of 2026 and 2027', function () {
      // Rules 6 broke it on 2026-01-05 (above) and on hundreds of other dates (the issue counts them).
      this.timeout(60_000);
      const broken = ['draft-2026-90d', 'eo-2026-30d', 'industry-14d'].flatMap((id) =>
        Array.from({ length: 730 }, (_, day) => plusDays('2026-01-01', day)).filter((date) => {
          const life = new CaseLife({
            at: at(date, '10:00'),
            policy: preset(id, 7),
            plannedRelease: at('2029-01-01', '00:00'),
            rules: 7,
            observe: true,
          });
          life.send(M.designateCoverage, { actor: NSA, covered: true, reason: 'covered' });
          return checkOrder(life.record()) !== 1;
        }),
      );
      assert.deepEqual(broken, []);
    });
  });

  describe('the what-if projection counts as the case will', () => {
    it("projects NSA's extension and a lapse over the clock change to the due times the case then uses", () => {
      const life = accepted(7, '2026-09-21', '10:00');
      until(life, '2026-10-01', '10:00');
      const extension = projectCase(life.c, { kind: 'EXTENSION', party: NSA, days: 2 }, new Date(life.now));
      const lapse = projectCase(
        life.c,
        {
          kind: 'TOLL',
          parties: 'ALL_GOVERNMENT',
          from: new Date(at('2026-10-30', '10:00')).toISOString(),
          to: new Date(at('2026-11-07', '10:00')).toISOString(),
          reason: 'FUNDING_LAPSE',
        },
        new Date(life.now),
      );
      // Each as the case counts it: NSA Thu 11-05, two days on (a Saturday) then Monday; eight days, Friday 11-13.
      assert.deepEqual(
        [extension, lapse].map((rows) => shown(rows.find((r) => r.key === NSA_KEY)!.dueAt)),
        ['2026-11-09 17:00', '2026-11-13 17:00'],
      );
      life.send(M.requestExtension, { actor: NSA, days: 2, reason: 'r' });
      assert.equal(dueOf(life, NSA_KEY), '2026-11-09 17:00');
      // The open stage shows as it binds (NSA's extension holds it open), in the projection as in the status.
      const stage = projectCase(
        life.c,
        { kind: 'EXTENSION', party: 'agency:CISA', days: 1 },
        new Date(life.now),
      );
      const status = toStatus(life.c, new Date(life.now));
      assert.equal(
        stage.find((r) => r.key === 'stage:NATIONAL_SECURITY')!.before,
        status.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')!.dueAt,
      );
    });
  });
});
