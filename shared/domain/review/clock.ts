import { addDays } from '../calendar';
import {
  dueAt,
  isPaused,
  urgency,
  withCap,
  WINDOW_KEY,
  type Deadline,
  type DeadlineContext,
  type Urgency,
} from '../deadlines';
import type { DayCount, Policy, ReviewStageName } from '../policy';
import { DAY_MS, iso } from '../time';
import { businessDaysAfter, calendarDaysAfter, type BusinessCalendar } from '../washington/business-calendar';
import { calendarOf, corrected, countsPrecisely } from './rules';
import type { CaseState } from './state';

/**
 * Names of a case's deadlines, and the few questions the workflow asks of them. All arithmetic is in
 * ../deadlines.ts; this file only knows which deadline is which and what its due time depends on.
 */
export const key = {
  window: WINDOW_KEY,
  supplement: 'supplement',
  designation: 'designation',
  stage: (stage: ReviewStageName) => `stage:${stage}`,
  agency: (stage: ReviewStageName, agency: string) => `agency:${stage}:${agency}`,
  determination: 'determination',
  information: (requestId: string) => `information:${requestId}`,
};

/**
 * A deadline `count` after `from`. With a business calendar (rules 2) it falls due at close of business in
 * Washington: calendar days after the event's date, business days counted from the next business day when
 * the event comes after close of business.
 */
export function deadlineFrom(
  k: string,
  party: string,
  startsAt: Date,
  count: DayCount,
  from: Date = startsAt,
  cal?: BusinessCalendar,
): Deadline {
  const d: Deadline = {
    key: k,
    party,
    startsAt: iso(startsAt),
    baseDue: iso(addDays(from, count.days, count.calendar)),
    calendar: count.calendar,
    tolls: [],
    extensions: [],
  };
  if (cal === undefined) return d;
  const due =
    count.calendar === 'BUSINESS_DAYS'
      ? businessDaysAfter(cal, from.getTime(), count.days)
      : calendarDaysAfter(cal, from.getTime(), count.days);
  return { ...d, baseDue: iso(due), clock: 'WASHINGTON' };
}

/** Information-request tolling per agency deadline is capped by policy; funding lapses are not. */
export const tollCapMs = (policy: Policy | undefined): number | undefined =>
  policy === undefined ? undefined : policy.tollingCapDays * DAY_MS;

/**
 * The cap on one deadline's information-request tolling. Under rules 2 it is never shorter than the time the
 * lab was given to answer any request that tolls it.
 */
function capFor(c: CaseState, d: Deadline | undefined): number | undefined {
  const policyCap = tollCapMs(c.policy);
  if (policyCap === undefined || d === undefined || !corrected(c)) return policyCap;
  const answerTimes = d.tolls
    .filter((t) => t.reason === 'INFORMATION_REQUEST')
    .map((t) => c.informationRequests.find((r) => r.id === t.id))
    .map((r) => (r === undefined ? 0 : Date.parse(r.dueAt) - Date.parse(r.askedAt)));
  return Math.max(policyCap, ...answerTimes);
}

/** What a deadline's due time depends on in this case. */
export const contextOf = (c: CaseState, d?: Deadline): DeadlineContext => ({
  capMs: capFor(c, d),
  calendar: calendarOf(c),
  reversible: corrected(c),
  ...(countsPrecisely(c) ? { counting: true } : {}),
});

export const isGovernment = (d: Deadline): boolean => d.party !== 'lab';

export function deadline(c: CaseState, k: string): Deadline {
  const d = c.deadlines[k];
  if (d === undefined) throw new Error(`case ${c.submission.submissionId} has no deadline ${k}`);
  return d;
}

/** A deadline's due time in this case. */
export const dueOf = (c: CaseState, d: Deadline, now: Date): Date => dueAt(d, now, contextOf(c, d));

export const due = (c: CaseState, k: string, now: Date): Date => dueOf(c, deadline(c, k), now);

/** Met never; paused not yet; otherwise once its due time has come. */
export const isDue = (c: CaseState, k: string, now: Date): boolean => {
  const d = deadline(c, k);
  const ctx = contextOf(c, d);
  return (
    d.metAt === undefined && !isPaused(d, now, ctx.capMs) && dueAt(d, now, ctx).getTime() <= now.getTime()
  );
};

export const isPausedNow = (c: CaseState, d: Deadline, now: Date): boolean =>
  isPaused(d, now, contextOf(c, d).capMs);

export const urgencyOf = (c: CaseState, k: string, now: Date): Urgency => {
  const d = deadline(c, k);
  return urgency(d, now, c.policy?.atRiskFraction, contextOf(c, d));
};

/** A government deadline's due time if the lab had consented to any length: used to detect WINDOW_AT_RISK. */
export const uncappedDue = (c: CaseState, d: Deadline, now: Date): Date =>
  dueAt(withCap(d, undefined), now, contextOf(c, d));

export function updateDeadline(c: CaseState, k: string, change: (d: Deadline) => Deadline): void {
  c.deadlines[k] = change(deadline(c, k));
}

/** The deadlines that still bind someone. */
export const openDeadlines = (c: CaseState): Deadline[] =>
  Object.values(c.deadlines).filter((d) => d.metAt === undefined);
