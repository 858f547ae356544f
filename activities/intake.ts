import { ApplicationFailure } from '@temporalio/common';
import type { GovernmentSnapshot } from '../shared/domain/government/state';
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
}

/**
 * What intake found, in one activity's result: the policy in force, then either the filing's gaps or the
 * screen, with the government's state when the screen covers the model and the case runs under rules 2.
 */
export type IntakeFindings =
  | { kind: 'DEFICIENT'; policy: Policy; gaps: IntakeGap[]; problems: string[] }
  | { kind: 'SCREENED'; policy: Policy; screen: ScreenResult; government?: GovernmentSnapshot };

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
    }): Promise<IntakeFindings> {
      const policy = await steps.policyInForce({ policyId: input.submission.policyId });
      const { gaps, problems } = await steps.checkCompleteness({ submission: input.submission });
      if (gaps.length > 0) return { kind: 'DEFICIENT', policy, gaps, problems };
      const screen = await steps.screenCoveredModel({
        model: input.submission.model,
        thresholds: policy.covered,
      });
      const acceptsNow =
        input.government && !(input.designation === true && policy.designation !== undefined);
      if (!screen.covered || !acceptsNow) return { kind: 'SCREENED', policy, screen };
      return { kind: 'SCREENED', policy, screen, government: await deps.governmentNow() };
    },
    /**
     * Rules 3: what acceptance pins, at the moment it happens (after the designation): the policy in force and
     * the government's funding lapse and closures. Only reads, so a retry reads again.
     */
    async acceptanceFacts(input: { policyId: string }): Promise<AcceptanceFacts> {
      const policy = await steps.policyInForce({ policyId: input.policyId });
      return { policy, government: await deps.governmentNow() };
    },
  };
}

export interface AcceptanceFacts {
  policy: Policy;
  government: GovernmentSnapshot;
}

export type IntakeActivities = ReturnType<typeof createIntakeActivities> &
  ReturnType<typeof createIntakeChecks>;
