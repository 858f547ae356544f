import { meet } from '../deadlines';
import type { DecisionKind, Outcome } from '../decisions';
import type { Policy } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { isDue, key, updateDeadline } from './clock';
import { record } from './record';
import type { AgencySlot, CaseState, Determination, Escalation, Flag } from './state';

const OUTCOME_OF: Record<Exclude<DecisionKind, 'NO_RESPONSE'>, Outcome> = {
  CONCERNS_UNRESOLVED: 'DEFERRAL_RECOMMENDED',
  CONCERNS_MITIGATED: 'PROCEED_WITH_COMMITMENTS',
  UNABLE_TO_ASSESS: 'INSUFFICIENT_ACCESS',
  NO_CONCERNS: 'NO_CONCERNS_IDENTIFIED',
};

export interface Aggregate {
  outcome: Outcome;
  mostSevere: Exclude<DecisionKind, 'NO_RESPONSE'>;
  /** One agency holds CONCERNS_UNRESOLVED while others do not: the chair must resolve. */
  conflict: boolean;
  unresolvedAgencies: string[];
  commitments: string[];
  flags: Flag[];
}

/**
 * The policy's aggregation rule (domain.md section 5) over the required agencies' positions: the most severe
 * position in the policy's order decides; silence counts as NO_CONCERNS but is flagged; a silence at a
 * deadline the lab itself compressed after acceptance makes the review incomplete rather than a clearance.
 */
export function aggregate(slots: AgencySlot[], policy: Policy): Aggregate {
  const decided = slots.filter((s) => s.required && s.decision !== undefined);
  const kinds = decided.map((s) => (s.decision!.kind === 'NO_RESPONSE' ? 'NO_CONCERNS' : s.decision!.kind));
  const rank = (k: string) => policy.severityOrder.indexOf(k as never);
  const mostSevere = kinds.reduce<Exclude<DecisionKind, 'NO_RESPONSE'>>(
    (worst, k) => (rank(k) < rank(worst) ? k : worst),
    'NO_CONCERNS',
  );
  const unresolvedAgencies = decided
    .filter((s) => s.decision!.kind === 'CONCERNS_UNRESOLVED')
    .map((s) => s.agency);
  const flags: Flag[] = [];
  if (decided.some((s) => s.decision!.kind === 'NO_RESPONSE')) flags.push('NO_RESPONSE');
  const truncated = decided.some((s) => s.decision!.silentAfterCompression === true);
  return {
    outcome: truncated ? 'REVIEW_INCOMPLETE' : OUTCOME_OF[mostSevere],
    mostSevere,
    conflict: unresolvedAgencies.length > 0 && unresolvedAgencies.length < decided.length,
    unresolvedAgencies,
    commitments: [...new Set(decided.flatMap((s) => s.decision!.commitments))],
    flags,
  };
}

const summaries = (c: CaseState) =>
  c.agencies
    .filter((s) => s.decision !== undefined)
    .map((s) => ({ agency: s.agency, kind: s.decision!.kind, summary: s.decision!.summary }));

function issue(c: CaseState, d: Omit<Determination, 'issuedAt' | 'agencySummaries'>, now: Date): void {
  c.determination = { ...d, agencySummaries: summaries(c), issuedAt: iso(now) };
  if (c.deadlines[key.determination] !== undefined) updateDeadline(c, key.determination, (x) => meet(x, now));
  if (c.stage !== 'CLOSED') c.stage = 'PRE_RELEASE';
  record(
    c,
    now,
    d.by === 'CHAIR' ? 'chair' : 'system',
    'DETERMINATION_ISSUED',
    `determination: ${d.outcome}`,
    {
      outcome: d.outcome,
      rationale: d.rationale,
      commitments: d.commitments,
      agencySummaries: c.determination.agencySummaries,
    },
  );
}

/**
 * The determination stage: without a conflict the rule decides at once; with one the case is escalated
 * and waits for the chair until the determination deadline, after which the most severe position stands.
 */
export function advanceDetermination(c: CaseState, now: Date): boolean {
  if (c.stage !== 'DETERMINATION' || c.policy === undefined) return false;
  const agg = aggregate(c.agencies, c.policy);
  const rationale = `Aggregated under ${c.policy.id} v${c.policy.version}: most severe position ${agg.mostSevere}.`;
  if (!agg.conflict || agg.outcome === 'REVIEW_INCOMPLETE') {
    issue(
      c,
      { outcome: agg.outcome, rationale, commitments: agg.commitments, by: 'RULE', flags: agg.flags },
      now,
    );
    return true;
  }
  if (c.escalation === undefined) {
    c.escalation = { at: iso(now), unresolvedAgencies: agg.unresolvedAgencies };
    record(
      c,
      now,
      'system',
      'ESCALATED',
      `escalated to the chair: ${agg.unresolvedAgencies.join(', ')} unresolved`,
      {},
    );
    return true;
  }
  if (isDue(c, key.determination, now)) {
    const flags: Flag[] = [...agg.flags, 'CHAIR_DID_NOT_RESOLVE'];
    issue(
      c,
      {
        outcome: agg.outcome,
        rationale: `${rationale} The chair did not resolve the conflict in time.`,
        commitments: agg.commitments,
        by: 'RULE',
        flags,
      },
      now,
    );
    return true;
  }
  return false;
}

/** The escalation the chair may resolve now: open, and no determination issued. */
export const openEscalation = (c: CaseState): Escalation | undefined =>
  c.escalation !== undefined && c.escalation.resolvedAt === undefined && c.determination === undefined
    ? c.escalation
    : undefined;

export interface Resolution {
  outcome: Outcome;
  rationale: string;
  commitments?: string[];
}

export function resolveEscalation(
  c: CaseState,
  escalation: Escalation,
  policy: Policy,
  resolution: Resolution,
  actor: Actor,
  now: Date,
) {
  escalation.resolvedAt = iso(now);
  escalation.resolvedBy = actor;
  const agg = aggregate(c.agencies, policy);
  issue(
    c,
    {
      outcome: resolution.outcome,
      rationale: resolution.rationale,
      commitments: resolution.commitments ?? agg.commitments,
      by: 'CHAIR',
      flags: agg.flags,
    },
    now,
  );
  return { seq: c.timeline.length, at: iso(now) };
}

/** The window ended (or the lab released) before a determination: the review is incomplete. */
export function issueIncomplete(c: CaseState, why: string, now: Date): void {
  if (c.determination !== undefined || c.policy === undefined) return;
  const agg = aggregate(c.agencies, c.policy);
  const pending = c.agencies.filter((s) => s.decision === undefined).map((s) => `${s.stage}:${s.agency}`);
  issue(
    c,
    {
      outcome: 'REVIEW_INCOMPLETE',
      rationale: `${why}; still undecided: ${pending.join(', ') || 'none'}.`,
      commitments: agg.commitments,
      by: 'RULE',
      flags: agg.flags,
    },
    now,
  );
}
