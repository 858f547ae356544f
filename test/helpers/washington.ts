import { DEFAULT_POLICY } from '../../shared/domain/policy-presets';

/**
 * Washington dates and times as an independent reader computes them: from Intl (the runtime's own time-zone
 * database) and the policy's published holiday list, not from the product's pinned table. Tests state the
 * deadlines they expect with these.
 */

const HOLIDAYS = new Set(DEFAULT_POLICY.businessDays!.holidays.map((h) => h.date));
const DAY_MS = 86_400_000;

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The Washington date ('YYYY-MM-DD') and time ('HH:MM') of an instant. */
export function washington(at: number): { date: string; time: string } {
  const p = Object.fromEntries(parts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The instant a Washington date and time occur (EST or EDT, whichever Intl says is in force). */
export function instantIn(date: string, time: string): number {
  for (const offset of ['-04:00', '-05:00']) {
    const t = Date.parse(`${date}T${time}:00${offset}`);
    const w = washington(t);
    if (w.date === date && w.time === time) return t;
  }
  throw new Error(`${date} ${time} does not occur in Washington`);
}

export const plusDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export const isBusinessDate = (date: string, closed: readonly string[] = []): boolean => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(date) && !closed.includes(date);
};

export const nextBusinessDate = (date: string, closed: readonly string[] = []): string => {
  let d = date;
  while (!isBusinessDate(d, closed)) d = plusDays(d, 1);
  return d;
};

/** Close of business (17:00) on the n-th day after the event's Washington date, moved to a business day. */
export const dayDue = (event: number, n: number, closed: readonly string[] = []): number =>
  instantIn(nextBusinessDate(plusDays(washington(event).date, n), closed), '17:00');

/** The end (24:00) of the n-th day after the event's Washington date. */
export const endOfDay = (event: number, n: number): number =>
  instantIn(plusDays(washington(event).date, n + 1), '00:00');

/** n business days after an event, at close of business, counted from the next business day after 17:00. */
export function businessDaysDue(event: number, n: number, closed: readonly string[] = []): number {
  const w = washington(event);
  let d =
    isBusinessDate(w.date, closed) && w.time < '17:00'
      ? w.date
      : nextBusinessDate(plusDays(w.date, 1), closed);
  for (let i = 0; i < n; i += 1) d = nextBusinessDate(plusDays(d, 1), closed);
  return instantIn(d, '17:00');
}

/** When a government deadline that would fall at `t` falls due: close of business then or on the next business day. */
export function closeOfBusinessFrom(t: number, closed: readonly string[] = []): number {
  const w = washington(t);
  if (isBusinessDate(w.date, closed) && t <= instantIn(w.date, '17:00')) return instantIn(w.date, '17:00');
  return instantIn(nextBusinessDate(plusDays(w.date, 1), closed), '17:00');
}

/** Washington's date `days` after today's (a valid date for a closure declared now). */
export const futureWashingtonDate = (days: number): string => plusDays(washington(Date.now()).date, days);

/**
 * A 90-day deadline of `days` compressed into a window that ends at `release` (domain.md section 4): its share
 * of the time from day 0 to the natural end (24:00 of day 90) is kept, then it falls due at the next close of
 * business on a business day. The case caps it at the release; this does not. Its uncompressed due time is
 * day `days` as acceptance placed it, on a business day (rules 7).
 */
export function compressedDue(day0: number, release: number, days: number): number {
  const factor = (release - day0) / (endOfDay(day0, 90) - day0);
  const natural = dayDue(day0, days);
  return closeOfBusinessFrom(day0 + Math.round((natural - day0) * factor));
}
