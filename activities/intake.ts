import { ApplicationFailure } from '@temporalio/common';
import type { GovernmentSnapshot } from '../shared/domain/government/state';
import type { LabStanding } from '../shared/domain/labs/record';
import type { Policy } from '../shared/domain/policy';
import type { PolicyRegistry } from '../shared/domain/policy-registry';
import { completenessGaps, screenModel } from '../shared/domain/review/intake';
import type { IntakeGap, ScreenResult, Submission } from '../shared/domain/submission';

export interface IntakeActivityDeps {
  policies: PolicyRegistry;
  /** Endpoint safety of the callback URL: a message when it must be refused. */
  checkUrl: (url: string) => Promise<string | undefined>;
  /** The funding lapse and closures in force (./government.ts). */
  governmentNow: () => Promise<GovernmentSnapshot>;
  /** Rules 5: the lab's trusted-partner status now, from its record (./labs.ts). */
  labStanding: (labId: string) => Promise<LabStanding>;
}

/**
 * What intake found, in one activity's result: the policy in force, then either the filing's gaps or the
 * screen, with the government's state when the screen covers the model and the case runs under rules 2, or
 * (rules 7) when the screen goes to the designating agency, whose clock a lapse tolls.
 */
export type IntakeFindings =
  | { kind: 'DEFICIENT'; policy: Policy; gaps: IntakeGap[]; problems: string[]; standing?: LabStanding }
  | {
      kind: 'SCREENED';
      policy: Policy;
      screen: ScreenResult;
      government?: GovernmentSnapshot;
      /** Rules 5: the lab's status, which chose the policy; pinned when the case is accepted now. */
      standing?: LabStanding;
      /** Rules 5: the policy in force lets this trusted partner's screen stand without the designation. */
      designationWaived?: boolean;
    };

export function createIntakeActivities(deps: IntakeActivityDeps) {
  return {
    /** The policy in force now; its result, recorded in history, is what pins the policy to the case. */
    async policyInForce(input: { policyId: string }): Promise<Policy> {
      const policy = deps.policies.inForce(input.policyId);
      if (policy === undefined) {
        throw ApplicationFailure.create({
          type: 'UnknownPolicy',
          message: `no policy ${input.policyId}`,
          nonRetryable: true,
        });
      }
      return policy;
    },
    async checkCompleteness(input: {
      submission: Submission;
    }): Promise<{ gaps: IntakeGap[]; problems: string[] }> {
      const gaps = completenessGaps(input.submission);
      const url = input.submission.callbackUrl;
      const unsafe = url === undefined ? undefined : await deps.checkUrl(url);
      // An unsafe endpoint is a gap like a missing one: the lab supplements a usable URL.
      if (unsafe !== undefined) gaps.push('callbackUrl');
      return { gaps, problems: unsafe === undefined ? [] : [`callbackUrl: ${unsafe}`] };
    },
    async screenCoveredModel(input: {
      model: Submission['model'];
      thresholds: Policy['covered'];
    }): Promise<ScreenResult> {
      return screenModel(input.model, input.thresholds);
    },
  };
}

/**
 * Intake's checks as one activity (release 2): each step runs only when the one before lets the filing through,
 * as the workflow ran them one activity each in release 1. One activity instead of four is three billable
 * actions fewer per case; its steps only read, so a retry runs them again.
 */
export function createIntakeChecks(deps: IntakeActivityDeps) {
  const steps = createIntakeActivities(deps);
  return {
    /**
     * `government`: read the government's state for an acceptance now. `designation` (rules 3): when the policy
     * names a designating agency, acceptance comes later and reads it then (`acceptanceFacts`), so not here.
     */
    async intakeChecks(input: {
      submission: Submission;
      government: boolean;
      designation?: boolean;
      /** Rules 5: the lab's status chooses the policy (`policyFor`). */
      standing?: boolean;
      /** Rules 7: read the government's state for the designation's period too (a lapse tolls it). */
      designationClock?: boolean;
    }): Promise<IntakeFindings> {
      const { submission } = input;
      const chosen = await policyFor(submission, input.standing === true);
      const { policy, standing } = chosen;
      const mine = standing === undefined ? {} : { standing };
      const { gaps, problems } = await steps.checkCompleteness({ submission });
      if (gaps.length > 0) return { kind: 'DEFICIENT', policy, gaps, problems, ...mine };
      const screen = await steps.screenCoveredModel({ model: submission.model, thresholds: policy.covered });
      const waived = chosen.designationWaived ? { designationWaived: true } : {};
      const designates =
        input.designation === true && policy.designation !== undefined && !chosen.designationWaived;
      const acceptsNow = input.government && !designates;
      const clockRuns = acceptsNow ? screen.covered : designates && input.designationClock === true;
      if (!clockRuns) return { kind: 'SCREENED', policy, screen, ...mine, ...waived };
      return { kind: 'SCREENED', policy, screen, government: await deps.governmentNow(), ...mine, ...waived };
    },
    /**
     * Rules 3: what acceptance pins, at the moment it happens (after the designation): the policy in force and
     * the government's funding lapse and closures. Only reads, so a retry reads again.
     */
    async acceptanceFacts(input: { policyId: string; labId?: string }): Promise<AcceptanceFacts> {
      if (input.labId === undefined) {
        const policy = await steps.policyInForce({ policyId: input.policyId });
        return { policy, government: await deps.governmentNow() };
      }
      const { policy, standing } = await policyFor({ policyId: input.policyId, labId: input.labId }, true);
      return { policy, government: await deps.governmentNow(), ...(standing ? { standing } : {}) };
    },
  };

  /**
   * The policy a filing falls under (issue 14, part 3): the policy in force the gateway filed it under, or, for
   * a trusted partner under rules 5, the preset that policy's `trustedPartner.effect` names, in its version in
   * force; and whether that effect waives the designation wait.
   */
  async function policyFor(
    filing: { policyId: string; labId: string },
    readStanding: boolean,
  ): Promise<{ policy: Policy; standing?: LabStanding; designationWaived: boolean }> {
    const inForce = await steps.policyInForce({ policyId: filing.policyId });
    if (!readStanding) return { policy: inForce, designationWaived: false };
    const standing = await deps.labStanding(filing.labId);
    const effect = inForce.trustedPartner?.effect;
    if (standing.status !== 'TRUSTED_PARTNER' || effect === undefined) {
      return { policy: inForce, standing, designationWaived: false };
    }
    const policy =
      effect.policyId === undefined ? inForce : await steps.policyInForce({ policyId: effect.policyId });
    return { policy, standing, designationWaived: effect.skipDesignation };
  }
}

export interface AcceptanceFacts {
  policy: Policy;
  government: GovernmentSnapshot;
  /** Rules 5: the lab's status now, pinned by the acceptance. */
  standing?: LabStanding;
}

export type IntakeActivities = ReturnType<typeof createIntakeActivities> &
  ReturnType<typeof createIntakeChecks>;
