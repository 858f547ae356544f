import { addDays } from '../calendar';
import { withCap, type Deadline } from '../deadlines';
import type { Policy } from '../policy';
import { iso } from '../time';
import { endOfDayAfter } from '../washington/business-calendar';
import { deadline, isGovernment, key } from './clock';
import { calendarOf } from './rules';
import type { CaseState } from './state';

/**
 * The pre-release window, the lab's clock (domain.md section 4). It starts at acceptance and ends at the
 * earliest of its natural end (acceptance plus the policy's length, or a later end the lab consented to) and
 * the lab's planned release. Nothing tolls it and only the lab moves it. Its end is kept as the `window`
 * deadline, so that timers and views treat it like every other deadline; it is written only here.
 */

/**
 * Acceptance plus the policy's window length; on Washington's calendar (rules 2), the end (24:00) of the
 * window's last day, the `windowDays`-th after the day of acceptance.
 */
export function naturalEnd(c: CaseState, acceptedAt: Date, policy: Policy): Date {
  const cal = calendarOf(c);
  return cal === undefined
    ? addDays(acceptedAt, policy.windowDays, 'CALENDAR_DAYS')
    : new Date(endOfDayAfter(cal, acceptedAt.getTime(), policy.windowDays));
}

/** The latest window end the lab consented to by accepting an extension offer, if any. */
export const consentedEnd = (c: CaseState): number | undefined => {
  const ends = c.extensionOffers
    .filter((o) => o.response === 'ACCEPTED')
    .map((o) => Date.parse(o.proposedWindowEnd));
  return ends.length === 0 ? undefined : Math.max(...ends);
};

export const plannedRelease = (c: CaseState): Date => new Date(c.submission.plannedReleaseDate);

export const windowEnd = (c: CaseState): Date => new Date(deadline(c, key.window).baseDue);

export function setEnd(c: CaseState, end: Date | number): void {
  c.deadlines[key.window] = { ...deadline(c, key.window), baseDue: iso(end) };
  capGovernmentDeadlines(c);
}

/** Government deadlines may not pass the window's end without the lab's consent. */
export function capGovernmentDeadlines(c: CaseState): void {
  const end = windowEnd(c);
  for (const d of Object.values(c.deadlines)) if (isGovernment(d)) c.deadlines[d.key] = withCap(d, end);
}

/**
 * Opens the window at acceptance: it ends at its natural end, or at the planned release when that is
 * earlier (never before now). Answers both, so acceptance can compress the government's deadlines.
 */
export function openWindow(c: CaseState, policy: Policy, now: Date): { natural: Date; end: Date } {
  const natural = naturalEnd(c, now, policy);
  const end = new Date(Math.max(now.getTime(), Math.min(natural.getTime(), plannedRelease(c).getTime())));
  const window: Deadline = {
    key: key.window,
    party: 'lab',
    startsAt: iso(now),
    baseDue: iso(end),
    calendar: 'CALENDAR_DAYS',
    tolls: [],
    extensions: [],
  };
  c.deadlines[key.window] = window;
  return { natural, end };
}

/**
 * The lab moved its planned release (already written to the submission). Earlier than the window's end: the
 * window ends at the new date. Later: the window grows back, at most to its natural or consented end.
 */
export function followRelease(c: CaseState, acceptedAt: Date, policy: Policy): void {
  setEnd(c, endForRelease(c, acceptedAt, policy));
}

/** The longest the window may be: its natural end, or a later end the lab consented to. */
export const longestEnd = (c: CaseState, acceptedAt: Date, policy: Policy): number =>
  Math.max(naturalEnd(c, acceptedAt, policy).getTime(), consentedEnd(c) ?? -Infinity);

/** Where the window ends for the planned release now on the submission. */
export function endForRelease(c: CaseState, acceptedAt: Date, policy: Policy): number {
  const release = plannedRelease(c).getTime();
  if (release < windowEnd(c).getTime()) return release;
  return Math.min(longestEnd(c, acceptedAt, policy), release);
}

/** The lab accepted an extension offer: the window ends where the offer proposed. */
export const consentTo = (c: CaseState, proposedEnd: string): void => setEnd(c, Date.parse(proposedEnd));
