import { z } from 'zod';
import { compress, dueAt, extend, rescale, withCap, WINDOW_KEY, type DeadlineContext } from './deadlines';
import type { Deadline } from './deadline-ledger';
import { iso } from './time';
import { TollReason } from './tolling';

/** What-if projections of the deadline ledger: the operations query's question, and its answer. */

/** A what-if asks about this review, so its numbers are bounded by one: a year at most. */
const PROJECTION_MAX_DAYS = 365;
/**
 * A hypothetical change. Lazy (built on its first parse): only operations staff's what-if sends one, and the
 * review workflow's bundle would otherwise build it for every cached case.
 */
export const Projection = z.lazy(() => {
  /** Instants a what-if may name: inside the years Washington's pinned calendar covers. */
  const ProjectionInstant = z.iso
    .datetime()
    .regex(/^(?:20[2-9]\d|21\d\d)-/, 'an instant from 2020 to 2199')
    .refine((t) => t >= '2020-01-01T00:00:00' && t < '2200-01-01T00:00:00', 'an instant from 2020 to 2199');
  return z.discriminatedUnion('kind', [
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
});
export type Projection = z.infer<typeof Projection>;

export const ProjectedDeadline = z.lazy(() =>
  z.object({
    key: z.string(),
    party: z.string(),
    dueAt: z.iso.datetime(),
    before: z.iso.datetime(),
    shiftMs: z.number(),
  }),
);
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

/** The ledger as it would be after `change`: the hypothetical applied to every deadline it reaches. */
export const projectedLedger = (
  deadlines: Deadline[],
  change: Projection,
  now: Date,
  context: DeadlineContext | ((d: Deadline) => DeadlineContext) = {},
): Deadline[] =>
  deadlines.map((d) => applied(d, change, now, typeof context === 'function' ? context(d) : context));

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
