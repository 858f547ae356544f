import { projectedLedger, type ProjectedDeadline, type Projection } from '../projection';
import { iso } from '../time';
import { contextOf, dueOf } from './clock';
import { shownDeadline } from './stage-time';
import type { CaseState } from './state';

/**
 * What-if for one case (the operations query behind the dashboard's projection): every deadline's due time
 * before and after a hypothetical change, each as the case itself would show it then (its status), counted by
 * the case's own rules, so the projection and the dashboard show the due times the case will use.
 */
export function projectCase(c: CaseState, change: Projection, now: Date): ProjectedDeadline[] {
  const deadlines = Object.values(c.deadlines);
  const changed = projectedLedger(deadlines, change, now, (d) => contextOf(c, d));
  const after: CaseState = { ...c, deadlines: Object.fromEntries(changed.map((d) => [d.key, d])) };
  return deadlines.map((d, i) => {
    const before = dueOf(c, shownDeadline(c, d, now), now).getTime();
    const moved = dueOf(after, shownDeadline(after, changed[i], now), now).getTime();
    return { key: d.key, party: d.party, dueAt: iso(moved), before: iso(before), shiftMs: moved - before };
  });
}
