/**
 * The policy's names the rest of the domain uses at run time, apart from the policy's schema (./policy.ts), so
 * that the workflow bundle, which never parses a policy, does not build that schema for every cached workflow.
 */

/** The two review stages, in order. */
export const REVIEW_STAGES = ['NATIONAL_SECURITY', 'CIVILIAN'] as const;
export type ReviewStageName = (typeof REVIEW_STAGES)[number];

/** The policy a filing falls under when it names none. */
export const DEFAULT_POLICY_ID = 'draft-2026-90d';
