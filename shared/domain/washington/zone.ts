import { z } from 'zod';

/**
 * A time zone as data: its UTC offset from each transition on. The table is generated from the time-zone
 * database (scripts/generate-time-zone.ts) and pinned by a case's rules version, so the workflow never asks
 * the runtime's own zone data, which changes with Node.js releases.
 */
export interface ZoneData {
  zone: string;
  /** The IANA tzdata release the table was generated from. */
  tzdata: string;
  /** The table answers for instants in [validFrom, validTo). */
  validFrom: number;
  validTo: number;
  /** Minutes east of UTC before the first transition. */
  initialOffset: number;
  transitions: ReadonlyArray<readonly [at: number, offset: number]>;
}

/**
 * A calendar date, 'YYYY-MM-DD', as Washington reads it. (Not z.iso.date(), which refuses every string inside
 * the workflow sandbox.)
 */
export const IsoDate = z.lazy(() =>
  z
    .string()
    .regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD')
    .meta({ format: 'date' })
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
    }, 'a date that exists'),
);
export type IsoDate = z.infer<typeof IsoDate>;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function checkRange(zone: ZoneData, at: number): void {
  if (!(at >= zone.validFrom && at < zone.validTo)) {
    throw new RangeError(
      `${new Date(at).toISOString()} is outside ${zone.zone}'s table (tzdata ${zone.tzdata})`,
    );
  }
}

/** Minutes east of UTC at an instant. */
export function offsetAt(zone: ZoneData, at: number): number {
  checkRange(zone, at);
  const list = zone.transitions;
  let lo = 0;
  let hi = list.length; // the first transition after `at` is at index hi
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid][0] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? zone.initialOffset : list[lo - 1][1];
}

/** The local wall-clock time of an instant, as if it were UTC: its date and time of day read directly. */
const wall = (zone: ZoneData, at: number): number => at + offsetAt(zone, at) * MINUTE_MS;

/**
 * Days from one instant to another on the local wall clock, fractional: a daylight-saving change adds or removes
 * nothing (Friday 10:00 to the next Saturday 10:00 is 8 days whichever side of a change each falls).
 */
export const wallDays = (zone: ZoneData, from: number, to: number): number =>
  (wall(zone, to) - wall(zone, from)) / DAY_MS;

/**
 * The instant a local wall-clock time occurs, given as the local time read as UTC (the inverse of `wall`); a
 * time repeated by a transition resolves to its first occurrence.
 */
export function instantOfWall(zone: ZoneData, local: number): number {
  const first = local - offsetAt(zone, local) * MINUTE_MS;
  return local - offsetAt(zone, first) * MINUTE_MS;
}

/** The local date of an instant. */
export const localDate = (zone: ZoneData, at: number): IsoDate =>
  new Date(wall(zone, at)).toISOString().slice(0, 10);

/** Minutes since local midnight of an instant. */
export const localMinutes = (zone: ZoneData, at: number): number =>
  Math.floor((((wall(zone, at) % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);

/**
 * The instant a local date and time of day occur. A time skipped by a transition resolves after it, a time
 * repeated by one to its first occurrence; close of business and midnight are neither in America/New_York.
 */
export function instantOf(zone: ZoneData, date: IsoDate, minutes: number): number {
  const local = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS;
  const first = local - offsetAt(zone, local) * MINUTE_MS;
  return local - offsetAt(zone, first) * MINUTE_MS;
}

/** The date `days` after (or before) a date. */
export const addDates = (date: IsoDate, days: number): IsoDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** 0 = Sunday ... 6 = Saturday. */
export const weekdayOf = (date: IsoDate): number => new Date(`${date}T00:00:00Z`).getUTCDay();
