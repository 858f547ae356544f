import assert from 'node:assert/strict';
import {
  compress,
  dueAt,
  endToll,
  extend,
  isPaused,
  meet,
  nextWakeAt,
  tolledMs,
  toll,
  urgency,
  withCap,
  type Toll,
} from '../../../shared/domain/deadlines';
import { Deadline, Extension } from '../../../shared/domain/deadline-ledger';
import { project, Projection } from '../../../shared/domain/projection';

const DAY = 86_400_000;
// Day 0 is a Monday; the deadlines below count days from it.
const START = Date.parse('2026-03-02T14:00:00.000Z');
const on = (n: number): Date => new Date(START + n * DAY);
const day = (n: number): string => on(n).toISOString();

const nsa = (over: Partial<Deadline> = {}): Deadline => ({
  key: 'stage:national-security:agency:NSA',
  party: 'agency:NSA',
  startsAt: day(0),
  baseDue: day(30),
  calendar: 'CALENDAR_DAYS',
  tolls: [],
  extensions: [],
  ...over,
});

const infoRequest = (from: number, to?: number): Toll => ({
  id: `info-${from}`,
  who: 'agency:NSA',
  reason: 'INFORMATION_REQUEST',
  from: day(from),
  ...(to === undefined ? {} : { to: day(to) }),
});

const fundingLapse = (from: number, to?: number): Toll => ({
  id: `lapse-${from}`,
  who: 'ops',
  reason: 'FUNDING_LAPSE',
  from: day(from),
  ...(to === undefined ? {} : { to: day(to) }),
});

const extension = (days: number): Extension => ({ id: `ext-${days}`, who: 'agency:NSA', days, at: day(1) });

const CAP_MS = 7 * DAY;
const CAP = { capMs: CAP_MS };

describe('tolledMs', () => {
  it('is zero without tolls', () => {
    assert.equal(tolledMs(nsa(), on(10), CAP_MS), 0);
  });

  it('counts a closed toll from its start to its end', () => {
    assert.equal(tolledMs(nsa({ tolls: [infoRequest(5, 7)] }), on(20), CAP_MS), 2 * DAY);
  });

  it('counts an open toll up to now', () => {
    assert.equal(tolledMs(nsa({ tolls: [infoRequest(5)] }), on(8), CAP_MS), 3 * DAY);
  });

  it('counts nothing for a toll that starts after now', () => {
    assert.equal(tolledMs(nsa({ tolls: [infoRequest(12)] }), on(10), CAP_MS), 0);
  });

  it('limits all information requests together to the cap', () => {
    const d = nsa({ tolls: [infoRequest(2, 5), infoRequest(10)] });
    assert.equal(tolledMs(d, on(16), CAP_MS), 7 * DAY);
  });

  it('does not limit information requests when no cap is given', () => {
    assert.equal(tolledMs(nsa({ tolls: [infoRequest(5)] }), on(15), undefined), 10 * DAY);
  });

  it('never caps a funding lapse', () => {
    assert.equal(tolledMs(nsa({ tolls: [fundingLapse(10, 18)] }), on(20), CAP_MS), 8 * DAY);
  });

  it('counts overlapping information requests once', () => {
    assert.equal(
      tolledMs(nsa({ tolls: [infoRequest(1, 4), infoRequest(3, 6)] }), on(10), undefined),
      5 * DAY,
    );
  });

  it('counts an information request overlapping a funding lapse once', () => {
    assert.equal(
      tolledMs(nsa({ tolls: [infoRequest(0, 3), fundingLapse(2, 5)] }), on(10), undefined),
      5 * DAY,
    );
  });

  it('does not spend the information-request cap while a funding lapse already tolls the clock', () => {
    // 4 days of lapse, plus 6 of the 10 request days that fall outside it (under the 7-day cap).
    const d = nsa({ tolls: [infoRequest(0, 10), fundingLapse(2, 6)] });
    assert.equal(tolledMs(d, on(20), CAP_MS), 10 * DAY);
  });
});

describe('isPaused', () => {
  it('is true while an information request under the cap is open', () => {
    assert.equal(isPaused(nsa({ tolls: [infoRequest(5)] }), on(8), CAP_MS), true);
  });

  it('is false once an open information request has used up the cap', () => {
    assert.equal(isPaused(nsa({ tolls: [infoRequest(5)] }), on(15), CAP_MS), false);
  });

  it('is true while a funding lapse is open, whatever the cap', () => {
    assert.equal(isPaused(nsa({ tolls: [fundingLapse(5)] }), on(15), CAP_MS), true);
  });

  it('is false when every toll has ended', () => {
    assert.equal(isPaused(nsa({ tolls: [infoRequest(5, 7)] }), on(8), CAP_MS), false);
  });
});

