import { BOUNDS_IN_FORCE, inPeriod, type Bounds } from '../bounds';
import { rejection } from '../errors';
import type { GrantEvent, GrantRecord } from './grant';

/**
 * A grant's bounds (policy version 7, ../bounds.ts): those it pinned, or, for a grant whose run started before
 * release 7, those in force. Validators never run on replay, so a refusal by either changes no history.
 */
export const grantBounds = (r: GrantRecord): Bounds['grants'] => (r.bounds ?? BOUNDS_IN_FORCE).grants;

const isUse = (e: GrantEvent): boolean => e.type === 'GRANT_USE_REPORTED';

/**
 * Refuses a use report with a note longer than the policy allows, past the grant's total, or past what this
 * operator may report in the rolling period: an operator reporting use in a loop cannot fill the grant's
 * history, its query answer or the lab's callback endpoint (issue 34, finding 5).
 */
export function withinUseBudget(r: GrantRecord, now: Date, actor: string, note: string): void {
  const b = grantBounds(r);
  if (note.length > b.noteChars) {
    throw rejection(
      'VALIDATION_FAILED',
      `note: at most ${b.noteChars} characters in a use report (policy version 7); it has ${note.length}`,
    );
  }
  if (r.uses >= b.usesTotal) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `the grant has taken the ${b.usesTotal} use reports it allows (policy version 7)`,
    );
  }
  const mine = r.events.filter((e) => isUse(e) && e.actor === actor).map((e) => e.at);
  const recent = inPeriod(mine, b.periodDays, now);
  if (recent >= b.usesPerPeriod) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${actor} has reported ${recent} uses in the last ${b.periodDays} day(s); the policy allows ${b.usesPerPeriod}`,
    );
  }
}

/**
 * The timeline a reader is shown: every step, with only the latest use reports (the count of all of them is
 * the grant's `uses`), and how many earlier ones were left out.
 */
export function shownTimeline(r: GrantRecord): { timeline: GrantEvent[]; usesOmitted: number } {
  const shown = grantBounds(r).usesShown;
  const uses = r.events.filter(isUse);
  const omitted = new Set(uses.slice(0, Math.max(0, uses.length - shown)));
  return { timeline: r.events.filter((e) => !omitted.has(e)), usesOmitted: omitted.size };
}
