import { endToll, toll } from '../deadlines';
import type { Actor } from '../principal';
import { iso } from '../time';
import { isGovernment, openDeadlines } from './clock';
import { record } from './record';
import type { CaseState, FundingLapse } from './state';

/**
 * A funding lapse tolls every open government deadline of the case (rules 7: NSA's designation before
 * acceptance too); the lab's window and its answer deadlines keep running.
 */

/** The lapse still tolling this case's clocks, if any. */
export const activeLapse = (c: CaseState) => c.fundingLapses.find((l) => l.to === undefined);

/** Tolls every open government clock the lapse does not toll yet, from now. */
export function tollOpenClocks(c: CaseState, lapseId: string, actor: Actor, now: Date): void {
  for (const d of openDeadlines(c).filter(isGovernment)) {
    if (d.tolls.some((t) => t.id === lapseId)) continue;
    c.deadlines[d.key] = toll(d, {
      id: lapseId,
      who: actor,
      reason: 'FUNDING_LAPSE',
      from: iso(now),
    });
  }
}

export function tollForLapse(c: CaseState, lapseId: string, reason: string, actor: Actor, now: Date) {
  c.fundingLapses.push({ id: lapseId, reason, from: iso(now) });
  tollOpenClocks(c, lapseId, actor, now);
  return record(c, now, actor, 'CLOCK_TOLLED', `government clocks tolled: ${reason}`, {
    reason: 'FUNDING_LAPSE',
    lapseId,
  });
}

export function resumeAfterLapse(c: CaseState, lapse: FundingLapse, actor: Actor, now: Date) {
  lapse.to = iso(now);
  for (const d of Object.values(c.deadlines)) {
    if (d.tolls.some((t) => t.id === lapse.id && t.to === undefined))
      c.deadlines[d.key] = endToll(d, lapse.id, now);
  }
  return record(c, now, actor, 'CLOCK_RESUMED', 'government clocks resumed after the funding lapse', {
    reason: 'FUNDING_LAPSE',
    lapseId: lapse.id,
  });
}
