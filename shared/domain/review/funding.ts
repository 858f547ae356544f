import { endToll, toll } from '../deadlines';
import type { ResumeClocks, TollClocks } from '../messages';
import { iso, isGovernment, openDeadlines } from './clock';
import { record } from './record';
import type { CaseState } from './state';

/** A funding lapse tolls every open government deadline of the case; the lab's window keeps running. */
export function tollForLapse(c: CaseState, msg: TollClocks, now: Date) {
  c.fundingLapses.push({ id: msg.lapseId, reason: msg.reason, from: iso(now) });
  for (const d of openDeadlines(c).filter(isGovernment)) {
    c.deadlines[d.key] = toll(d, {
      id: msg.lapseId,
      who: msg.actor,
      reason: 'FUNDING_LAPSE',
      from: iso(now),
    });
  }
  return record(c, now, msg.actor, 'CLOCK_TOLLED', `government clocks tolled: ${msg.reason}`, {
    reason: 'FUNDING_LAPSE',
    lapseId: msg.lapseId,
  });
}

export function resumeAfterLapse(c: CaseState, msg: ResumeClocks, now: Date) {
  const lapse = c.fundingLapses.find((l) => l.id === msg.lapseId)!;
  lapse.to = iso(now);
  for (const d of Object.values(c.deadlines)) {
    if (d.tolls.some((t) => t.id === msg.lapseId && t.to === undefined))
      c.deadlines[d.key] = endToll(d, msg.lapseId, now);
  }
  return record(c, now, msg.actor, 'CLOCK_RESUMED', 'government clocks resumed after the funding lapse', {
    reason: 'FUNDING_LAPSE',
    lapseId: msg.lapseId,
  });
}
