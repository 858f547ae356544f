import type { Deadline } from './deadline-ledger';
import { tollSpans, type TollSpan } from './tolling';
import {
  addBusinessDates,
  closeOfBusinessOn,
  dueAtCloseOfBusiness,
  type BusinessCalendar,
} from './washington/business-calendar';
import { addDates, localDate, wallDays } from './washington/zone';

/**
 * Rules 7: a deadline's due time on Washington's calendar as domain.md section 4, "Counting, precisely", says.
 * Every move counts from the due date as it stands, in the order the moves happened:
 *
 * - the base due time, at close of business on a business day (acceptance placed it in the process's order:
 *   ./review/order.ts);
 * - an extension of N days: N calendar (or business) days after the due date as it stands, at close of
 *   business, then to a business day, so it never leaves the due date where it was;
 * - a toll: the whole days it lasted on Washington's wall clock, rounded to the nearest day (under half a day
 *   moves nothing; a daylight-saving change adds or removes nothing), as calendar days whatever the deadline's
 *   calendar, then to a business day; a run of tolls without a gap counts as one, from its start;
 * - a stage's overrun: its delay in whole days, rounded up, the same way;
 * - then the protected time (the chair's), itself moved by every toll after it began;
 * - never past the window's end.
 *
 * While a toll is open it counts as if it ended now, so the due time grows a day at a time.
 */

/** Close of business `days` calendar days after the date of `due`, then on a business day. */
export const calendarDaysLater = (cal: BusinessCalendar, due: number, days: number): number =>
  dueAtCloseOfBusiness(cal, closeOfBusinessOn(cal, addDates(localDate(cal.zone, due), days)));

/** Close of business on the `days`-th business day after the (business) date of `due`. */
const businessDaysLater = (cal: BusinessCalendar, due: number, days: number): number => {
  const from = localDate(cal.zone, dueAtCloseOfBusiness(cal, due));
  return closeOfBusinessOn(cal, addBusinessDates(cal, from, days));
};

/** The whole days a stretch of tolled time lasted on the wall clock, rounded to the nearest day. */
export const tollDays = (cal: BusinessCalendar, span: Pick<TollSpan, 'from' | 'ms'>): number =>
  Math.round(wallDays(cal.zone, span.from, span.from + span.ms));

/** The protected time, moved by the part of each toll after it began. */
function floorOf(d: Deadline, spans: TollSpan[], cal: BusinessCalendar): number | undefined {
  if (d.notBefore === undefined) return undefined;
  let floor = Date.parse(d.notBefore);
  if (d.notBeforeFrom === undefined) return floor;
  const since = Date.parse(d.notBeforeFrom);
  for (const s of spans) {
    if (s.to <= since) continue;
    const from = Math.max(s.from, since);
    const days = tollDays(cal, { from, ms: Math.min(s.ms, s.to - from) });
    if (days > 0) floor = calendarDaysLater(cal, floor, days);
  }
  return floor;
}

interface Move {
  at: number;
  apply: (due: number) => number;
}

interface Counted {
  cal: BusinessCalendar;
  capMs: number | undefined;
  /** The instant it was counted at, when an open toll makes it depend on that. */
  at: number | undefined;
  due: number;
}

/**
 * The last count of each deadline value. A deadline is never changed in place (every change is a new value),
 * so a count holds for the same value, calendar and cap, at any instant when no toll is open: deterministic,
 * and safe in the workflow sandbox. A case asks the same due times many times in one step.
 */
const counted = new WeakMap<Deadline, Counted>();

const hasOpenToll = (d: Deadline): boolean => d.tolls.some((t) => t.to === undefined);

/** The due time of a deadline on Washington's clock, counted precisely (see above). */
export function countedDue(d: Deadline, now: Date, cal: BusinessCalendar, capMs: number | undefined): number {
  const at = hasOpenToll(d) ? now.getTime() : undefined;
  const last = counted.get(d);
  if (last !== undefined && last.cal === cal && last.capMs === capMs && last.at === at) return last.due;
  const due = count(d, now, cal, capMs);
  counted.set(d, { cal, capMs, at, due });
  return due;
}

function count(d: Deadline, now: Date, cal: BusinessCalendar, capMs: number | undefined): number {
  const spans = tollSpans(d, now, capMs);
  const moves: Move[] = [
    ...d.extensions.map((e) => ({
      at: Date.parse(e.at),
      apply: (due: number) =>
        d.calendar === 'BUSINESS_DAYS'
          ? businessDaysLater(cal, due, e.days)
          : calendarDaysLater(cal, due, e.days),
    })),
    ...spans.map((s) => {
      const days = tollDays(cal, s);
      return { at: s.from, apply: (due: number) => (days > 0 ? calendarDaysLater(cal, due, days) : due) };
    }),
    ...(d.shifts ?? []).map((s) => ({
      at: Date.parse(s.at),
      apply: (due: number) =>
        s.days === undefined ? dueAtCloseOfBusiness(cal, due + s.ms) : calendarDaysLater(cal, due, s.days),
    })),
  ];
  // A stable sort: moves made at the same instant keep the order above.
  moves.sort((a, b) => a.at - b.at);
  let due = dueAtCloseOfBusiness(cal, Date.parse(d.baseDue));
  for (const m of moves) due = m.apply(due);
  const floor = floorOf(d, spans, cal);
  if (floor !== undefined) due = dueAtCloseOfBusiness(cal, Math.max(due, floor));
  return d.capAt === undefined ? due : Math.min(due, Date.parse(d.capAt));
}
