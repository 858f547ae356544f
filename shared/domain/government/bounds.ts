import { BOUNDS_IN_FORCE, DAY_MS, inPeriod, type Bounds } from '../bounds';
import { rejection } from '../errors';
import { localDate } from '../washington/zone';
import { AMERICA_NEW_YORK_2025C } from '../washington/zone-america-new-york-2025c';
import type { GovernmentSnapshot } from './state';

/** What a budget of the government's counts: a new lapse, a new closure, or one sent again. */
export type GovernmentBudget = 'lapses' | 'closures' | 'resends';

/** One message operations staff sent, as the budgets count it (release 7). */
export interface Sent {
  budget: GovernmentBudget;
  by: string;
  at: string;
}

/**
 * The government's bounds (policy version 7, ../bounds.ts): those its run pinned, or those in force. The
 * government's state is shared by every case, so it takes the bounds in force whatever run it is in.
 */
export const governmentBounds = (pinned?: Bounds): Bounds['government'] =>
  (pinned ?? BOUNDS_IN_FORCE).government;

/** What a message counts against: `known` says whether the state already holds its lapse or closure. */
export const budgetOf = (kind: 'lapse' | 'closure', known: boolean): GovernmentBudget =>
  known ? 'resends' : kind === 'lapse' ? 'lapses' : 'closures';

/**
 * Refuses a message past what its sender may send in the rolling period: new lapses, new closures, and lapses
 * or closures sent again (each of which reaches every open case). Ending the active lapse is never refused.
 */
export function withinGovernmentBudget(
  sent: readonly Sent[],
  budget: GovernmentBudget,
  actor: string,
  now: Date,
  pinned?: Bounds,
): void {
  const b = governmentBounds(pinned);
  const mine = sent.filter((s) => s.budget === budget && s.by === actor).map((s) => s.at);
  const recent = inPeriod(mine, b.periodDays, now);
  if (recent >= b[budget]) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${actor} has sent ${recent} ${budget === 'resends' ? 're-sent lapses or closures' : `new ${budget}`} in the last ${b.periodDays} days; the policy allows ${b[budget]}`,
    );
  }
}

/** The log a run hands on: only what the budgets' period still counts. */
export const recentSent = (sent: readonly Sent[], now: Date, pinned?: Bounds): Sent[] => {
  const since = now.getTime() - governmentBounds(pinned).periodDays * DAY_MS;
  return sent.filter((s) => Date.parse(s.at) > since);
};

/**
 * The state a run hands on (release 7): the active lapse and every closure with a date today or later
 * (acceptance reads those: shared/domain/review/intake.ts), and of the rest only the latest `kept` ended
 * lapses and past closures. Older ones are in earlier runs' histories, and in every case they reached.
 */
export function compactGovernment(g: GovernmentSnapshot, now: Date, pinned?: Bounds): GovernmentSnapshot {
  const { kept } = governmentBounds(pinned);
  const today = localDate(AMERICA_NEW_YORK_2025C, now.getTime());
  const ended = g.lapses.filter((l) => l.to !== undefined);
  const oldLapses = new Set(ended.slice(0, Math.max(0, ended.length - kept)));
  const past = g.closures.filter((x) => !x.dates.some((d) => d >= today));
  const oldClosures = new Set(past.slice(0, Math.max(0, past.length - kept)));
  return {
    lapses: g.lapses.filter((l) => !oldLapses.has(l)),
    closures: g.closures.filter((x) => !oldClosures.has(x)),
  };
}
