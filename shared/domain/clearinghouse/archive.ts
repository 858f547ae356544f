import type { ArchiveEntry } from '../review/archive';
import type { FindingRecord } from './finding';
import { isFindingClosed, policyOfFinding } from './rules';

/**
 * A closed finding's permanent record, as entries (written as a case's is, shared/node/permanent-record.ts):
 * the filing (its title and description as sealed as the workflow keeps them), the policy it ran under, every
 * step, every callback and its outcome, and last the finding as it ended.
 */
export function findingArchiveEntries(r: FindingRecord): ArchiveEntry[] {
  if (!isFindingClosed(r) || r.closedAt === undefined) {
    throw new Error(
      `finding ${r.filing.findingId} is not closed: only a closed finding has a permanent record`,
    );
  }
  return [
    {
      kind: 'FINDING',
      findingId: r.filing.findingId,
      labId: r.filing.labId,
      ...(r.filing.caseId === undefined ? {} : { caseId: r.filing.caseId }),
      filing: r.filing,
      receivedAt: r.receivedAt,
      closedAt: r.closedAt,
      state: r.state,
    },
    { kind: 'POLICY', policy: policyOfFinding(r) },
    ...r.events.map((e) => ({ kind: 'TIMELINE', ...e })),
    ...r.callbacks.map((c) => ({ kind: 'DELIVERY', delivery: c })),
    { kind: 'FINAL_STATUS', finding: JSON.parse(JSON.stringify(r)) as unknown },
  ];
}
