import { tollDays } from '../counting';
import { atRiskAt, nextWakeAt, type Deadline } from '../deadlines';
import { DAY_MS } from '../time';
import { tollSpans, type TollSpan } from '../tolling';
import { endOfDayAfter } from '../washington/business-calendar';
import { instantOfWall, offsetAt } from '../washington/zone';
import { contextOf, dueOf, isGovernment, isPausedNow, key, openDeadlines } from './clock';
import { pendingDesignation } from './designation';
import { neededWindowEnd } from './extensions';
import { calendarOf, corrected, countsPrecisely } from './rules';
import { openStage } from './roster';
import { effectiveStageDeadline } from './stage-time';
import type { CaseState } from './state';
import { windowEnd } from './window';

const MINUTE_MS = 60_000;

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
  if (countsPrecisely(c)) {
    // A designation a lapse holds still ends when the planned release comes (./designation.ts).
    const release = Date.parse(c.submission.plannedReleaseDate);
    if (pendingDesignation(c) !== undefined && release > t) next = Math.min(next, release);
    const risk = windowRiskAt(c, now);
    if (risk !== undefined) next = Math.min(next, risk);
    // A clock paused by a lapse with nothing else to wake for (a designation): look again a day later at least.
    if (next === Infinity) next = pausedCheckAt(c, now) ?? Infinity;
  }
  return next === Infinity ? undefined : new Date(next);
}

/** Rules 7: the open tolls still growing now, each as the stretch it is part of. */
function growingTolls(c: CaseState, now: Date): TollSpan[] {
  const spans = new Map<number, TollSpan>();
  for (const d of openDeadlines(c).filter(isGovernment)) {
    if (!isPausedNow(c, d, now)) continue;
    const t = now.getTime();
    const last = tollSpans(d, now, contextOf(c, d).capMs).at(-1);
    // A toll that begins this instant has no length yet.
    const span = last !== undefined && last.to === t ? last : { from: t, to: t, ms: 0 };
    if (!spans.has(span.from)) spans.set(span.from, span);
  }
  return [...spans.values()];
}

/**
 * Rules 7: the case checks its window while a toll runs (domain.md section 4, "Counting, precisely"). The first
 * instant after now at which the tolled deadlines would need the window beyond its end (or beyond the last
 * extension the lab answered), so that advance() offers the extension then: a toll grows a deadline a whole day
 * each time its length on the wall clock passes another half day, so only those instants are looked at.
 * Undefined while an offer waits for the lab's answer, or when no growing toll would need it.
 */
function windowRiskAt(c: CaseState, now: Date): number | undefined {
  const cal = calendarOf(c);
  if (cal === undefined || c.acceptedAt === undefined || c.stage === 'CLOSED') return undefined;
  const last = c.extensionOffers[c.extensionOffers.length - 1];
  if (last !== undefined && last.response === undefined) return undefined;
  const tolls = growingTolls(c, now);
  if (tolls.length === 0) return undefined;
  const limit = Math.max(
    windowEnd(c).getTime(),
    last === undefined ? -Infinity : Date.parse(last.proposedWindowEnd),
  );
  const needed = (t: number) => neededWindowEnd(c, new Date(t))?.getTime() ?? -Infinity;
  const needNow = needed(now.getTime());
  if (needNow > limit) return undefined; // advance() already offered, or may not offer again
  const days = Math.ceil((limit - needNow) / DAY_MS) + 4;
  const steps = [
    ...new Set(
      tolls.flatMap((span) => {
        const grown = tollDays(cal, span);
        // Time in the stretch that does not count (information requests past the cap) shifts its steps later.
        const lost = span.to - span.from - span.ms;
        const start = span.from + offsetAt(cal.zone, span.from) * MINUTE_MS;
        return Array.from(
          { length: days },
          (_, i) => instantOfWall(cal.zone, start + (grown + i + 0.5) * DAY_MS) + lost,
        );
      }),
    ),
  ]
    .filter((t) => t > now.getTime())
    .sort((a, b) => a - b);
  // The need only grows as the tolls do: the first step past the limit, by halving.
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (needed(steps[mid]) > limit) hi = mid;
    else lo = mid + 1;
  }
  return lo < steps.length ? steps[lo] : undefined;
}

/** Rules 7: when a case whose only clocks are paused by a lapse looks again: their due time now, or a day on. */
function pausedCheckAt(c: CaseState, now: Date): number | undefined {
  const paused = openDeadlines(c).filter((d) => isPausedNow(c, d, now));
  if (paused.length === 0) return undefined;
  const soonest = Math.min(...paused.map((d) => dueOf(c, d, now).getTime()));
  return Math.max(soonest, now.getTime() + DAY_MS);
}