describe('dueAt', () => {
  it('is baseDue when nothing has moved it', () => {
    assert.equal(dueAt(nsa(), on(10), CAP).toISOString(), day(30));
  });

  it('moves by exactly two days for an information request answered two days later', () => {
    assert.equal(dueAt(nsa({ tolls: [infoRequest(5, 7)] }), on(10), CAP).toISOString(), day(32));
  });

  it('grows with now while a toll is open, as if the toll ended now', () => {
    const d = nsa({ tolls: [infoRequest(5)] });
    assert.deepEqual(
      [dueAt(d, on(6), CAP).toISOString(), dueAt(d, on(9), CAP).toISOString()],
      [day(31), day(34)],
    );
  });

  it('moves by only the 7-day cap for an information request open for ten days', () => {
    assert.equal(dueAt(nsa({ tolls: [infoRequest(5)] }), on(15), CAP).toISOString(), day(37));
  });

  it('moves by all eight days of an eight-day funding lapse, despite the cap', () => {
    assert.equal(dueAt(nsa({ tolls: [fundingLapse(10, 18)] }), on(20), CAP).toISOString(), day(38));
  });

  it('adds an extension in business days on a business-day deadline, skipping Memorial Day', () => {
    const d = nsa({
      baseDue: '2026-05-21T14:00:00.000Z',
      calendar: 'BUSINESS_DAYS',
      extensions: [extension(5)],
    });
    assert.equal(dueAt(d, on(10), CAP).toISOString(), '2026-05-29T14:00:00.000Z');
  });

  it('adds an extension in calendar days on a calendar-day deadline', () => {
    assert.equal(dueAt(nsa({ extensions: [extension(10)] }), on(10), CAP).toISOString(), day(40));
  });

  it('adds tolled time on top of extensions', () => {
    const d = nsa({ extensions: [extension(10)], tolls: [infoRequest(5, 7)] });
    assert.equal(dueAt(d, on(10), CAP).toISOString(), day(42));
  });

  it('never passes capAt', () => {
    assert.equal(
      dueAt(nsa({ extensions: [extension(10)], capAt: day(35) }), on(10), CAP).toISOString(),
      day(35),
    );
  });

  it('is not moved by a capAt that is later', () => {
    assert.equal(
      dueAt(nsa({ extensions: [extension(10)], capAt: day(90) }), on(10), CAP).toISOString(),
      day(40),
    );
  });
});

describe('nextWakeAt', () => {
  it('is the due time while the clock runs', () => {
    assert.equal(nextWakeAt(nsa({ tolls: [infoRequest(5, 7)] }), on(10), CAP)?.toISOString(), day(32));
  });

  it('is undefined once the deadline is met', () => {
    assert.equal(nextWakeAt(meet(nsa(), on(9)), on(10), CAP), undefined);
  });

  it('is the instant an open information request uses up what is left of the cap', () => {
    // 2 days used earlier, 1 day so far: the clock resumes 4 days from now.
    const d = nsa({ tolls: [infoRequest(2, 4), infoRequest(10)] });
    assert.equal(nextWakeAt(d, on(11), CAP)?.toISOString(), day(15));
  });

  it('is undefined during an information request when there is no cap', () => {
    assert.equal(nextWakeAt(nsa({ tolls: [infoRequest(10)] }), on(11)), undefined);
  });

  it('is undefined during a funding lapse, which only an event ends', () => {
    assert.equal(nextWakeAt(nsa({ tolls: [fundingLapse(10)] }), on(11), CAP), undefined);
  });

  it('is the due time once the cap is used up, though the request is still open', () => {
    assert.equal(nextWakeAt(nsa({ tolls: [infoRequest(5)] }), on(15), CAP)?.toISOString(), day(37));
  });
});

