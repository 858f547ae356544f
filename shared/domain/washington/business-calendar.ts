import { addDates, instantOf, localDate, weekdayOf, type IsoDate, type ZoneData } from './zone';

/**
 * Washington's business calendar (domain.md section 4): weekdays that are neither an observed federal holiday
 * (policy data) nor a declared closure (government state), in America/New_York, with government deadlines
 * falling due at close of business.
 */
export interface BusinessCalendar {
  zone: ZoneData;
  /** Close of business, minutes after local midnight (17:00 is 1020). */
  closeOfBusiness: number;
  /** Holidays and closures. */
  closed: ReadonlySet<IsoDate>;
}

const SATURDAY = 6;
const SUNDAY = 0;
/** No run of non-business days is longer than this: a guard against a calendar that never opens. */
const LONGEST_CLOSURE_DAYS = 366;

/** '17:00' as minutes after midnight. */
export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

export const businessCalendar = (
  zone: ZoneData,
  closeOfBusiness: string,
  closed: Iterable<IsoDate>,
): BusinessCalendar => ({ zone, closeOfBusiness: minutesOf(closeOfBusiness), closed: new Set(closed) });

export function isBusinessDate(cal: BusinessCalendar, date: IsoDate): boolean {
  const weekday = weekdayOf(date);
  return weekday !== SATURDAY && weekday !== SUNDAY && !cal.closed.has(date);
}

/** The date itself when it is a business day, else the next one. */
export function businessDateOnOrAfter(cal: BusinessCalendar, date: IsoDate): IsoDate {
  let d = date;
  for (let i = 0; !isBusinessDate(cal, d); i += 1) {
    if (i > LONGEST_CLOSURE_DAYS) throw new RangeError(`no business day within a year after ${date}`);
    d = addDates(d, 1);
  }
  return d;
}

/** The n-th business day after a date (n >= 0; the 0th is the date itself). */
export function addBusinessDates(cal: BusinessCalendar, date: IsoDate, n: number): IsoDate {
  let d = date;
  for (let left = n; left > 0; left -= 1) d = businessDateOnOrAfter(cal, addDates(d, 1));
  return d;
}

/** Close of business on a date, as an instant. */
export const closeOfBusinessOn = (cal: BusinessCalendar, date: IsoDate): number =>
  instantOf(cal.zone, date, cal.closeOfBusiness);

/** The first close of business on a business day at or after an instant: when a government deadline falls due. */
export function dueAtCloseOfBusiness(cal: BusinessCalendar, at: number): number {
  const date = localDate(cal.zone, at);
  if (isBusinessDate(cal, date)) {
    const close = closeOfBusinessOn(cal, date);
    if (at <= close) return close;
  }
  return closeOfBusinessOn(cal, businessDateOnOrAfter(cal, addDates(date, 1)));
}

/**
 * The date a business-day period counts from: the event's own date, or the next business day when the event
 * comes after close of business or on a day that is not a business day.
 */
export function businessStartDate(cal: BusinessCalendar, at: number): IsoDate {
  const date = localDate(cal.zone, at);
  if (isBusinessDate(cal, date) && at < closeOfBusinessOn(cal, date)) return date;
  return businessDateOnOrAfter(cal, addDates(date, 1));
}

/** `n` business days after an event, at close of business (n >= 1; the event's day itself is not counted). */
export const businessDaysAfter = (cal: BusinessCalendar, at: number, n: number): number =>
  closeOfBusinessOn(cal, addBusinessDates(cal, businessStartDate(cal, at), n));

/** Close of business `days` calendar days after the event's local date; a weekend or holiday is not skipped here. */
export const calendarDaysAfter = (cal: BusinessCalendar, at: number, days: number): number =>
  closeOfBusinessOn(cal, addDates(localDate(cal.zone, at), days));

/**
 * The end (24:00) of the `days`-th day after the event's local date: a window of `days` days that starts with
 * the event ends then (its day is day 0, its last day day `days`).
 */
export const endOfDayAfter = (cal: BusinessCalendar, at: number, days: number): number =>
  instantOf(cal.zone, addDates(localDate(cal.zone, at), days + 1), 0);
