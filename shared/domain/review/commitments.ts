import { keepsLabRecord } from './rules';
import { commitmentIdOf } from '../commitments/commitment';
import { DEFAULT_COMMITMENT_TERMS } from '../commitments/terms';
import type { CommitmentFilingInput } from '../commitments/commitment';
import { FEDERAL_HOLIDAYS_2025_2040 } from '../washington/federal-holidays';
import type { CaseState, OwnedCommitment } from './state';

/**
 * Rules 4 (issue 14): the determination's commitments keep the agency that asked for each. Every required
 * agency's commitments count (as the union of domain.md section 5 always did), each under its own agency, so
 * two agencies asking for the same thing each confirm it; a chair's resolution adds its own, owned by the chair,
 * and no longer replaces the agencies'.
 */
export function ownedCommitments(c: CaseState, byChair: readonly string[] = []): OwnedCommitment[] {
  const owned: { owner: string; text: string }[] = [];
  const seen = new Set<string>();
  const add = (owner: string, text: string) => {
    const key = `${owner}\n${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    owned.push({ owner, text });
  };
  for (const s of c.agencies) {
    if (!s.required || s.decision === undefined) continue;
    for (const text of s.decision.commitments) add(`agency:${s.agency}`, text);
  }
  for (const text of byChair) add('chair', text);
  const { labId, submissionId } = c.submission;
  return owned.map((o, i) => ({ commitmentId: commitmentIdOf(labId, submissionId, i + 1), ...o }));
}

/** The determination's commitments whose workflows are not started yet, in order. */
export const untrackedCommitments = (c: CaseState): OwnedCommitment[] =>
  (c.determination?.owned ?? []).slice((c.commitmentsTracked ?? []).length);

/**
 * What a commitment's workflow starts with: the case it came from (`caseId`, its workflow's), the owner, and
 * the pinned policy's terms.
 */
export function commitmentFiling(c: CaseState, o: OwnedCommitment, caseId: string): CommitmentFilingInput {
  const policy = c.policy!;
  const { labId, submissionId, callbackUrl } = c.submission;
  return {
    commitmentId: o.commitmentId,
    caseId,
    labId,
    submissionId,
    text: o.text,
    owner: o.owner,
    reviewers: [...new Set(c.agencies.map((s) => s.agency))],
    outcome: c.determination!.outcome,
    determinedAt: c.determination!.issuedAt,
    policy: { id: policy.id, version: policy.version },
    terms: policy.commitments ?? DEFAULT_COMMITMENT_TERMS,
    calendar: {
      closeOfBusiness: policy.businessDays?.closeOfBusiness ?? '17:00',
      holidays: [...(policy.businessDays?.holidays ?? FEDERAL_HOLIDAYS_2025_2040)],
    },
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
    // Rules 5: the commitment tells its lab's record each change of its standing.
    ...(keepsLabRecord(c) ? { tellsLabRecord: true } : {}),
  };
}
