import type { Policy } from '../policy';
import { businessCalendar, type BusinessCalendar } from '../washington/business-calendar';
import { AMERICA_NEW_YORK_2025C } from '../washington/zone-america-new-york-2025c';
import type { ZoneData } from '../washington/zone';
import type { CaseState } from './state';

/**
 * The rules a case runs under, pinned when it starts (domain.md sections 4 and 5). Every history recorded
 * before release 2 is rules 1 and replays exactly as it ran; rules 2 corrects the determination off the happy
 * paths and keeps Washington's calendar:
 *
 * - government deadlines fall due at close of business on a Washington business day (holidays are policy data,
 *   closures government state), business-day periods count from the next business day after close of business,
 *   and the window ends at 24:00 of its last day;
 * - a stage that closes late because an agency's deadline was extended or tolled moves every later government
 *   deadline by its delay, and neither that agency nor its stage is overdue before its own deadline;
 * - the chair gets its minimum time on escalation; advisory agencies never hold a stage open;
 * - at the window's end the determination follows from what was recorded: a required CONCERNS_UNRESOLVED is
 *   never lost, and REVIEW_INCOMPLETE is issued only then, only when a required review was cut short;
 * - a lab that moves its release later again gets its compressed deadlines back;
 * - the tolling cap resumes the clock out loud, and is never shorter than the lab's time to answer;
 * - closing a case closes its open information requests and tolls.
 *
 * Rules 3 (release 3) keeps rules 2 and adds the designation (./designation.ts): under a policy that names a
 * designating agency, intake's screen is a proposal, and acceptance follows the agency's designation or its
 * silence at the end of its period.
 *
 * Rules 4 (release 4) keeps rules 3 and tracks the determination's commitments (./commitments.ts): each keeps
 * the agency that asked for it (the chair's resolution adds its own rather than replacing theirs), and each is
 * handed to a workflow of its own when the determination is issued.
 *
 * Rules 5 (release 5) keeps rules 4 and keeps the lab's record (issue 14, part 3): intake and acceptance read the
 * lab's trusted-partner status, which chooses the policy as the policy in force says (a shorter preset, no
 * designation wait) and is pinned at acceptance; the case tells the lab's record when it is accepted and when
 * it closes.
 *
 * Rules 6 (release 6) keeps rules 5 and offers early access (./grants.ts; issue 14, part 4): in PRE_RELEASE,
 * the policy's nominating agency nominates operators, each grant runs in a workflow of its own, and the case
 * tells its grants how it closed.
 *
 * Rules 7 (release 7) keeps rules 6 and counts as domain.md section 4, "Counting, precisely", says (issue 35):
 * every move of a deadline counts from its due date as it stands (../counting.ts); a toll moves deadlines by
 * whole days on Washington's wall clock; acceptance places the deadlines in the process's order on business
 * days (./order.ts); the chair's protected time is moved by tolls too; NSA's designation before acceptance is
 * a government clock that lapses toll and closures move; the case checks its window while a toll runs and
 * offers the extension when the deadlines would pass it; and a closure that moves the lab's answer deadline
 * tells the lab (DEADLINE_MOVED).
 */
export type RulesVersion = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The rules a new case starts under. */
export const CURRENT_RULES: RulesVersion = 7;

export const rulesOf = (c: CaseState): RulesVersion => c.rules ?? 1;

/** Whether the case runs under rules 2 or later. */
export const corrected = (c: CaseState): boolean => rulesOf(c) >= 2;

/** Whether the case runs under rules 3 or later: the screen proposes, the policy's agency designates. */
export const designates = (c: CaseState): boolean => rulesOf(c) >= 3;

/** Whether the case runs under rules 4 or later: its commitments keep their owners and are tracked. */
export const tracksCommitments = (c: CaseState): boolean => rulesOf(c) >= 4;

/** Whether the case runs under rules 5 or later: the lab's status chooses its policy; its lab's record is told. */
export const keepsLabRecord = (c: CaseState): boolean => rulesOf(c) >= 5;

/** Whether the case runs under rules 6 or later: operators may be nominated for early access. */
export const offersEarlyAccess = (c: CaseState): boolean => rulesOf(c) >= 6;

/** Whether the case runs under rules 7 or later: deadlines count as domain.md's "Counting, precisely" says. */
export const countsPrecisely = (c: CaseState): boolean => rulesOf(c) >= 7;

/** The time-zone table each rules version pins: Node's own zone data never reaches a recorded case. */
const ZONES: Record<Exclude<RulesVersion, 1>, ZoneData> = {
  2: AMERICA_NEW_YORK_2025C,
  3: AMERICA_NEW_YORK_2025C,
  4: AMERICA_NEW_YORK_2025C,
  5: AMERICA_NEW_YORK_2025C,
  6: AMERICA_NEW_YORK_2025C,
  7: AMERICA_NEW_YORK_2025C,
};

const calendars = new WeakMap<Policy, Map<string, BusinessCalendar>>();

/**
 * The business calendar of a rules-2 case whose policy keeps one: the pinned zone, the policy's close of
 * business and holidays, and the closures declared. Undefined otherwise: its deadlines are plain instants.
 * Memoized per policy object and closures, which never change once recorded, so it is deterministic.
 */
export function calendarOf(c: CaseState): BusinessCalendar | undefined {
  // Rules 3: before acceptance, the designation's period keeps the calendar of the policy intake found.
  const policy = c.policy ?? (designates(c) ? c.intakePolicy : undefined);
  const days = policy?.businessDays;
  if (c.rules === undefined || policy === undefined || days === undefined) return undefined;
  const closed = (c.closures ?? []).flatMap((x) => x.dates);
  const key = closed.join(',');
  const byPolicy = calendars.get(policy) ?? new Map<string, BusinessCalendar>();
  calendars.set(policy, byPolicy);
  const cached = byPolicy.get(key);
  if (cached !== undefined) return cached;
  const cal = businessCalendar(ZONES[c.rules], days.closeOfBusiness, [
    ...days.holidays.map((h) => h.date),
    ...closed,
  ]);
  byPolicy.set(key, cal);
  return cal;
}
