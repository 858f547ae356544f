import { FEDERAL_HOLIDAYS_2025_2040 } from '../shared/domain/washington/federal-holidays';
import { businessCalendar, isBusinessDate } from '../shared/domain/washington/business-calendar';
import { AMERICA_NEW_YORK_2025C } from '../shared/domain/washington/zone-america-new-york-2025c';
import { addDates, localDate } from '../shared/domain/washington/zone';

/**
 * Times as the people who decide read them: in Washington, with the zone named (`Tue 1 Dec 2026, 5:00 p.m.
 * ET`), and a deadline's business days left on Washington's calendar (weekends and federal holidays).
 */

const PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** `Tue 1 Dec 2026, 5:00 p.m. ET`; an absent time is an em dash. */
export function washington(at: string | number | undefined): string {
  if (at === undefined) return '—';
  const p = Object.fromEntries(PARTS.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const period = p.dayPeriod === 'AM' ? 'a.m.' : 'p.m.';
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${period} ET`;
}

/** The machine-readable form beside it, for `<time datetime>`. */
export const isoOf = (at: string | number): string => new Date(at).toISOString();

const CALENDAR = businessCalendar(
  AMERICA_NEW_YORK_2025C,
  '17:00',
  FEDERAL_HOLIDAYS_2025_2040.map((h) => h.date),
);

/** Business days from today (Washington's date at `now`) to the due date: today itself does not count. */
export function businessDaysLeft(now: number, due: string): number {
  const today = localDate(CALENDAR.zone, now);
  const last = localDate(CALENDAR.zone, Date.parse(due));
  let count = 0;
  for (let d = addDates(today, 1); d <= last; d = addDates(d, 1)) if (isBusinessDate(CALENDAR, d)) count += 1;
  return count;
}

/** "3 business days left", "due today", "overdue since Tue 1 Dec 2026, 5:00 p.m. ET". */
export function timeLeft(now: number, due: string): string {
  if (Date.parse(due) <= now) return `overdue since ${washington(due)}`;
  const days = businessDaysLeft(now, due);
  if (days === 0) return 'due today';
  return `${days} business day${days === 1 ? '' : 's'} left`;
}
