import type { ArchiveEntry } from '../review/archive';
import type { GrantRecord } from './grant';
import { isGrantClosed } from './rules';

/**
 * A closed grant's permanent record, as entries (written as a case's is): the grant as nominated (with its
 * terms), every step, every callback and its outcome, and last the grant as it ended.
 */
export function grantArchiveEntries(r: GrantRecord): ArchiveEntry[] {
  if (!isGrantClosed(r)) {
    throw new Error(`grant ${r.filing.grantId} is not closed: only a closed grant has a permanent record`);
  }
  return [
    {
      kind: 'GRANT',
      grantId: r.filing.grantId,
      labId: r.filing.labId,
      caseId: r.filing.caseId,
      filing: r.filing,
      closedAt: r.closedAt,
      state: r.state,
      ...(r.endReason === undefined ? {} : { endReason: r.endReason }),
    },
    ...r.events.map((e) => ({ kind: 'TIMELINE', ...e })),
    ...r.callbacks.map((c) => ({ kind: 'DELIVERY', delivery: c })),
    { kind: 'FINAL_STATUS', grant: JSON.parse(JSON.stringify(r)) as unknown },
  ];
}
