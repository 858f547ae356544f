import { z } from 'zod';
import { addDays, CalendarKind } from './calendar';
import { iso } from './time';
import { isPaused, resumesAt, Toll, tolledMs, TollReason } from './tolling';
import {
  addBusinessDates,
  businessDateOnOrAfter,
  calendarDaysAfter,
  closeOfBusinessOn,
  dueAtCloseOfBusiness,
  type BusinessCalendar,
} from './washington/business-calendar';
import { localDate } from './washington/zone';

export { isPaused, Toll, TollReason, tolledMs } from './tolling';

/** The lab's own clock; a release-date change sets it rather than compressing it, and nothing tolls it. */
export const WINDOW_KEY = 'window';

/** An extension of a deadline, counted in the deadline's calendar. */
export const Extension = z.object({
  id: z.string().min(1),
  who: z.string().min(1),
  days: z.int().positive(),
  at: z.iso.datetime(),
});
export type Extension = z.infer<typeof Extension>;

/**
 * A later government deadline moved by the delay of a stage that closed after its own deadline because an
 * agency's deadline was extended or tolled past it (rules 2, domain.md section 4: stage time is protected).
 */
export const Shift = z.object({
  id: z.string().min(1),
  reason: z.literal('STAGE_OVERRUN'),
  ms: z.int().nonnegative(),
  at: z.iso.datetime(),
});
export type Shift = z.infer<typeof Shift>;

/** A deadline as data: timers are derived from it, and every change is a new value. */
export const Deadline = z.object({
  key: z.string().min(1),
  /** Whose deadline it is: 'agency:NSA', 'government', 'lab'. */
  party: z.string().min(1),
  startsAt: z.iso.datetime(),
  baseDue: z.iso.datetime(),
  calendar: CalendarKind,
  tolls: z.array(Toll),
  extensions: z.array(Extension),
  /** The window's end: a government deadline may not pass it without the lab's consent. */
  capAt: z.iso.datetime().optional(),
  /** When it was satisfied, e.g. the decision was recorded. */
  metAt: z.iso.datetime().optional(),
  /**
   * Rules 2: the deadline is on Washington's business calendar: it falls due at close of business on a
   * business day, and its extensions count Washington days.
   */
  clock: z.literal('WASHINGTON').optional(),
  /** Rules 2: delays of earlier stages that closed late, added to the due time. */
  shifts: z.array(Shift).optional(),
  /** Rules 2: it falls due no earlier than this (the chair's protected time). */
  notBefore: z.iso.datetime().optional(),
  /** Rules 2: the due time and calendar before the lab shortened its window, restored when it lengthens it. */
  uncompressed: z.object({ baseDue: z.iso.datetime(), calendar: CalendarKind }).optional(),
});
export type Deadline = z.infer<typeof Deadline>;

/**
 * What a deadline's due time depends on besides itself: the tolling cap (information requests) and, for a
 * deadline on Washington's clock, the business calendar.
 */