describe('urgency', () => {
  const hundredDays = (over: Partial<Deadline> = {}): Deadline => nsa({ baseDue: day(100), ...over });

  it('is MET once met, even past the due time', () => {
    assert.equal(urgency(hundredDays({ metAt: day(50) }), on(120), 0.8, CAP), 'MET');
  });

  it('is PAUSED while a toll stops the clock, even past the due time', () => {
    assert.equal(urgency(hundredDays({ tolls: [fundingLapse(95)] }), on(101), 0.8, CAP), 'PAUSED');
  });

  it('is ON_TRACK at 79% of the time', () => {
    assert.equal(urgency(hundredDays(), on(79), 0.8, CAP), 'ON_TRACK');
  });

  it('is AT_RISK at 80% of the time', () => {
    assert.equal(urgency(hundredDays(), on(80), 0.8, CAP), 'AT_RISK');
  });

  it('is OVERDUE from the due time on', () => {
    assert.equal(urgency(hundredDays(), on(100), 0.8, CAP), 'OVERDUE');
  });

  it('measures the time passed against the tolled due time', () => {
    // Due on day 120 after a 20-day lapse: day 90 is 75% of the way.
    assert.equal(urgency(hundredDays({ tolls: [fundingLapse(10, 30)] }), on(90), 0.8, CAP), 'ON_TRACK');
  });
});

describe('compress', () => {
  it("shrinks the time left before baseDue in proportion to the window's time left", () => {
    // Day 10 of a window moved from day 90 to day 50: 80 days left become 40, so 30 days become 15.
    const d = nsa({ baseDue: day(40) });
    assert.deepEqual(compress(d, on(10), on(90), on(50)), { ...d, baseDue: day(25) });
  });

  it('rounds the compressed due time to the millisecond', () => {
    const ms = (offset: number): Date => new Date(START + offset);
    const d = nsa({ baseDue: ms(1000).toISOString() });
    assert.equal(compress(d, ms(0), ms(3000), ms(1000)).baseDue, ms(333).toISOString());
  });

  it('turns a business-day deadline into a calendar-day one', () => {
    const d = nsa({ baseDue: day(40), calendar: 'BUSINESS_DAYS' });
    assert.equal(compress(d, on(10), on(90), on(50)).calendar, 'CALENDAR_DAYS');
  });

  it('pulls the due time to now when the new end has already passed', () => {
    assert.equal(compress(nsa(), on(10), on(90), on(5)).baseDue, day(10));
  });

  it('leaves a met deadline unchanged', () => {
    const d = nsa({ metAt: day(5) });
    assert.equal(compress(d, on(10), on(90), on(50)), d);
  });

  it('leaves a deadline whose baseDue has passed unchanged', () => {
    const d = nsa({ baseDue: day(10) });
    assert.equal(compress(d, on(10), on(90), on(50)), d);
  });

  it('leaves every deadline unchanged when the release date moves later', () => {
    const d = nsa();
    assert.equal(compress(d, on(10), on(90), on(95)), d);
  });

  it('leaves every deadline unchanged once the old window has ended', () => {
    const d = nsa({ baseDue: day(100) });
    assert.equal(compress(d, on(91), on(90), on(50)), d);
  });
});

describe('ledger changes', () => {
  it('toll appends a toll and leaves its input unchanged', () => {
    const d = nsa();
    const before = structuredClone(d);
    assert.deepEqual(toll(d, infoRequest(5)), { ...d, tolls: [infoRequest(5)] });
    assert.deepEqual(d, before);
  });

  it('toll rejects a second toll with the same id', () => {
    assert.throws(() => toll(nsa({ tolls: [infoRequest(5, 7)] }), infoRequest(5)), {
      message: 'Deadline stage:national-security:agency:NSA already has a toll info-5',
    });
  });

  it('endToll closes the open toll at the given instant', () => {
    const d = nsa({ tolls: [fundingLapse(1, 2), infoRequest(5)] });
    assert.deepEqual(endToll(d, 'info-5', on(7)).tolls, [fundingLapse(1, 2), infoRequest(5, 7)]);
  });

  it('endToll rejects a toll that is already closed', () => {
    assert.throws(() => endToll(nsa({ tolls: [infoRequest(5, 7)] }), 'info-5', on(8)), {
      message: 'Deadline stage:national-security:agency:NSA has no open toll info-5',
    });
  });

  it('endToll rejects an end before the toll began', () => {
    assert.throws(() => endToll(nsa({ tolls: [infoRequest(5)] }), 'info-5', on(4)), RangeError);
  });

  it('extend appends an extension', () => {
    assert.deepEqual(extend(nsa(), extension(10)).extensions, [extension(10)]);
  });

  it('meet records when the deadline was met, and the first time stands', () => {
    const met = meet(nsa(), on(9));
    assert.deepEqual([met.metAt, meet(met, on(12)).metAt], [day(9), day(9)]);
  });

  it('withCap sets capAt, and removes it when given undefined', () => {
    const capped = withCap(nsa(), on(90));
    assert.deepEqual([capped.capAt, withCap(capped, undefined)], [day(90), nsa()]);
  });

  it('produces deadlines that parse unchanged as the Deadline wire schema', () => {
    const d = meet(
      extend(endToll(toll(withCap(nsa(), on(90)), infoRequest(5)), 'info-5', on(7)), extension(3)),
      on(20),
    );
    assert.deepEqual(Deadline.parse(d), d);
  });

  it('the Extension schema rejects zero and fractional days', () => {
    assert.deepEqual(
      [0, 1.5, 3].map((days) => Extension.safeParse({ ...extension(1), days }).success),
      [false, false, true],
    );
  });
});

