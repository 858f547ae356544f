import { z } from 'zod';
import { DEFAULT_POLICY_ID } from './policy-names';

/*
 * The schemas below are lazy (built on their first parse), but `Id`, which names almost everything: the workflow
 * bundle's modules are evaluated once per cached case, so a case builds the filing's schemas when it parses its
 * filing, and a supplement's only if it receives one (test/workflows/bundle-footprint.test.ts).
 */
export const Id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)');

export const AccessArrangement = z.lazy(() =>
  z.strictObject({
    kind: z.enum(['API', 'WEIGHTS', 'HOSTED_ENVIRONMENT']),
    details: z.string().min(1).max(2000),
  }),
);

export const ModelDescription = z.lazy(() =>
  z.strictObject({
    name: z.string().min(1).max(200),
    version: z.string().min(1).max(100).optional(),
    description: z.string().max(4000).optional(),
    trainingComputeFlop: z.number().nonnegative().optional(),
    /**
     * The classified cyber-capability benchmark's score, normalised to [0, 1], as filings recorded before
     * release 3 carry it. The lab no longer supplies it: NSA enters its own result when it designates.
     */
    cyberBenchmarkScore: z.number().min(0).max(1).optional(),
  }),
);

/** The model as a lab describes it: everything but the benchmark's score, which is NSA's (issue 14). */
export const LabModelDescription = z.lazy(() =>
  ModelDescription.unwrap().omit({ cyberBenchmarkScore: true }),
);

/**
 * A lab's filing. Fields the completeness check requires may be missing here: intake then finds the case
 * DEFICIENT and tells the lab what to supplement, instead of refusing the filing.
 */
export const Submission = z.lazy(() =>
  z.object({
    submissionId: Id,
    labId: Id,
    model: ModelDescription,
    access: AccessArrangement.optional(),
    callbackUrl: z.url().max(2000).optional(),
    plannedReleaseDate: z.iso.datetime(),
    policyId: z.string().default(DEFAULT_POLICY_ID),
    /** Set on a resubmission after withdrawal: the new case links to the old one and has a fresh clock. */
    previousSubmissionId: Id.optional(),
  }),
);
export type Submission = z.infer<typeof Submission>;
export type SubmissionInput = z.input<typeof Submission>;

/** What a lab may supplement while its filing is deficient. */
export const SupplementFields = z.lazy(() =>
  z
    .strictObject({
      model: LabModelDescription.unwrap().partial().optional(),
      access: AccessArrangement.optional(),
      callbackUrl: z.url().max(2000).optional(),
    })
    .refine((s) => s.model !== undefined || s.access !== undefined || s.callbackUrl !== undefined, {
      message: 'a supplement must carry at least one field',
    })
    // The same rule, stated in the OpenAPI document, so a client or a fuzzer knows `{}` is not a supplement.
    .meta({ minProperties: 1 }),
);
export type SupplementFields = z.infer<typeof SupplementFields>;

/** Completeness gaps, as field paths the lab can act on. */
export const IntakeGap = z.enum(['model.version', 'model.trainingComputeFlop', 'access', 'callbackUrl']);
export type IntakeGap = z.infer<typeof IntakeGap>;

export const ScreenResult = z.lazy(() =>
  z.object({
    covered: z.boolean(),
    /** Which thresholds the model met, or why it is not covered, in words for the lab. */
    reason: z.string(),
  }),
);
export type ScreenResult = z.infer<typeof ScreenResult>;
