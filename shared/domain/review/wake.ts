import { atRiskAt, nextWakeAt, type Deadline } from '../deadlines';
import { endOfDayAfter } from '../washington/business-calendar';
import { contextOf, key, openDeadlines } from './clock';
import { calendarOf, corrected } from './rules';
import { openStage } from './roster';
import { effectiveStageDeadline } from './stage-time';
import type { CaseState } from './state';

/** The deadline whose at-risk threshold matters now: the open stage's, or the determination's. */
export function watchedForRisk(c: CaseState): string[] {
  if (c.stage === 'NATIONAL_SECURITY' || c.stage === 'CIVILIAN') return [key.stage(c.stage)];
  return c.stage === 'DETERMINATION' ? [key.determination] : [];
}

/** The deadlines graded for AT_RISK and OVERDUE; under rules 2 a stage's is its effective deadline. */
export function watchedDeadlines(c: CaseState, now: Date): Deadline[] {
  const stage = openStage(c);
  if (corrected(c) && stage !== undefined) return [effectiveStageDeadline(c, stage, now)];
  return watchedForRisk(c)
    .map((k) => c.deadlines[k])
    .filter((d): d is Deadline => d !== undefined);
}

/** Rules 2: the ends of declared closures still ahead, when the CLOSURE flag clears. */
function closureEnds(c: CaseState, now: Date): number[] {
  const cal = calendarOf(c);
  if (cal === undefined) return [];
  return (c.closures ?? [])
    .flatMap((x) => x.dates)
    .map((date) => endOfDayAfter(cal, Date.parse(`${date}T12:00:00Z`), 0))
    .filter((end) => end > now.getTime());
}

/**
 * When the workflow must next wake on its own: the earliest future due time, toll cap running out,
 * at-risk threshold or (rules 2) end of a closure. What is already due was handled by the time this is asked.
 */
export function nextWake(c: CaseState, now: Date): Date | undefined {
  const t = now.getTime();
  let next = Infinity;
  for (const d of openDeadlines(c)) {
    const wake = nextWakeAt(d, now, contextOf(c, d))?.getTime();
    if (wake !== undefined && wake > t) next = Math.min(next, wake);
  }
  if (c.policy !== undefined) {
    const open = new Set(openDeadlines(c).map((d) => d.key));
    for (const d of watchedDeadlines(c, now).filter((x) => open.has(x.key))) {
      const atRisk = atRiskAt(d, now, c.policy.atRiskFraction, contextOf(c, c.deadlines[d.key]));
      if (atRisk !== undefined && atRisk > t) next = Math.min(next, Math.ceil(atRisk));
    }
  }
  for (const end of closureEnds(c, now)) next = Math.min(next, end);
  return next === Infinity ? undefined : new Date(next);
}
