import { addDays, type CalendarKind } from './calendar';
import { countedDue } from './counting';
import { iso } from './time';
import { isPaused, resumesAt, tolledMs, type Toll } from './tolling';
import type { Deadline, Extension, Shift, Urgency } from './deadline-ledger';
import {
  addBusinessDates,
  businessDateOnOrAfter,
  calendarDaysAfter,
  closeOfBusinessOn,
  dueAtCloseOfBusiness,
  type BusinessCalendar,
} from './washington/business-calendar';
import { localDate } from './washington/zone';

export { isPaused, tolledMs } from './tolling';
export type { Toll } from './tolling';
export type { Deadline, Extension, Shift, Urgency } from './deadline-ledger';

/**
 * The deadline ledger's rules: due times, urgency, tolls, extensions, shifts and compression, on deadlines as
 * data (their wire shape: ./deadline-ledger.ts).
 */

/** The lab's own clock; a release-date change sets it rather than compressing it, and nothing tolls it. */
export const WINDOW_KEY = 'window';

/**
 * What a deadline's due time depends on besides itself: the tolling cap (information requests) and, for a
 * deadline on Washington's clock, the business calendar.
 */
export interface DeadlineContext {
  capMs?: number;
  calendar?: BusinessCalendar;
  /** Rules 2: a later release date takes compression back (rescale), not only an earlier one applies it. */
  reversible?: boolean;
  /** Rules 7: a deadline on Washington's clock counts its moves as domain.md says, precisely (./counting.ts). */
  counting?: boolean;
}

function calendarFor(d: Deadline, ctx: DeadlineContext): BusinessCalendar | undefined {
  if (d.clock === undefined) return undefined;
  if (ctx.calendar === undefined)
    throw new Error(`deadline ${d.key} is on Washington time but no calendar was given`);
  return ctx.calendar;
}

/** An extension on Washington's calendar: whole days after the due date, due again at close of business. */
function extendOn(cal: BusinessCalendar, due: number, days: number, kind: CalendarKind): number {
  if (kind === 'CALENDAR_DAYS') return calendarDaysAfter(cal, due, days);
  const from = businessDateOnOrAfter(cal, localDate(cal.zone, due));
  return closeOfBusinessOn(cal, addBusinessDates(cal, from, days));
}

const shiftedMs = (d: Deadline): number => (d.shifts ?? []).reduce((sum, s) => sum + s.ms, 0);

/**
 * baseDue, then each extension in the deadline's calendar, then the tolled time and the shifts; no earlier
 * than notBefore; on Washington's clock, moved to the next close of business on a business day; never past
 * capAt (the window's end wins, even when it is not a business day). While a toll is open this is the due time were it to end now, so it grows with `now`.
 * Rules 7 (`ctx.counting`) counts each move from the due date as it stands instead (./counting.ts).
 */
export const dueAt = (d: Deadline, now: Date, ctx: DeadlineContext = {}): Date => {
  const cal = calendarFor(d, ctx);
  if (cal && ctx.counting === true) return new Date(countedDue(d, now, cal, ctx.capMs));
  const extended = d.extensions.reduce(
    (due, e) =>
      cal ? extendOn(cal, due, e.days, d.calendar) : addDays(new Date(due), e.days, d.calendar).getTime(),
    Date.parse(d.baseDue),
  );
  let due = extended + tolledMs(d, now, ctx.capMs) + shiftedMs(d);
  if (d.notBefore !== undefined) due = Math.max(due, Date.parse(d.notBefore));
  if (cal) due = dueAtCloseOfBusiness(cal, due);
  return new Date(d.capAt === undefined ? due : Math.min(due, Date.parse(d.capAt)));
};

/** When a workflow timer must next fire for this deadline; undefined when only an event can move it on. */
export const nextWakeAt = (d: Deadline, now: Date, ctx: DeadlineContext = {}): Date | undefined => {
  if (d.metAt !== undefined) return undefined;
  return isPaused(d, now, ctx.capMs) ? resumesAt(d, now, ctx.capMs) : dueAt(d, now, ctx);
};

/**
 * The instant a deadline becomes at risk: once `fraction` of the time from its start to its due time has
 * passed (the policy's at-risk threshold, domain.md section 4). Undefined when it has no such span.
 */
export const atRiskAt = (
  d: Deadline,
  now: Date,
  fraction: number,
  ctx: DeadlineContext = {},
): number | undefined => {
  const start = Date.parse(d.startsAt);
  const due = dueAt(d, now, ctx).getTime();
  return due > start ? start + (due - start) * fraction : undefined;
};

