import { z } from 'zod';

export const TollReason = z.enum(['INFORMATION_REQUEST', 'FUNDING_LAPSE']);
export type TollReason = z.infer<typeof TollReason>;

/** An interval during which a deadline's clock stood still; open while `to` is absent. */
export const Toll = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    /** The principal who tolled the clock, e.g. 'agency:NSA' or 'ops'. */
    who: z.string().min(1),
    reason: TollReason,
    from: z.iso.datetime(),
    to: z.iso.datetime().optional(),
  }),
);
export type Toll = z.infer<typeof Toll>;

/** Anything with a toll ledger; a Deadline is one. */
type Tolled = { readonly tolls: readonly Toll[] };
type Interval = readonly [from: number, to: number];

/** An open toll runs until now; one dated after now has not started. */
const interval = (t: Toll, now: number): Interval => {
  const from = Date.parse(t.from);
  return [from, Math.max(from, t.to === undefined ? now : Date.parse(t.to))];
};

/** Sorted, disjoint intervals covering the same time. */
const union = (xs: Interval[]): Interval[] =>
  [...xs]
    .sort((a, b) => a[0] - b[0])
    .reduce<Interval[]>((out, [from, to]) => {
      const last = out[out.length - 1];
      if (last && from <= last[1]) out[out.length - 1] = [last[0], Math.max(last[1], to)];
      else out.push([from, to]);
      return out;
    }, []);

/** The parts of `xs` outside `cover`; both sorted and disjoint. */
const minus = (xs: Interval[], cover: Interval[]): Interval[] =>
  xs.flatMap(([from, to]) => {
    const out: Interval[] = [];
    let start = from;
    for (const [c0, c1] of cover) {
      if (c1 <= start || c0 >= to) continue;
      if (c0 > start) out.push([start, c0]);
      start = c1;
    }
    if (start < to) out.push([start, to]);
    return out;
  });

const length = (xs: Interval[]): number => xs.reduce((sum, [from, to]) => sum + to - from, 0);

/**
 * Tolled time split by cap class. Time under a funding lapse counts once, as funding lapse, so an information
 * request overlapping a lapse does not use up its cap during the overlap.
 */
const tolledByReason = (d: Tolled, now: Date): { lapse: number; info: number } => {
  const of = (reason: TollReason): Interval[] =>
    union(d.tolls.filter((t) => t.reason === reason).map((t) => interval(t, now.getTime())));
  const lapse = of('FUNDING_LAPSE');
  return { lapse: length(lapse), info: length(minus(of('INFORMATION_REQUEST'), lapse)) };
};

const openTolls = (d: Tolled, now: Date): Toll[] =>
  d.tolls.filter((t) => t.to === undefined && Date.parse(t.from) <= now.getTime());

/**
 * Total tolled time in ms: the union of funding-lapse intervals (never capped) plus the union of
 * information-request intervals outside them, that part limited to `capMs` when given.
 */
export const tolledMs = (d: Tolled, now: Date, capMs: number | undefined): number => {
  const { lapse, info } = tolledByReason(d, now);
  return lapse + (capMs === undefined ? info : Math.min(capMs, info));
};

/** One stretch of tolled time: a run of tolls without a gap, and how much of it stops the clock. */
export interface TollSpan {
  from: number;
  to: number;
  /** The time in it that stops the clock: all of it, but information requests only under the cap. */
  ms: number;
}

/**
 * Rules 7: the tolled time as stretches, in order, each counted on its own (a toll moves a deadline by the days
 * it lasted, rounded per stretch). Funding lapses count whole; information requests outside them count until
 * the cap is used up, across every stretch in order, as tolledMs counts them.
 */
export const tollSpans = (d: Tolled, now: Date, capMs: number | undefined): TollSpan[] => {
  const of = (reason: TollReason): Interval[] =>
    union(d.tolls.filter((t) => t.reason === reason).map((t) => interval(t, now.getTime())));
  const lapse = of('FUNDING_LAPSE');
  const info = minus(of('INFORMATION_REQUEST'), lapse);
  let capLeft = capMs ?? Infinity;
  const inside = (xs: Interval[], from: number, to: number) =>
    length(xs.filter(([a, b]) => a >= from && b <= to));
  return union([...lapse, ...info])
    .filter(([from, to]) => to > from)
    .map(([from, to]) => {
      const counted = Math.min(capLeft, inside(info, from, to));
      capLeft -= counted;
      return { from, to, ms: inside(lapse, from, to) + counted };
    });
};

/** Whether an open toll is still stopping the clock: any funding lapse, or an information request under the cap. */
export const isPaused = (d: Tolled, now: Date, capMs: number | undefined): boolean => {
  const open = openTolls(d, now);
  if (open.some((t) => t.reason === 'FUNDING_LAPSE')) return true;
  if (!open.some((t) => t.reason === 'INFORMATION_REQUEST')) return false;
  return capMs === undefined || tolledByReason(d, now).info < capMs;
};

/**
 * When a paused clock restarts by itself: the instant an open information request uses up the cap.
 * Undefined when only an event (the lab's answer, the end of a lapse) can restart it.
 */
export const resumesAt = (d: Tolled, now: Date, capMs: number | undefined): Date | undefined => {
  if (capMs === undefined || !isPaused(d, now, capMs)) return undefined;
  if (openTolls(d, now).some((t) => t.reason === 'FUNDING_LAPSE')) return undefined;
  return new Date(now.getTime() + capMs - tolledByReason(d, now).info);
};
