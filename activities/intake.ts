import { ApplicationFailure } from '@temporalio/common';
import type { Policy } from '../shared/domain/policy';
import type { PolicyRegistry } from '../shared/domain/policy-registry';
import { completenessGaps, screenModel } from '../shared/domain/review/intake';
import type { IntakeGap, ScreenResult, Submission } from '../shared/domain/submission';

export interface IntakeActivityDeps {
  policies: PolicyRegistry;
  /** Endpoint safety of the callback URL: a message when it must be refused. */
  checkUrl: (url: string) => Promise<string | undefined>;
}

/**
 * Intake's checks. They are activities because in production they reach other systems (the policy store,
 * the classified benchmark's results); here they apply the policy's rules to the filing.
 */
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

export type IntakeActivities = ReturnType<typeof createIntakeActivities>;
