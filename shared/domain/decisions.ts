import { z } from 'zod';
import { SEALED_NOTE } from './sealed';

/** An agency's position; NO_RESPONSE is recorded by the workflow when an agency is silent at its deadline. */
export const DecisionKind = z.enum([
  'NO_CONCERNS',
  'CONCERNS_MITIGATED',
  'CONCERNS_UNRESOLVED',
  'UNABLE_TO_ASSESS',
  'NO_RESPONSE',
]);
export type DecisionKind = z.infer<typeof DecisionKind>;

const MITIGATIONS_NEED_COMMITMENTS = 'CONCERNS_MITIGATED needs at least one commitment the lab must keep';

/**
 * A decision by its kind, so the schema itself says what each kind needs (an OpenAPI client sees it too):
 * CONCERNS_MITIGATED names at least one commitment the lab must keep.
 */
export const decisionOf = <N extends z.ZodType>(restrictedNote: N) => {
  const common = { summary: z.string().min(1).max(4000), restrictedNote: restrictedNote.optional() };
  const commitment = z.string().min(1).max(1000);
  return z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.enum(['NO_CONCERNS', 'CONCERNS_UNRESOLVED', 'UNABLE_TO_ASSESS']),
      ...common,
      commitments: z.array(commitment).max(50).optional(),
    }),
    z.strictObject({
      kind: z.literal('CONCERNS_MITIGATED'),
      ...common,
      commitments: z
        .array(commitment, { error: MITIGATIONS_NEED_COMMITMENTS })
        .min(1, MITIGATIONS_NEED_COMMITMENTS)
        .max(50),
    }),
  ]);
};

/** A restricted note as the workflow keeps it: sealed by the gateway (./sealed.ts). */
export const SealedRestrictedNote = z.lazy(() =>
  z.string().max(48_000).regex(SEALED_NOTE, 'a note sealed by the gateway'),
);

/**
 * The decision as the review workflow receives it: an unclassified summary for the lab, and optionally a
 * restricted note that never leaves government, sealed by the gateway (its plain-text form over HTTP is
 * ../api/requests.ts's). Lazy (built on its first parse), so a cached case holds it only once it has received a
 * decision.
 */
export const DecisionInput = z.lazy(() => decisionOf(SealedRestrictedNote));
export type DecisionInput = z.infer<typeof DecisionInput>;

export const Outcome = z.enum([
  'NO_CONCERNS_IDENTIFIED',
  'PROCEED_WITH_COMMITMENTS',
  'DEFERRAL_RECOMMENDED',
  'INSUFFICIENT_ACCESS',
  'REVIEW_INCOMPLETE',
]);
export type Outcome = z.infer<typeof Outcome>;
