import { z } from 'zod';
import { CalendarKind } from './calendar';
import { Toll } from './tolling';

/**
 * The deadline ledger's wire shape: each deadline as data, as the status shows it. Its rules are ./deadlines.ts,
 * which the workflow runs; the workflow never parses a deadline, so it does not build these schemas.
 */

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
  /** Rules 7: the delay in whole days on Washington's wall clock, rounded up, added to the due date as it stands. */
  days: z.int().positive().optional(),
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
  /** Rules 7: when that protected time began (the escalation): a toll after it moves notBefore too. */
  notBeforeFrom: z.iso.datetime().optional(),
  /** Rules 2: the due time and calendar before the lab shortened its window, restored when it lengthens it. */
  uncompressed: z.object({ baseDue: z.iso.datetime(), calendar: CalendarKind }).optional(),
});
export type Deadline = z.infer<typeof Deadline>;

export const Urgency = z.enum(['MET', 'PAUSED', 'ON_TRACK', 'AT_RISK', 'OVERDUE']);
export type Urgency = z.infer<typeof Urgency>;
