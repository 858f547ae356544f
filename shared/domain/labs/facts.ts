import { z } from 'zod';
import { COMMITMENT_STANDINGS } from '../commitments/commitment';
import { Outcome } from '../decisions';
import type { ClosedReason } from '../review/state';
import { LAB_STATUSES } from './record';

/**
 * What a lab's cases and commitments tell its record (through the `reportToLab` activity, which starts the
 * record when it is the lab's first). Each fact is about one case or commitment and replaces what the record
 * knew of it, so a fact sent twice (an activity retried) changes nothing the second time.
 */
/* Lazy: the lab's workflow parses facts on arrival; the bundle's other workflows never build these. */
export const LabFact = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('CASE_ACCEPTED'),
      caseId: z.string().min(1).max(200),
      submissionId: z.string().min(1).max(200),
      at: z.iso.datetime(),
      policy: z.strictObject({ id: z.string(), version: z.int().positive() }),
      status: z.enum(LAB_STATUSES),
      callbackUrl: z.string().max(2000).optional(),
    }),
    z.strictObject({
      kind: z.literal('CASE_CLOSED'),
      caseId: z.string().min(1).max(200),
      submissionId: z.string().min(1).max(200),
      at: z.iso.datetime(),
      // A case's own closing reason (review/state.ts; its schema is not the bundle's to build).
      closedReason: z.string().min(1).max(40) as z.ZodType<ClosedReason>,
      outcome: Outcome.optional(),
      releasedAt: z.iso.datetime().optional(),
      earlyRelease: z.boolean(),
    }),
    z.strictObject({
      kind: z.literal('COMMITMENT_STANDING'),
      commitmentId: z.string().min(1).max(200),
      caseId: z.string().min(1).max(200),
      owner: z.string().min(1).max(64),
      standing: z.enum(COMMITMENT_STANDINGS),
      at: z.iso.datetime(),
    }),
  ]),
);
export type LabFact = z.infer<typeof LabFact>;