/** Graded urgency at `now`; without an at-risk fraction (before a policy is pinned) nothing is at risk. */
export const urgency = (
  d: Deadline,
  now: Date,
  atRiskFraction: number | undefined,
  ctx: DeadlineContext = {},
): Urgency => {
  if (d.metAt !== undefined) return 'MET';
  if (isPaused(d, now, ctx.capMs)) return 'PAUSED';
  if (now.getTime() >= dueAt(d, now, ctx).getTime()) return 'OVERDUE';
  const risk = atRiskFraction === undefined ? undefined : atRiskAt(d, now, atRiskFraction, ctx);
  return risk !== undefined && now.getTime() >= risk ? 'AT_RISK' : 'ON_TRACK';
};

/**
 * Short notice: the release date moved from oldEnd to the earlier newEnd, so the time left before baseDue
 * shrinks in proportion to the time left in the window. A compressed due time is no longer a whole business
 * day, hence calendar days from here on.
 */
export const compress = (d: Deadline, now: Date, oldEnd: Date, newEnd: Date): Deadline => {
  const t = now.getTime();
  const base = Date.parse(d.baseDue);
  const windowLeft = oldEnd.getTime() - t;
  if (d.metAt !== undefined || base <= t || newEnd >= oldEnd || windowLeft <= 0) return d;
  const factor = Math.max(0, newEnd.getTime() - t) / windowLeft;
  return { ...d, baseDue: iso(t + Math.round((base - t) * factor)), calendar: 'CALENDAR_DAYS' };
};

/**
 * Rules 2: compression the lab can take back. Moving the window's end from oldEnd to newEnd scales the time
 * left before baseDue in proportion, whichever way it moves, never beyond the uncompressed due time; back at
 * that value the deadline is whole again and regains its calendar.
 */
export const rescale = (d: Deadline, now: Date, oldEnd: Date, newEnd: Date): Deadline => {
  const t = now.getTime();
  const base = Date.parse(d.baseDue);
  const windowLeft = oldEnd.getTime() - t;
  if (d.metAt !== undefined || base <= t || windowLeft <= 0 || newEnd.getTime() === oldEnd.getTime())
    return d;
  if (newEnd > oldEnd && d.uncompressed === undefined) return d;
  const whole = d.uncompressed ?? { baseDue: d.baseDue, calendar: d.calendar };
  const scaled = t + Math.round((base - t) * (Math.max(0, newEnd.getTime() - t) / windowLeft));
  if (scaled >= Date.parse(whole.baseDue)) {
    const restored: Deadline = { ...d, baseDue: whole.baseDue, calendar: whole.calendar };
    delete restored.uncompressed;
    return restored;
  }
  return { ...d, baseDue: iso(scaled), calendar: 'CALENDAR_DAYS', uncompressed: whole };
};

/** Rules 2: a later deadline moved by an earlier stage's overrun. */
export const shift = (d: Deadline, s: Shift): Deadline => ({ ...d, shifts: [...(d.shifts ?? []), s] });

export const toll = (d: Deadline, t: Toll): Deadline => {
  if (d.tolls.some((x) => x.id === t.id)) throw new Error(`Deadline ${d.key} already has a toll ${t.id}`);
  return { ...d, tolls: [...d.tolls, t] };
};

export const endToll = (d: Deadline, tollId: string, at: Date): Deadline => {
  const open = d.tolls.find((t) => t.id === tollId && t.to === undefined);
  if (!open) throw new Error(`Deadline ${d.key} has no open toll ${tollId}`);
  if (at.getTime() < Date.parse(open.from)) throw new RangeError(`Toll ${tollId} cannot end before it began`);
  return { ...d, tolls: d.tolls.map((t) => (t === open ? { ...t, to: iso(at) } : t)) };
};

export const extend = (d: Deadline, e: Extension): Deadline => ({ ...d, extensions: [...d.extensions, e] });

/** The first time a deadline is met stands. */
export const meet = (d: Deadline, at: Date): Deadline =>
  d.metAt === undefined ? { ...d, metAt: iso(at) } : d;

export const withCap = (d: Deadline, capAt: Date | undefined): Deadline => {
  if (capAt !== undefined) return { ...d, capAt: iso(capAt) };
  const uncapped = { ...d };
  delete uncapped.capAt;
  return uncapped;
};
