import { z } from 'zod';

/** An agency's position; NO_RESPONSE is recorded by the workflow when an agency is silent at its deadline. */
export const DecisionKind = z.enum([
  'NO_CONCERNS',
  'CONCERNS_MITIGATED',
  'CONCERNS_UNRESOLVED',
  'UNABLE_TO_ASSESS',
  'NO_RESPONSE',
]);
export type DecisionKind = z.infer<typeof DecisionKind>;

/** What an agency sends: an unclassified summary for the lab, and optionally a restricted note that never leaves government. */
export const DecisionInput = z
  .object({
    kind: DecisionKind.exclude(['NO_RESPONSE']),
    summary: z.string().min(1).max(4000),
    restrictedNote: z.string().min(1).max(8000).optional(),
    commitments: z.array(z.string().min(1).max(1000)).max(50).optional(),
  })
  .refine((d) => d.kind !== 'CONCERNS_MITIGATED' || (d.commitments?.length ?? 0) > 0, {
    message: 'CONCERNS_MITIGATED needs at least one commitment the lab must keep',
    path: ['commitments'],
  });
export type DecisionInput = z.infer<typeof DecisionInput>;

export const Outcome = z.enum([
  'NO_CONCERNS_IDENTIFIED',
  'PROCEED_WITH_COMMITMENTS',
  'DEFERRAL_RECOMMENDED',
  'INSUFFICIENT_ACCESS',
  'REVIEW_INCOMPLETE',
]);
export type Outcome = z.infer<typeof Outcome>;
