import { meet } from '../deadlines';
import { iso } from '../time';
import { record } from './record';
import type { CaseState, ClosedReason } from './state';

/** Closes the case: every open deadline is settled, the record stays. */
export function close(c: CaseState, reason: ClosedReason, now: Date): void {
  c.stage = 'CLOSED';
  c.closedReason = reason;
  c.closedAt = iso(now);
  for (const d of Object.values(c.deadlines)) if (d.metAt === undefined) c.deadlines[d.key] = meet(d, now);
  for (const lapse of c.fundingLapses) lapse.to ??= iso(now);
  record(c, now, 'system', 'CLOSED', `case closed: ${reason}`, {
    reason,
    ...(c.determination ? { outcome: c.determination.outcome } : {}),
  });
}
