import type { Actor } from '../principal';
import { iso } from '../time';
import { localDate } from '../washington/zone';
import { openEscalation, protectChairTime } from './determination';
import { EVERY_FIX, type Fixes } from './fixes';
import { labDeadlines } from './lab-deadlines';
import { record } from './record';
import { calendarOf } from './rules';
import type { CaseState } from './state';

/**
 * Rules 2: operations staff declare an unscheduled closure of federal offices (an executive order, OPM). Its
 * dates stop being business days for this case: a government deadline falling on one moves to the next
 * business day, the chair's least time ends as many business days later, and the lab is told the new dates.
 */
export function declareClosure(
  c: CaseState,
  closure: { closureId: string; dates: string[]; reason: string },
  actor: Actor,
  now: Date,
  fixes: Fixes = EVERY_FIX,
) {
  const dates = [...closure.dates].sort();
  c.closures = [
    ...(c.closures ?? []),
    { id: closure.closureId, dates, reason: closure.reason, declaredAt: iso(now) },
  ];
  const escalation = openEscalation(c);
  if (escalation !== undefined && c.policy !== undefined && fixes.chairTimeFollowsClosures()) {
    protectChairTime(c, c.policy, escalation);
  }
  return record(c, now, actor, 'CLOSURE_DECLARED', `federal offices closed on ${dates.join(', ')}`, {
    closureId: closure.closureId,
    dates,
    deadlines: labDeadlines(c, now),
  });
}

/** Whether a declared closure is in force today or ahead (the CLOSURE flag). */
export function closureAhead(c: CaseState, now: Date): boolean {
  const cal = calendarOf(c);
  if (cal === undefined) return false;
  const today = localDate(cal.zone, now.getTime());
  return (c.closures ?? []).some((x) => x.dates.some((d) => d >= today));
}
