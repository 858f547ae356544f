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

const decisionOf = <N extends z.ZodType>(restrictedNote: N) =>
  z
    .strictObject({
      kind: DecisionKind.exclude(['NO_RESPONSE']),
      summary: z.string().min(1).max(4000),
      restrictedNote: restrictedNote.optional(),
      commitments: z.array(z.string().min(1).max(1000)).max(50).optional(),
    })
    .refine((d) => d.kind !== 'CONCERNS_MITIGATED' || (d.commitments?.length ?? 0) > 0, {
      message: 'CONCERNS_MITIGATED needs at least one commitment the lab must keep',
      path: ['commitments'],
    });

/** A restricted note as an agency writes it. */
export const RestrictedNoteText = z.string().min(1).max(8000);
/** A restricted note as the workflow keeps it: sealed by the gateway (./sealed.ts). */
export const SealedRestrictedNote = z.string().max(48_000).regex(SEALED_NOTE, 'a note sealed by the gateway');

/**
 * What an agency sends: an unclassified summary for the lab, and optionally a restricted note that never
 * leaves government. Over HTTP the note is plain text; the gateway seals it before the decision is sent.
 */
export const DecisionRequest = decisionOf(RestrictedNoteText);
export type DecisionRequest = z.infer<typeof DecisionRequest>;
/** The decision as the review workflow receives it, its restricted note sealed. */
export const DecisionInput = decisionOf(SealedRestrictedNote);
export type DecisionInput = z.infer<typeof DecisionInput>;

export const Outcome = z.enum([
  'NO_CONCERNS_IDENTIFIED',
  'PROCEED_WITH_COMMITMENTS',
  'DEFERRAL_RECOMMENDED',
  'INSUFFICIENT_ACCESS',
  'REVIEW_INCOMPLETE',
]);
export type Outcome = z.infer<typeof Outcome>;
