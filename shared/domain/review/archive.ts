import type { CaseState } from './state';
import { toStatus } from './to-status';

/**
 * A closed case's permanent record, as entries (the format, the chain and the signature are
 * shared/node/permanent-record.ts's): who filed what and when, the policy and rules it ran under, every
 * timeline entry, the designation (its benchmark score sealed), every decision (restricted notes as sealed as the
 * case keeps them), the deadline ledger, the
 * requests, offers, lapses and closures, every lab event and each delivery's outcome, the determination, and
 * last the case's final status, which is what the case view shows once Temporal's retention has deleted it.
 */
export type ArchiveEntry = { kind: string } & Record<string, unknown>;

export const ARCHIVE_KINDS = [
  'CASE',
  'POLICY',
  'DESIGNATION',
  'TIMELINE',
  'DECISION',
  'DEADLINE',
  'INFORMATION_REQUEST',
  'EXTENSION_OFFER',
  'FUNDING_LAPSE',
  'CLOSURE',
  'ESCALATION',
  'RELEASE',
  'LAB_EVENT',
  'DELIVERY',
  'DETERMINATION',
  'FINAL_STATUS',
] as const;

/** JSON has no undefined: a field the case does not have is left out, as the status query leaves it out. */
const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function archiveEntries(caseId: string, c: CaseState): ArchiveEntry[] {
  if (c.stage !== 'CLOSED' || c.closedAt === undefined) {
    throw new Error(`case ${caseId} is not closed: only a closed case has a permanent record`);
  }
  const s = c.submission;
  const entry = (kind: (typeof ARCHIVE_KINDS)[number], fields: Record<string, unknown>): ArchiveEntry => ({
    kind,
    ...defined(fields),
  });
  return [
    entry('CASE', {
      caseId,
      submissionId: s.submissionId,
      labId: s.labId,
      model: s.model,
      submission: s,
      receivedAt: c.receivedAt,
      acceptedAt: c.acceptedAt,
      closedAt: c.closedAt,
      closedReason: c.closedReason,
      outcome: c.determination?.outcome,
      rules: c.rules ?? 1,
      policy: c.policy && { id: c.policy.id, version: c.policy.version },
    }),
    ...(c.policy ? [entry('POLICY', { policy: c.policy })] : []),
    ...(c.designation ? [entry('DESIGNATION', { designation: c.designation })] : []),
    ...c.timeline.map((t) => entry('TIMELINE', { ...t })),
    ...c.agencies.flatMap((a) =>
      a.decision === undefined
        ? []
        : [
            entry('DECISION', {
              agency: a.agency,
              stage: a.stage,
              required: a.required,
              decision: a.decision,
            }),
          ],
    ),
    ...Object.values(c.deadlines).map((d) => entry('DEADLINE', { deadline: d })),
    ...c.informationRequests.map((r) => entry('INFORMATION_REQUEST', { request: r })),
    ...c.extensionOffers.map((o) => entry('EXTENSION_OFFER', { offer: o })),
    ...c.fundingLapses.map((l) => entry('FUNDING_LAPSE', { lapse: l })),
    ...(c.closures ?? []).map((cl) => entry('CLOSURE', { closure: cl })),
    ...(c.escalation ? [entry('ESCALATION', { escalation: c.escalation })] : []),
    ...(c.release ? [entry('RELEASE', { release: c.release })] : []),
    ...c.labEvents.map((e) => entry('LAB_EVENT', { event: e })),
    ...c.callbacks.deliveries.map((d) => entry('DELIVERY', { delivery: d })),
    ...(c.determination ? [entry('DETERMINATION', { determination: c.determination })] : []),
    entry('FINAL_STATUS', {
      status: JSON.parse(JSON.stringify(toStatus(c, new Date(c.closedAt)))) as unknown,
    }),
  ];
}
