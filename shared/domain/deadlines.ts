import { z } from 'zod';
import { addDays, CalendarKind } from './calendar';
import { iso } from './time';
import { isPaused, resumesAt, Toll, tolledMs, TollReason } from './tolling';

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
});
export type Deadline = z.infer<typeof Deadline>;

export const Urgency = z.enum(['MET', 'PAUSED', 'ON_TRACK', 'AT_RISK', 'OVERDUE']);
export type Urgency = z.infer<typeof Urgency>;

/**
 * baseDue, then each extension in the deadline's calendar, then the tolled time, never past capAt.
 * While a toll is open this is the due time were it to end now, so it grows with `now`.
 */
export const dueAt = (d: Deadline, now: Date, capMs?: number): Date => {
  const extended = d.extensions.reduce((due, e) => addDays(due, e.days, d.calendar), new Date(d.baseDue));
  const due = extended.getTime() + tolledMs(d, now, capMs);
  return new Date(d.capAt === undefined ? due : Math.min(due, Date.parse(d.capAt)));
};

/** When a workflow timer must next fire for this deadline; undefined when only an event can move it on. */
export const nextWakeAt = (d: Deadline, now: Date, capMs?: number): Date | undefined => {
  if (d.metAt !== undefined) return undefined;
  return isPaused(d, now, capMs) ? resumesAt(d, now, capMs) : dueAt(d, now, capMs);
};

/**
 * The instant a deadline becomes at risk: once `fraction` of the time from its start to its due time has
 * passed (the policy's at-risk threshold, domain.md section 4). Undefined when it has no such span.
 */
export const atRiskAt = (d: Deadline, now: Date, fraction: number, capMs?: number): number | undefined => {
  const start = Date.parse(d.startsAt);
  const due = dueAt(d, now, capMs).getTime();
  return due > start ? start + (due - start) * fraction : undefined;
};

/** Graded urgency at `now`; without an at-risk fraction (before a policy is pinned) nothing is at risk. */
export const urgency = (
  d: Deadline,
  now: Date,
  atRiskFraction: number | undefined,
  capMs?: number,
): Urgency => {
  if (d.metAt !== undefined) return 'MET';
  if (isPaused(d, now, capMs)) return 'PAUSED';
  if (now.getTime() >= dueAt(d, now, capMs).getTime()) return 'OVERDUE';
  const risk = atRiskFraction === undefined ? undefined : atRiskAt(d, now, atRiskFraction, capMs);
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

export const Projection = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('EXTENSION'), party: z.string().min(1), days: z.int().positive() }),
  z.strictObject({
    kind: z.literal('TOLL'),
    /** ALL_GOVERNMENT: every deadline but the lab's own and the window. */
    parties: z.union([z.literal('ALL_GOVERNMENT'), z.array(z.string().min(1))]),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    reason: TollReason,
  }),
  z.strictObject({ kind: z.literal('RELEASE_DATE'), oldEnd: z.iso.datetime(), newEnd: z.iso.datetime() }),
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

const applied = (d: Deadline, change: Projection, now: Date): Deadline => {
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
      const moved = d.key === WINDOW_KEY ? { ...d, baseDue: iso(newEnd) } : compress(d, now, oldEnd, newEnd);
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
  capMs?: number,
): ProjectedDeadline[] =>
  deadlines.map((d) => {
    const before = dueAt(d, now, capMs);
    const after = dueAt(applied(d, change, now), now, capMs);
    return {
      key: d.key,
      party: d.party,
      dueAt: iso(after),
      before: iso(before),
      shiftMs: after.getTime() - before.getTime(),
    };
  });
