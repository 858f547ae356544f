import { z } from 'zod';
import { DAY_MS } from './time';

export const CalendarKind = z.enum(['CALENDAR_DAYS', 'BUSINESS_DAYS']);
export type CalendarKind = z.infer<typeof CalendarKind>;

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;

// All calendar arithmetic is on UTC dates: a workflow has no time zone, and UTC has no DST to skip.
const utc = (year: number, month: number, day: number): Date => new Date(Date.UTC(year, month - 1, day));
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const startOfDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** The n-th (1-based) `weekday` (0 = Sunday) of a month. */
const nthWeekday = (year: number, month: number, weekday: number, n: number): Date => {
  const first = utc(year, month, 1).getUTCDay();
  return utc(year, month, 1 + ((weekday - first + 7) % 7) + 7 * (n - 1));
};

const lastWeekday = (year: number, month: number, weekday: number): Date => {
  const last = utc(year, month + 1, 0);
  return utc(year, month, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7));
};

/** 5 U.S.C. 6103(b): a Saturday holiday is observed the Friday before, a Sunday one the Monday after. */
const observed = (d: Date): Date => {
  const weekday = d.getUTCDay();
  const shift = weekday === SATURDAY ? -1 : weekday === SUNDAY ? 1 : 0;
  return new Date(d.getTime() + shift * DAY_MS);
};

// Holidays never change for a given year, so memoizing is deterministic and safe in the workflow sandbox.
const memo = new Map<number, readonly string[]>();

const holidaysOf = (year: number): readonly string[] => {
  const cached = memo.get(year);
  if (cached) return cached;
  if (!Number.isInteger(year)) throw new RangeError(`year must be a whole number, got ${year}`);
  const list = [
    utc(year, 1, 1), // New Year's Day
    nthWeekday(year, 1, MONDAY, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, MONDAY, 3), // Washington's Birthday
    lastWeekday(year, 5, MONDAY), // Memorial Day
    utc(year, 6, 19), // Juneteenth National Independence Day
    utc(year, 7, 4), // Independence Day
    nthWeekday(year, 9, MONDAY, 1), // Labor Day
    nthWeekday(year, 10, MONDAY, 2), // Columbus Day
    utc(year, 11, 11), // Veterans Day
    nthWeekday(year, 11, THURSDAY, 4), // Thanksgiving Day
    utc(year, 12, 25), // Christmas Day
  ].map((d) => isoDate(observed(d)));
  memo.set(year, list);
  return list;
};

/**
 * The eleven federal holidays of 5 U.S.C. 6103(a) for `year`, as observed dates ('YYYY-MM-DD'), in order.
 * New Year's Day on a Saturday is observed on December 31 of the year before, so it is listed first.
 */
export const federalHolidays = (year: number): string[] => [...holidaysOf(year)];

/** Whether the instant's UTC date is an observed federal holiday (of its own year or, for Dec 31, the next). */
export const isFederalHoliday = (instant: Date): boolean => {
  const year = instant.getUTCFullYear();
  const date = isoDate(instant);
  return holidaysOf(year).includes(date) || holidaysOf(year + 1).includes(date);
};

/** A U.S. federal business day, judged on the instant's UTC date. */
export const isBusinessDay = (instant: Date): boolean => {
  const weekday = instant.getUTCDay();
  return weekday !== SATURDAY && weekday !== SUNDAY && !isFederalHoliday(instant);
};

/**
 * `days` after `start`. Calendar days may be fractional (compressed deadlines) and are exact multiples of 24 h,
 * rounded to the millisecond. Business days are whole: the result is the `days`-th business day after start's
 * date, at start's UTC time of day.
 */
export const addDays = (start: Date, days: number, kind: CalendarKind): Date => {
  if (kind === 'CALENDAR_DAYS') {
    if (!Number.isFinite(days)) throw new RangeError(`calendar days must be finite, got ${days}`);
    return new Date(start.getTime() + Math.round(days * DAY_MS));
  }
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`business days must be a whole number >= 0, got ${days}`);
  }
  let at = start.getTime();
  let left = days;
  while (left > 0) {
    at += DAY_MS;
    if (isBusinessDay(new Date(at))) left -= 1;
  }
  return new Date(at);
};

/** The number of business days after from's UTC date, up to and including to's. */
export const businessDaysBetween = (from: Date, to: Date): number => {
  let count = 0;
  const last = startOfDay(to.getTime());
  for (let day = startOfDay(from.getTime()) + DAY_MS; day <= last; day += DAY_MS) {
    if (isBusinessDay(new Date(day))) count += 1;
  }
  return count;
};
