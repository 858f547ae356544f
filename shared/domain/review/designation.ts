import { activeLapseOf, type GovernmentSnapshot } from '../government/state';
import type { Policy } from '../policy';
import { agencyPrincipal, type Actor } from '../principal';
import type { ScreenResult } from '../submission';
import { iso } from '../time';
import { meet } from '../deadlines';
import { deadlineFrom, due, isDue, key, updateDeadline } from './clock';
import { close } from './closing';
import { tollForLapse } from './funding';
import { accept, closedForNotice, closuresFrom } from './intake';
import { record } from './record';
import { calendarOf, countsPrecisely, designates } from './rules';
import type { CaseState, Designation } from './state';

/**
 * Rules 3: who designates a model as covered (domain.md section 1; issue 14). Intake's screen of the lab's own
 * figures is a proposal; the policy's designating agency (NSA) designates within its period, either way, and
 * may enter its benchmark's result as a restricted field. Silence at the deadline keeps the proposal.
 * Acceptance (day 0) follows the designation: the workflow then asks for the policy and the government's state
 * in force at that moment (workflows/review) and calls `settleDesignation`. Rules 7: the designating agency's
 * deadline is a government clock like the review's: a funding lapse tolls it (from the filing, when one is in
 * force then) and a declared closure moves it.
 *
 *   INTAKE ─screen─> DESIGNATION ─designated or silent─> covered: accept (NATIONAL_SECURITY or closed for notice)
 *                                                        not covered: CLOSED (NOT_COVERED)
 */

/** Whether intake hands this case's screen to a designating agency: rules 3 and a policy that names one. */
export const designatedBy = (c: CaseState, policy: Policy): Policy['designation'] =>
  designates(c) ? policy.designation : undefined;

/**
 * The screen becomes a proposal; the designating agency's deadline starts now. A filing whose planned release
 * leaves no window (or too little notice) closes at once instead: there would be nothing to designate for.
 */
export function proposeDesignation(
  c: CaseState,
  policy: Policy,
  screen: ScreenResult,
  now: Date,
  government?: GovernmentSnapshot,
): void {
  if (closedForNotice(c, policy, now)) return;
  const { agency, within } = policy.designation!;
  c.stage = 'DESIGNATION';
  c.intakePolicy = policy;
  c.screen = screen;
  c.designation = { agency, proposal: screen };
  // Rules 7: the designation is a government clock: the closures ahead move it, and a lapse tolls it (below).
  const counting = countsPrecisely(c) && government !== undefined;
  if (counting) c.closures = closuresFrom(government, c, now);
  // A cured deficiency: the supplement period is over.
  if (c.deadlines[key.supplement] !== undefined) updateDeadline(c, key.supplement, (d) => meet(d, now));
  c.deadlines[key.designation] = deadlineFrom(
    key.designation,
    agencyPrincipal(agency),
    now,
    within,
    now,
    calendarOf(c),
  );
  const dueAt = iso(due(c, key.designation, now));
  const way = screen.covered ? 'covered' : 'not covered';
  record(
    c,
    now,
    'system',
    'DESIGNATION_PENDING',
    `${agency} designates by ${dueAt}; the screen proposes ${way}`,
    {
      agency,
      dueAt,
      proposal: screen,
    },
  );
  const lapse = counting ? activeLapseOf(government) : undefined;
  if (lapse !== undefined) tollForLapse(c, lapse.id, lapse.reason, lapse.startedBy, now);
}

/** The designation the case waits for, if it waits for one. */
export const pendingDesignation = (c: CaseState): Designation | undefined =>
  c.stage === 'DESIGNATION' && c.designation?.decision === undefined ? c.designation : undefined;

/** Rules 7: the lab's planned release came while its designation still waited. */
export const releaseCameFirst = (c: CaseState, now: Date): boolean =>
  pendingDesignation(c) !== undefined && Date.parse(c.submission.plannedReleaseDate) <= now.getTime();

/** Designated (or the proposal stood), and acceptance or closing is still to come. */
export const awaitingAcceptance = (c: CaseState): boolean =>
  c.stage === 'DESIGNATION' && c.designation?.decision !== undefined;

export interface DesignationInput {
  covered: boolean;
  reason: string;
  /** Sealed by the gateway. */
  benchmarkScore?: string;
}

/** The designating agency's call. */
export function designateCoverage(
  c: CaseState,
  designation: Designation,
  input: DesignationInput,
  actor: Actor,
  now: Date,
) {
  designation.decision = {
    covered: input.covered,
    reason: input.reason,
    source: 'AGENCY',
    at: iso(now),
    by: actor,
  };
  if (input.benchmarkScore !== undefined) designation.benchmarkScore = input.benchmarkScore;
  updateDeadline(c, key.designation, (d) => meet(d, now));
  return designated(c, designation, actor, now);
}

/** Time-driven: the agency was silent until its deadline, so the proposal stands. True when it changed. */
export function advanceDesignation(c: CaseState, now: Date): boolean {
  const designation = pendingDesignation(c);
  if (designation === undefined) return false;
  // Rules 7: a lapse may hold the designation past the planned release: then no window is left to review in.
  if (countsPrecisely(c) && releaseCameFirst(c, now)) return closedForNotice(c, c.intakePolicy!, now);
  if (!isDue(c, key.designation, now)) return false;
  const { proposal } = designation;
  designation.decision = {
    covered: proposal.covered,
    reason: `no designation by the deadline; the screen's proposal stands: ${proposal.reason}`,
    source: 'PROPOSAL_STANDS',
    at: iso(now),
    by: 'system',
  };
  updateDeadline(c, key.designation, (d) => meet(d, now));
  designated(c, designation, 'system', now);
  return true;
}

function designated(c: CaseState, designation: Designation, actor: Actor, now: Date) {
  const { covered, reason, source } = designation.decision!;
  const way = covered ? 'covered' : 'not covered';
  return record(c, now, actor, 'DESIGNATED', `${designation.agency} designation: ${way}: ${reason}`, {
    agency: designation.agency,
    covered,
    reason,
    source,
  });
}

/**
 * Acceptance or closing, as the designation went: `policy` and `government` are those in force now, as the
 * workflow found them. A covered model is accepted now (day 0) under that policy; any other closes.
 */
export function settleDesignation(
  c: CaseState,
  policy: Policy,
  now: Date,
  government?: GovernmentSnapshot,
): void {
  const { covered, reason } = c.designation!.decision!;
  if (covered) {
    accept(c, policy, { covered, reason }, now, government);
    // The case keeps the screen of the lab's figures; its designation says why it was accepted.
    c.screen = c.designation!.proposal;
    return;
  }
  record(c, now, 'system', 'NOT_COVERED', reason, { reason });
  close(c, 'NOT_COVERED', now);
}