describe('project', () => {
  const now = on(10);
  const deadlines: Deadline[] = [
    nsa({ key: 'window', party: 'lab', baseDue: day(90) }),
    nsa({ baseDue: day(40), capAt: day(90) }),
    nsa({ key: 'stage:civilian:agency:CISA', party: 'agency:CISA', baseDue: day(60), capAt: day(90) }),
    nsa({ key: 'info-response:info-5', party: 'lab', baseDue: day(13) }),
    nsa({ key: 'stage:national-security:agency:DOW', party: 'agency:DOW', baseDue: day(40), metAt: day(8) }),
  ];
  const row = (d: Deadline, before: number, after: number) => ({
    key: d.key,
    party: d.party,
    dueAt: day(after),
    before: day(before),
    shiftMs: (after - before) * DAY,
  });
  const [window, nsaStage, cisaStage, labAnswer, dowStage] = deadlines;

  it("shows an extension moving only that party's deadline, and changes nothing", () => {
    const original = structuredClone(deadlines);
    assert.deepEqual(project(deadlines, { kind: 'EXTENSION', party: 'agency:NSA', days: 5 }, now, CAP), [
      row(window, 90, 90),
      row(nsaStage, 40, 45),
      row(cisaStage, 60, 60),
      row(labAnswer, 13, 13),
      row(dowStage, 40, 40),
    ]);
    assert.deepEqual(deadlines, original);
  });

  it("does not extend a party's deadline that is already met", () => {
    const rows = project(deadlines, { kind: 'EXTENSION', party: 'agency:DOW', days: 5 }, now, CAP);
    assert.deepEqual(rows[4], row(dowStage, 40, 40));
  });

  it("shows a funding lapse moving every unmet government deadline and neither the window nor the lab's", () => {
    const original = structuredClone(deadlines);
    const lapse: Projection = {
      kind: 'TOLL',
      parties: 'ALL_GOVERNMENT',
      from: day(10),
      to: day(18),
      reason: 'FUNDING_LAPSE',
    };
    assert.deepEqual(project(deadlines, lapse, now, CAP), [
      row(window, 90, 90),
      row(nsaStage, 40, 48),
      row(cisaStage, 60, 68),
      row(labAnswer, 13, 13),
      row(dowStage, 40, 40),
    ]);
    assert.deepEqual(deadlines, original);
  });

  it('shows a toll moving only the named parties', () => {
    const original = structuredClone(deadlines);
    const request: Projection = {
      kind: 'TOLL',
      parties: ['agency:CISA'],
      from: day(10),
      to: day(12),
      reason: 'INFORMATION_REQUEST',
    };
    assert.deepEqual(
      project(deadlines, request, now, CAP).map((r) => r.shiftMs),
      [0, 0, 2 * DAY, 0, 0],
    );
    assert.deepEqual(deadlines, original);
  });

  it('shows an earlier release date setting the window and compressing every unmet deadline', () => {
    const original = structuredClone(deadlines);
    const change: Projection = { kind: 'RELEASE_DATE', oldEnd: day(90), newEnd: day(50) };
    assert.deepEqual(project(deadlines, change, now, CAP), [
      row(window, 90, 50),
      row(nsaStage, 40, 25),
      row(cisaStage, 60, 35),
      row(labAnswer, 13, 11.5),
      row(dowStage, 40, 40),
    ]);
    assert.deepEqual(deadlines, original);
  });

  it("keeps a deadline capped at the window's end inside the new, earlier end", () => {
    // Compressed to day 35, plus 20 tolled days, would be day 55: past the new end on day 50.
    const tolled = { ...cisaStage, tolls: [fundingLapse(0, 20)] };
    const change: Projection = { kind: 'RELEASE_DATE', oldEnd: day(90), newEnd: day(50) };
    assert.deepEqual(project([tolled], change, now, CAP), [row(tolled, 80, 50)]);
  });
});
