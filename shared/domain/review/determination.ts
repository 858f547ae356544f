import { addDays } from '../calendar';
import { meet } from '../deadlines';
import type { DecisionKind, Outcome } from '../decisions';
import type { Policy } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { businessDaysAfter, calendarDaysAfter } from '../washington/business-calendar';
import { isDue, key, updateDeadline } from './clock';
import { record } from './record';
import { ownedCommitments } from './commitments';
import { calendarOf, corrected, countsPrecisely, tracksCommitments } from './rules';
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
  /** The outcome the rule gives from the positions alone. */
  ruleOutcome: Outcome;
  /** A required agency fell silent at a deadline the lab compressed after acceptance: its review was cut short. */
  truncated: boolean;
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
    ruleOutcome: OUTCOME_OF[mostSevere],
    truncated,
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

type Issued = Omit<Determination, 'issuedAt' | 'agencySummaries' | 'owned'>;

/**
 * Issues the determination. Rules 4: every commitment keeps its owner (./commitments.ts), and the chair's own
 * commitments join the agencies' instead of replacing them.
 */
function issue(c: CaseState, issued: Issued, now: Date, byChair?: readonly string[]): void {
  const owned = tracksCommitments(c) ? ownedCommitments(c, byChair) : undefined;
  const d: Determination = {
    ...issued,
    ...(owned === undefined ? {} : { commitments: [...new Set(owned.map((o) => o.text))], owned }),
    agencySummaries: summaries(c),
    issuedAt: iso(now),
  };
  c.determination = d;
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
      agencySummaries: d.agencySummaries,
    },
  );
}

/**
 * The determination stage: without a conflict the rule decides at once; with one the case is escalated
 * and waits for the chair until the determination deadline, after which the most severe position stands.
 */
export function advanceDetermination(c: CaseState, now: Date): boolean {
  if (c.stage !== 'DETERMINATION' || c.policy === undefined) return false;
  if (corrected(c)) return determine(c, c.policy, now);
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
    resolution.commitments,
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

/** Rules 2: an advisory CONCERNS_UNRESOLVED is shown, flagged, and never changes the outcome. */
const advisoryFlags = (c: CaseState): Flag[] =>
  c.agencies.some((s) => !s.required && s.decision?.kind === 'CONCERNS_UNRESOLVED')
    ? ['ADVISORY_CONCERNS']
    : [];

/**
 * Rules 2: the determination falls due no earlier than the end of the chair's least time (the policy's), counted
 * from the escalation on the case's calendar as it is now, at close of business. Called at the escalation and
 * again when a closure is declared while the chair has the case, whose dates then do not count. Rules 7 applies
 * it after the tolls, and tolls it too from the escalation on (a lapse never eats the chair's time).
 */
export function protectChairTime(c: CaseState, policy: Policy, escalation: Escalation): void {
  const min = policy.chairMinimum;
  if (min === undefined) return;
  const from = Date.parse(escalation.at);
  const cal = calendarOf(c);
  const notBefore = iso(
    cal === undefined
      ? addDays(new Date(from), min.days, min.calendar)
      : min.calendar === 'BUSINESS_DAYS'
        ? businessDaysAfter(cal, from, min.days)
        : calendarDaysAfter(cal, from, min.days),
  );
  // Rules 7: a toll after the escalation moves the end of the chair's time too (../counting.ts).
  const since = countsPrecisely(c) ? { notBeforeFrom: escalation.at } : {};
  updateDeadline(c, key.determination, (d) => ({ ...d, notBefore, ...since }));
}

/**
 * Rules 2, the determination stage. A required CONCERNS_UNRESOLVED is never lost: with a conflict the case is
 * escalated and the chair gets its minimum time (the determination deadline moves to give it); without one,
 * or when the chair does not resolve in time, the most severe position stands. A review the lab cut short by
 * compressing its window waits for the window's end, where it is REVIEW_INCOMPLETE.
 */
function determine(c: CaseState, policy: Policy, now: Date): boolean {
  const agg = aggregate(c.agencies, policy);
  const flags = [...agg.flags, ...advisoryFlags(c)];
  const rationale = `Aggregated under ${policy.id} v${policy.version}: most severe position ${agg.mostSevere}.`;
  const windowEnded = isDue(c, key.window, now);
  const rule = (outcome: Outcome, why: string, extra: Flag[] = []) => {
    issue(
      c,
      { outcome, rationale: why, commitments: agg.commitments, by: 'RULE', flags: [...flags, ...extra] },
      now,
    );
    return true;
  };
  if (agg.unresolvedAgencies.length > 0 && agg.conflict) {
    if (c.escalation === undefined && !windowEnded) {
      c.escalation = { at: iso(now), unresolvedAgencies: agg.unresolvedAgencies };
      protectChairTime(c, policy, c.escalation);
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
    if (!windowEnded && !isDue(c, key.determination, now)) return false;
    const why =
      c.escalation === undefined
        ? 'The window ended before the chair could take up the conflict.'
        : 'The chair did not resolve the conflict in time.';
    return rule(OUTCOME_OF.CONCERNS_UNRESOLVED, `${rationale} ${why}`, ['CHAIR_DID_NOT_RESOLVE']);
  }
  if (agg.unresolvedAgencies.length > 0) return rule(agg.ruleOutcome, rationale);
  if (agg.truncated) {
    if (!windowEnded) return false;
    return rule('REVIEW_INCOMPLETE', `${incompleteRationale(c)}`, ['REVIEW_CUT_SHORT']);
  }
  return rule(agg.ruleOutcome, rationale);
}

/** The positions recorded, and the reviews the window cut short. */
function incompleteRationale(c: CaseState): string {
  const required = c.agencies.filter((s) => s.required);
  const recorded = required
    .filter((s) => s.decision !== undefined && s.decision.silentAfterCompression !== true)
    .map((s) => `${s.agency} ${s.decision!.kind}`);
  const cut = required
    .filter((s) => s.decision === undefined || s.decision.silentAfterCompression === true)
    .map((s) => `${s.stage}:${s.agency}`);
  return (
    `The pre-release window ended before every required review finished; cut short: ${cut.join(', ')}; ` +
    `positions recorded: ${recorded.join(', ') || 'none'}.`
  );
}

/**
 * Rules 2, the window's end without a determination: what was recorded decides. A required
 * CONCERNS_UNRESOLVED stands (DEFERRAL_RECOMMENDED); otherwise a review cut short makes it REVIEW_INCOMPLETE.
 */
export function settleAtWindowEnd(c: CaseState, now: Date, why: string): void {
  if (c.determination !== undefined || c.policy === undefined) return;
  const agg = aggregate(c.agencies, c.policy);
  const flags: Flag[] = [...agg.flags, ...advisoryFlags(c), 'REVIEW_CUT_SHORT'];
  if (agg.unresolvedAgencies.length > 0) {
    issue(
      c,
      {
        outcome: OUTCOME_OF.CONCERNS_UNRESOLVED,
        rationale: `${why}; the recorded position CONCERNS_UNRESOLVED (${agg.unresolvedAgencies.join(', ')}) stands. ${incompleteRationale(c)}`,
        commitments: agg.commitments,
        by: 'RULE',
        flags: agg.conflict ? [...flags, 'CHAIR_DID_NOT_RESOLVE'] : flags,
      },
      now,
    );
    return;
  }
  issue(
    c,
    {
      outcome: 'REVIEW_INCOMPLETE',
      rationale: `${why}. ${incompleteRationale(c)}`,
      commitments: agg.commitments,
      by: 'RULE',
      flags,
    },
    now,
  );
}
