import { addDays } from '../calendar';
import {
  atRiskAt,
  dueAt,
  isPaused,
  nextWakeAt,
  urgency,
  withCap,
  WINDOW_KEY,
  type Deadline,
  type Urgency,
} from '../deadlines';
import type { DayCount, Policy, ReviewStageName } from '../policy';
import { DAY_MS, iso } from '../time';
import type { CaseState } from './state';

/**
 * Names of a case's deadlines, and the few questions the workflow asks of them. All arithmetic is in
 * ../deadlines.ts; this file only knows which deadline is which.
 */
export const key = {
  window: WINDOW_KEY,
  supplement: 'supplement',
  stage: (stage: ReviewStageName) => `stage:${stage}`,
  agency: (stage: ReviewStageName, agency: string) => `agency:${stage}:${agency}`,
  determination: 'determination',
  information: (requestId: string) => `information:${requestId}`,
};

export const deadlineFrom = (
  k: string,
  party: string,
  startsAt: Date,
  count: DayCount,
  from: Date = startsAt,
): Deadline => ({
  key: k,
  party,
  startsAt: iso(startsAt),
  baseDue: iso(addDays(from, count.days, count.calendar)),
  calendar: count.calendar,
  tolls: [],
  extensions: [],
});

/** Information-request tolling per agency deadline is capped by policy; funding lapses are not. */
export const tollCapMs = (policy: Policy | undefined): number | undefined =>
  policy === undefined ? undefined : policy.tollingCapDays * DAY_MS;

export const isGovernment = (d: Deadline): boolean => d.party !== 'lab';

export function deadline(c: CaseState, k: string): Deadline {
  const d = c.deadlines[k];
  if (d === undefined) throw new Error(`case ${c.submission.submissionId} has no deadline ${k}`);
  return d;
}

export const due = (c: CaseState, k: string, now: Date): Date =>
  dueAt(deadline(c, k), now, tollCapMs(c.policy));

/** Met never; paused not yet; otherwise once its due time has come. */
export const isDue = (c: CaseState, k: string, now: Date): boolean => {
  const d = deadline(c, k);
  const cap = tollCapMs(c.policy);
  return d.metAt === undefined && !isPaused(d, now, cap) && dueAt(d, now, cap).getTime() <= now.getTime();
};

export const urgencyOf = (c: CaseState, k: string, now: Date): Urgency =>
  urgency(deadline(c, k), now, c.policy?.atRiskFraction, tollCapMs(c.policy));

/** A government deadline's due time if the lab had consented to any length: used to detect WINDOW_AT_RISK. */
export const uncappedDue = (c: CaseState, d: Deadline, now: Date): Date =>
  dueAt(withCap(d, undefined), now, tollCapMs(c.policy));

export function updateDeadline(c: CaseState, k: string, change: (d: Deadline) => Deadline): void {
  c.deadlines[k] = change(deadline(c, k));
}

/** The deadlines that still bind someone. */
export const openDeadlines = (c: CaseState): Deadline[] =>
  Object.values(c.deadlines).filter((d) => d.metAt === undefined);

/** The deadline whose at-risk threshold matters now: the open stage's, or the determination's. */
export function watchedForRisk(c: CaseState): string[] {
  if (c.stage === 'NATIONAL_SECURITY' || c.stage === 'CIVILIAN') return [key.stage(c.stage)];
  return c.stage === 'DETERMINATION' ? [key.determination] : [];
}

/**
 * When the workflow must next wake on its own: the earliest future due time, toll cap running out, or
 * at-risk threshold. What is already due was handled by the time this is asked.
 */
export function nextWake(c: CaseState, now: Date): Date | undefined {
  const cap = tollCapMs(c.policy);
  const t = now.getTime();
  let next = Infinity;
  for (const d of openDeadlines(c)) {
    const wake = nextWakeAt(d, now, cap)?.getTime();
    if (wake !== undefined && wake > t) next = Math.min(next, wake);
    if (c.policy !== undefined && watchedForRisk(c).includes(d.key)) {
      const atRisk = atRiskAt(d, now, c.policy.atRiskFraction, cap);
      if (atRisk !== undefined && atRisk > t) next = Math.min(next, Math.ceil(atRisk));
    }
  }
  return next === Infinity ? undefined : new Date(next);
}
