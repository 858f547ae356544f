import type { Actor } from '../principal';
import { iso } from '../time';
import { localDate } from '../washington/zone';
import { openEscalation, protectChairTime } from './determination';
import { EVERY_FIX, type Fixes } from './fixes';
import { labDeadlines } from './lab-deadlines';
import { record } from './record';
import { due, key } from './clock';
import { calendarOf, countsPrecisely } from './rules';
import type { CaseState, InformationRequest } from './state';

/**
 * Rules 2: operations staff declare an unscheduled closure of federal offices (an executive order, OPM). Its
 * dates stop being business days for this case: a government deadline falling on one moves to the next
 * business day, the chair's least time ends as many business days later, and the lab is told the new dates.
 * Rules 7: a case waiting for its designation is reached too (its designation deadline moves), and the lab is
 * told each answer deadline of its own that moved (DEADLINE_MOVED).
 */
export function declareClosure(
  c: CaseState,
  closure: { closureId: string; dates: string[]; reason: string },
  actor: Actor,
  now: Date,
  fixes: Fixes = EVERY_FIX,
) {
  const dates = [...closure.dates].sort();
  const counting = countsPrecisely(c);
  const answersDue = counting ? answerDeadlines(c, now) : [];
  c.closures = [
    ...(c.closures ?? []),
    { id: closure.closureId, dates, reason: closure.reason, declaredAt: iso(now) },
  ];
  const escalation = openEscalation(c);
  if (escalation !== undefined && c.policy !== undefined && fixes.chairTimeFollowsClosures()) {
    protectChairTime(c, c.policy, escalation);
  }
  // Rules 7: before acceptance there is no window yet, only the designation's deadline.
  const told =
    counting && c.acceptedAt === undefined
      ? c.deadlines[key.designation] === undefined
        ? {}
        : { designationDueAt: iso(due(c, key.designation, now)) }
      : { deadlines: labDeadlines(c, now) };
  const receipt = record(c, now, actor, 'CLOSURE_DECLARED', `federal offices closed on ${dates.join(', ')}`, {
    closureId: closure.closureId,
    dates,
    ...told,
  });
  for (const { request, was } of answersDue) tellIfMoved(c, request, was, closure.closureId, now);
  return receipt;
}

/** Rules 7: the lab's open answer deadlines and their due times before the closure. */
const answerDeadlines = (c: CaseState, now: Date) =>
  c.informationRequests
    .filter((r) => r.status === 'OPEN' && c.deadlines[key.information(r.id)]?.metAt === undefined)
    .map((request) => ({ request, was: due(c, key.information(request.id), now).getTime() }));

/**
 * Rules 7: a closure moves the lab's business-day deadlines that fall on it (a funding lapse never does: the
 * lab's clock is not a government clock). The request shows its new due time and the lab is told.
 */
function tellIfMoved(c: CaseState, r: InformationRequest, was: number, closureId: string, now: Date): void {
  const is = due(c, key.information(r.id), now).getTime();
  if (is === was) return;
  r.dueAt = iso(is);
  record(c, now, 'system', 'DEADLINE_MOVED', `the answer to ${r.id} is now due ${r.dueAt}`, {
    requestId: r.id,
    agency: r.agency,
    dueAt: r.dueAt,
    previousDueAt: iso(was),
    reason: 'CLOSURE',
    closureId,
  });
}

/** Whether a declared closure is in force today or ahead (the CLOSURE flag). */
export function closureAhead(c: CaseState, now: Date): boolean {
  const cal = calendarOf(c);
  if (cal === undefined) return false;
  const today = localDate(cal.zone, now.getTime());
  return (c.closures ?? []).some((x) => x.dates.some((d) => d >= today));
}