export interface DeadlineContext {
  capMs?: number;
  calendar?: BusinessCalendar;
  /** Rules 2: a later release date takes compression back (rescale), not only an earlier one applies it. */
  reversible?: boolean;
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

export const Urgency = z.enum(['MET', 'PAUSED', 'ON_TRACK', 'AT_RISK', 'OVERDUE']);
export type Urgency = z.infer<typeof Urgency>;

const shiftedMs = (d: Deadline): number => (d.shifts ?? []).reduce((sum, s) => sum + s.ms, 0);

/**
 * baseDue, then each extension in the deadline's calendar, then the tolled time and the shifts; no earlier
 * than notBefore; on Washington's clock, moved to the next close of business on a business day; never past
 * capAt (the window's end wins, even when it is not a business day). While a toll is open this is the due time were it to end now, so it grows with `now`.
 */
export const dueAt = (d: Deadline, now: Date, ctx: DeadlineContext = {}): Date => {
  const cal = calendarFor(d, ctx);
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

/** A what-if asks about this review, so its numbers are bounded by one: a year at most. */
const PROJECTION_MAX_DAYS = 365;
/** Instants a what-if may name: inside the years Washington's pinned calendar covers. */
const ProjectionInstant = z.iso
  .datetime()
  .regex(/^(?:20[2-9]\d|21\d\d)-/, 'an instant from 2020 to 2199')
  .refine((t) => t >= '2020-01-01T00:00:00' && t < '2200-01-01T00:00:00', 'an instant from 2020 to 2199');

export const Projection = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('EXTENSION'),
    party: z.string().min(1).max(64),
    days: z.int().positive().max(PROJECTION_MAX_DAYS),
  }),
  z.strictObject({
    kind: z.literal('TOLL'),
    /** ALL_GOVERNMENT: every deadline but the lab's own and the window. */
    parties: z.union([z.literal('ALL_GOVERNMENT'), z.array(z.string().min(1).max(64)).min(1).max(20)]),
    from: ProjectionInstant,
    to: ProjectionInstant,
    reason: TollReason,
  }),
  z.strictObject({ kind: z.literal('RELEASE_DATE'), oldEnd: ProjectionInstant, newEnd: ProjectionInstant }),
]);
export type Projection = z.infer<typeof Projection>;

export const ProjectedDeadline = z.object({
  key: z.string(),
  party: z.string(),
  dueAt: z.iso.datetime(),
  before: z.iso.datetime(),
  shiftMs: z.number(),
});
export type ProjectedDeadline = z.infer<typeof ProjectedDeadline>;

const PROJECTION_ID = 'projection';

const isTolledBy = (d: Deadline, parties: 'ALL_GOVERNMENT' | string[]): boolean =>
  parties === 'ALL_GOVERNMENT' ? d.party !== 'lab' && d.key !== WINDOW_KEY : parties.includes(d.party);

const applied = (d: Deadline, change: Projection, now: Date, ctx: DeadlineContext): Deadline => {
  if (d.metAt !== undefined) return d;
  switch (change.kind) {
    case 'EXTENSION':
      if (d.party !== change.party) return d;
      return extend(d, { id: PROJECTION_ID, who: change.party, days: change.days, at: iso(now) });
    case 'TOLL': {
      if (!isTolledBy(d, change.parties)) return d;
      const { from, to, reason } = change;
      // Not through toll(): a hypothetical toll needs no id of its own.
      return { ...d, tolls: [...d.tolls, { id: PROJECTION_ID, who: PROJECTION_ID, reason, from, to }] };
    }
    case 'RELEASE_DATE': {
      const [oldEnd, newEnd] = [new Date(change.oldEnd), new Date(change.newEnd)];
      const scale = ctx.reversible === true ? rescale : compress;
      const moved = d.key === WINDOW_KEY ? { ...d, baseDue: iso(newEnd) } : scale(d, now, oldEnd, newEnd);
      // A cap at the old window end is the window end, so it moves with it.
      const cappedAtWindow = d.capAt !== undefined && Date.parse(d.capAt) === oldEnd.getTime();
      return cappedAtWindow ? withCap(moved, newEnd) : moved;
    }
  }
};

/** What-if: every deadline's due time before and after `change`, without changing anything. */
export const project = (
  deadlines: Deadline[],
  change: Projection,
  now: Date,
  context: DeadlineContext | ((d: Deadline) => DeadlineContext) = {},
): ProjectedDeadline[] =>
  deadlines.map((d) => {
    const ctx = typeof context === 'function' ? context(d) : context;
    const before = dueAt(d, now, ctx);
    const after = dueAt(applied(d, change, now, ctx), now, ctx);
    return {
      key: d.key,
      party: d.party,
      dueAt: iso(after),
      before: iso(before),
      shiftMs: after.getTime() - before.getTime(),
    };
  });
