import type { GrantFilingInput } from '../grants/grant';
import { grantIdOf } from '../grants/grant';
import type { CaseClosing } from '../grants/grant';
import type { EarlyAccessTerms } from '../grants/terms';
import type { Principal } from '../principal';
import { FEDERAL_HOLIDAYS_2025_2040 } from '../washington/federal-holidays';
import { iso } from '../time';
import { record, type Receipt } from './record';
import { offersEarlyAccess } from './rules';
import type { CaseState, GrantLink } from './state';
import { windowEnd } from './window';

/**
 * Rules 6 (issue 14, part 4): early access for critical-infrastructure operators. The policy's nominating
 * agency (CISA) nominates an operator on a case in PRE_RELEASE whose outcome the policy allows; the case records
 * the nomination, starts the grant's own workflow (which outlives it), and tells each grant how it closed.
 */

/** Why the case offers no early access now, or undefined when it does (the policy's terms, its rules, its outcome). */
export function earlyAccessRefusal(c: CaseState): string | undefined {
  if (!offersEarlyAccess(c)) return 'the case was opened under rules that predate early access';
  const terms = c.policy?.earlyAccess;
  if (terms === undefined)
    return `the case's policy (version ${c.policy?.version ?? '?'}) offers no early access`;
  const outcome = c.determination?.outcome;
  if (outcome === undefined || !terms.outcomes.includes(outcome)) {
    return `the outcome ${outcome ?? '(none yet)'} allows no early access (${terms.outcomes.join(', ')} do)`;
  }
  return undefined;
}

/** The case's early-access terms; only called once earlyAccessRefusal said there are some. */
export const earlyAccessTerms = (c: CaseState): EarlyAccessTerms => c.policy!.earlyAccess!;

export const grantIdFor = (c: CaseState, operatorId: string): string =>
  grantIdOf(c.submission.labId, c.submission.submissionId, operatorId);

/** Records CISA's nomination; the workflow starts the grant at its next turn. */
export function nominateOperator(
  c: CaseState,
  operatorId: string,
  reason: string,
  actor: Principal,
  now: Date,
): Receipt {
  const grantId = grantIdFor(c, operatorId);
  (c.grants ??= []).push({
    grantId,
    operator: `operator:${operatorId}`,
    nominatedBy: actor,
    reason,
    at: iso(now),
  });
  return record(
    c,
    now,
    actor,
    'EARLY_ACCESS_NOMINATED',
    `${actor} nominates operator:${operatorId} for early access`,
  );
}

/** The nominations whose grant workflows are not started yet. */
export const grantsToStart = (c: CaseState): GrantLink[] =>
  (c.grants ?? []).filter((g) => g.started !== true);

/** Once the case closed: the started grants not yet told how. */
export const grantsToTell = (c: CaseState): GrantLink[] =>
  c.stage === 'CLOSED' ? (c.grants ?? []).filter((g) => g.started === true && g.told !== true) : [];

/** What a grant's workflow starts with: the operator, the model's unclassified summary, the pinned terms. */
export function grantFiling(c: CaseState, g: GrantLink, caseId: string): GrantFilingInput {
  const policy = c.policy!;
  const d = c.determination!;
  const { labId, submissionId, callbackUrl, model } = c.submission;
  return {
    grantId: g.grantId,
    caseId,
    labId,
    submissionId,
    operator: g.operator,
    nominatedBy: g.nominatedBy,
    reason: g.reason,
    nominatedAt: g.at,
    summary: {
      model: { name: model.name, version: model.version ?? '' },
      outcome: d.outcome,
      rationale: d.rationale,
    },
    windowEndsAt: iso(windowEnd(c)),
    policy: { id: policy.id, version: policy.version },
    terms: earlyAccessTerms(c),
    calendar: {
      closeOfBusiness: policy.businessDays?.closeOfBusiness ?? '17:00',
      holidays: [...(policy.businessDays?.holidays ?? FEDERAL_HOLIDAYS_2025_2040)],
    },
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
  };
}

/** How the case closed, as its grants hear it. */
export function caseClosing(c: CaseState): CaseClosing {
  return {
    reason: c.closedReason ?? 'CLOSED',
    at: c.closedAt ?? iso(windowEnd(c)),
    ...(c.closedReason === 'RELEASED' && c.release !== undefined ? { releasedAt: c.release.releasedAt } : {}),
  };
}
