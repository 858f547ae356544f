import type { Deadline } from '../deadlines';
import { REVIEW_STAGES, type ReviewStageName } from '../policy-names';
import { iso } from '../time';
import { deadline, dueOf, key, uncappedDue } from './clock';
import { openStage, undecidedRequired } from './roster';
import { wallDays } from '../washington/zone';
import { calendarOf, corrected, countsPrecisely } from './rules';
import type { CaseState } from './state';

/**
 * Rules 2: stage time is protected (domain.md section 4). A stage's own deadline gives way to the later
 * deadline of a required agency that extended or was tolled past it: neither that agency nor its stage is
 * overdue before then, and when the stage closes late, every later government deadline moves by the delay.
 */

/** The stage's deadline as it really binds now: its own, or the latest of its undecided required agencies'. */
export function effectiveStageDeadline(c: CaseState, stage: ReviewStageName, now: Date): Deadline {
  const own = deadline(c, key.stage(stage));
  const agencies = undecidedRequired(c, stage).map((s) =>
    dueOf(c, deadline(c, key.agency(stage, s.agency)), now),
  );
  const latest = Math.max(dueOf(c, own, now).getTime(), ...agencies.map((d) => d.getTime()));
  return { ...own, notBefore: iso(latest) };
}

/**
 * A deadline as the case shows it (its status, the dashboard, a what-if): the open stage's as it binds, every
 * other as it is.
 */
export function shownDeadline(c: CaseState, d: Deadline, now: Date): Deadline {
  const stage = openStage(c);
  return corrected(c) && stage !== undefined && d.key === key.stage(stage)
    ? effectiveStageDeadline(c, stage, now)
    : d;
}

/** How far the open stage may yet run past its own deadline, were the lab to consent to any window. */
export function pendingOverrunMs(c: CaseState, now: Date): number {
  const stage = openStage(c);
  if (stage === undefined) return 0;
  const own = uncappedDue(c, deadline(c, key.stage(stage)), now).getTime();
  const agencies = undecidedRequired(c, stage).map((s) =>
    uncappedDue(c, deadline(c, key.agency(stage, s.agency)), now).getTime(),
  );
  return Math.max(0, ...agencies.map((due) => due - own));
}

/** The stage a deadline belongs to, or 'DETERMINATION' for the determination's. */
function phaseOf(d: Deadline): ReviewStageName | 'DETERMINATION' | undefined {
  if (d.key === key.determination) return 'DETERMINATION';
  return REVIEW_STAGES.find((s) => d.key === key.stage(s) || d.key.startsWith(`agency:${s}:`));
}

/** Whether a deadline belongs to a phase after the stage open now, so that the stage's overrun moves it. */
export function isLater(c: CaseState, d: Deadline): boolean {
  const stage = openStage(c);
  const phase = phaseOf(d);
  if (stage === undefined || phase === undefined) return false;
  return phase === 'DETERMINATION' || REVIEW_STAGES.indexOf(phase) > REVIEW_STAGES.indexOf(stage);
}

/**
 * The due time a government deadline would need were the lab to consent to any window: its own, plus the
 * open stage's possible overrun for a later deadline. WINDOW_AT_RISK compares it with the window's end.
 */
export function neededDue(
  c: CaseState,
  d: Deadline,
  now: Date,
  pending: number = pendingOverrunMs(c, now),
): number {
  const own = uncappedDue(c, d, now).getTime();
  if (!isLater(c, d)) return own;
  if (pending === 0) return own;
  const overrun = { id: 'pending', reason: 'STAGE_OVERRUN' as const, ms: pending, at: iso(now) };
  // Rules 7: in whole days from the stage's own due time, as the overrun will be counted (./stages.ts).
  const cal = countsPrecisely(c) ? calendarOf(c) : undefined;
  if (cal !== undefined) {
    const stage = uncappedDue(c, deadline(c, key.stage(openStage(c)!)), now).getTime();
    Object.assign(overrun, { days: Math.max(1, Math.ceil(wallDays(cal.zone, stage, stage + pending))) });
  }
  const moved: Deadline = { ...d, shifts: [...(d.shifts ?? []), overrun] };
  return uncappedDue(c, moved, now).getTime();
}
