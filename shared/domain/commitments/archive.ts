import type { ArchiveEntry } from '../review/archive';
import { standingOf, type CommitmentRecord } from './commitment';
import { isCommitmentClosed } from './rules';

/**
 * A closed commitment's permanent record, as entries (written as a case's is, shared/node/permanent-record.ts):
 * the commitment as handed over (with its terms), every step, every callback and its outcome, and last the
 * commitment as it ended.
 */
export function commitmentArchiveEntries(r: CommitmentRecord): ArchiveEntry[] {
  if (!isCommitmentClosed(r)) {
    throw new Error(
      `commitment ${r.filing.commitmentId} is not closed: only a closed commitment has a permanent record`,
    );
  }
  return [
    {
      kind: 'COMMITMENT',
      commitmentId: r.filing.commitmentId,
      labId: r.filing.labId,
      caseId: r.filing.caseId,
      filing: r.filing,
      openedAt: r.openedAt,
      closedAt: r.closedAt,
      state: r.state,
      standing: standingOf(r),
    },
    ...r.events.map((e) => ({ kind: 'TIMELINE', ...e })),
    ...r.callbacks.map((c) => ({ kind: 'DELIVERY', delivery: c })),
    { kind: 'FINAL_STATUS', commitment: JSON.parse(JSON.stringify(r)) as unknown },
  ];
}
