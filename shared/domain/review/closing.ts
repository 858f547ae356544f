import { endToll, meet } from '../deadlines';
import { iso } from '../time';
import { record } from './record';
import { corrected } from './rules';
import type { CaseState, ClosedReason } from './state';

/**
 * Closes the case: every open deadline is settled, the record stays. Under rules 2 nothing is left open
 * either: an open information request closes with the case, and every open toll ends now.
 */
export function close(c: CaseState, reason: ClosedReason, now: Date): void {
  c.stage = 'CLOSED';
  c.closedReason = reason;
  c.closedAt = iso(now);
  if (corrected(c)) {
    for (const r of c.informationRequests) if (r.status === 'OPEN') r.status = 'CLOSED_WITH_CASE';
    for (const d of Object.values(c.deadlines)) {
      const open = d.tolls.filter((t) => t.to === undefined && Date.parse(t.from) <= now.getTime());
      c.deadlines[d.key] = open.reduce((x, t) => endToll(x, t.id, now), d);
    }
  }
  for (const d of Object.values(c.deadlines)) if (d.metAt === undefined) c.deadlines[d.key] = meet(d, now);
  for (const lapse of c.fundingLapses) lapse.to ??= iso(now);
  record(c, now, 'system', 'CLOSED', `case closed: ${reason}`, {
    reason,
    ...(c.determination ? { outcome: c.determination.outcome } : {}),
  });
}
