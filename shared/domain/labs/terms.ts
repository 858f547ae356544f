import { z } from 'zod';

/**
 * Policy data from version 5 (issue 14, part 3): when the policy proposes a lab for trusted-partner status, and
 * what the status does. The chair decides; the policy only proposes.
 *
 * - `eligibility`: at least `completedReviews` reviews completed (a determination issued and the case closed by
 *   the lab's release or the window's end), no early release within `earlyReleaseLookbackDays`, and at most
 *   `brokenCommitments` commitments broken;
 * - `effect`: a trusted partner's filing falls under the preset `policyId` (in its version in force) instead of
 *   the policy in force, and, with `skipDesignation`, its screen stands without waiting for the designating
 *   agency (the case is accepted at intake).
 */
export const TrustedPartnerTerms = z.object({
  eligibility: z.object({
    completedReviews: z.int().nonnegative(),
    earlyReleaseLookbackDays: z.int().nonnegative(),
    brokenCommitments: z.int().nonnegative(),
  }),
  effect: z.object({
    policyId: z.string().min(1).optional(),
    skipDesignation: z.boolean(),
  }),
});
export type TrustedPartnerTerms = z.infer<typeof TrustedPartnerTerms>;
