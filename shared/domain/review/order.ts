import { REVIEW_STAGES } from '../policy-names';
import { iso } from '../time';
import {
  closeOfBusinessOn,
  dueAtCloseOfBusiness,
  isBusinessDate,
  type BusinessCalendar,
} from '../washington/business-calendar';
import { addDates, localDate, type IsoDate } from '../washington/zone';
import { key } from './clock';
import type { CaseState } from './state';

/**
 * Rules 7, the order rule (domain.md section 4, "Counting, precisely"): at acceptance, moving a deadline to a
 * business day goes forward, unless that would pass the next deadline in the process's order (designation,
 * national-security stage, civilian stage, determination, window end) or leave less than one business day
 * between the determination and the window's end; then it goes back to the business day before (and further
 * back while that still would). The presets' day numbers keep their order (../policy-scaling.ts); this keeps it
 * once weekends, holidays and closures apply, so every preset keeps it on every acceptance date.
 *
 * It is placed from the window's end backwards: each deadline against the one after it as placed. An agency's
 * deadline is its stage's. A deadline that cannot go back far enough without reaching the acceptance itself
 * moves forward (the window-at-risk rule then applies), which no preset comes near.
 */

/** The last business date before `date`. */
function businessDateBefore(cal: BusinessCalendar, date: IsoDate): IsoDate {
  let d = addDates(date, -1);
  while (!isBusinessDate(cal, d)) d = addDates(d, -1);
  return d;
}

/** Close of business on the last business date before the date of `at`. */
const closeOfBusinessBefore = (cal: BusinessCalendar, at: number): number =>
  closeOfBusinessOn(cal, businessDateBefore(cal, localDate(cal.zone, at)));

/**
 * The latest the determination may fall due: close of business on a business day with another business day
 * after it and on or before the window's last day.
 */
function latestDetermination(cal: BusinessCalendar, windowEnd: number): number {
  const lastDay = localDate(cal.zone, windowEnd - 1);
  const lastBusiness = isBusinessDate(cal, lastDay) ? lastDay : businessDateBefore(cal, lastDay);
  return closeOfBusinessOn(cal, businessDateBefore(cal, lastBusiness));
}

/** Places the acceptance's stage and determination deadlines in order, on business days (see above). */
export function placeInOrder(c: CaseState, cal: BusinessCalendar, acceptedAt: Date, windowEnd: Date): void {
  const after = (at: number) => at > acceptedAt.getTime();
  const forward = (k: string) => dueAtCloseOfBusiness(cal, Date.parse(c.deadlines[k].baseDue));
  const place = (keys: string[], at: number) => {
    for (const k of keys) c.deadlines[k] = { ...c.deadlines[k], baseDue: iso(at) };
  };

  const limit = latestDetermination(cal, windowEnd.getTime());
  const wanted = forward(key.determination);
  let next = wanted <= limit || !after(limit) ? wanted : limit;
  place([key.determination], next);

  for (const stage of [...REVIEW_STAGES].reverse()) {
    const keys = [
      key.stage(stage),
      ...c.agencies.filter((s) => s.stage === stage).map((s) => key.agency(stage, s.agency)),
    ];
    const ahead = forward(key.stage(stage));
    const back = closeOfBusinessBefore(cal, next);
    const placed = ahead < next || !after(back) ? ahead : back;
    place(keys, placed);
    next = placed;
  }
}
