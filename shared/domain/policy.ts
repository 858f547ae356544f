import { z } from 'zod';
import { CommitmentTerms } from './commitments/terms';
import { earlyAccessTermsSchema } from './grants/terms';
import { boundsSchema } from './bounds';
import { TrustedPartnerTerms } from './labs/terms';
import { DayCount } from './day-count';
import { DecisionKind } from './decisions';
import { Holiday } from './washington/holidays';
import { REVIEW_STAGES } from './policy-names';
import { signaturesOf } from './signed-act';

/** The two review stages, in order. */
export const ReviewStageName = z.enum(REVIEW_STAGES);
export type ReviewStageName = z.infer<typeof ReviewStageName>;

export const AgencyId = z.string().regex(/^[A-Z0-9_]{1,32}$/, 'an upper-case agency id such as NSA');

export { DayCount } from './day-count';

/**
 * From version 2: Washington's business calendar (domain.md section 4). Government deadlines fall due at close
 * of business on a business day; the holidays are the observed federal holidays, as data.
 */
export const BusinessDays = z.object({
  timeZone: z.literal('America/New_York'),
  closeOfBusiness: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 17:00'),
  holidays: z.array(Holiday),
});
export type BusinessDays = z.infer<typeof BusinessDays>;

export const StagePolicy = z.object({
  roster: z.array(z.object({ agency: AgencyId, required: z.boolean() })).min(1),
  deadline: DayCount,
});

/** Versioned policy data (domain.md section 7). The copy in force at acceptance is pinned to the case. */
export const Policy = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    version: z.int().positive(),
    title: z.string(),
    windowDays: z.number().positive(),
    stages: z.object({ NATIONAL_SECURITY: StagePolicy, CIVILIAN: StagePolicy }),
    determination: DayCount,
    holidayCalendar: z.literal('US_FEDERAL'),
    informationResponse: DayCount,
    /** Total information-request tolling per agency deadline. */
    tollingCapDays: z.number().nonnegative(),
    extension: z.object({ maxPerAgency: z.int().nonnegative(), maxDays: z.int().positive() }),
    atRiskFraction: z.number().gt(0).lt(1),
    covered: z.object({
      trainingComputeFlop: z.number().positive(),
      cyberBenchmarkScore: z.number().min(0).max(1),
    }),
    severityOrder: z.array(DecisionKind.exclude(['NO_RESPONSE'])).length(4),
    silence: z.literal('NO_RESPONSE_COUNTS_AS_NO_CONCERNS_FLAGGED'),
    /** When set, a release planned closer than this to acceptance is refused instead of compressed. */
    minimumNoticeDays: z.number().positive().nullable(),
    supplementDays: z.number().positive(),
    /** Callbacks still failing after this long are marked failed until operations staff redeliver. */
    callbackGiveUpDays: z.number().positive(),
    /**
     * From version 2: how many of each message one principal may send to one case, so that no sender can fill
     * a case's history and lock the others out. A case pinned to version 1 is bounded by the gateway's rate
     * limit and the workflow's continue-as-new instead.
     */
    budgets: z
      .object({
        amendments: z.int().positive(),
        endpointChanges: z.int().positive(),
        supplements: z.int().positive(),
        informationRequests: z.int().positive(),
      })
      .optional(),
    /** From version 2: the calendar that government deadlines keep. Without it, deadlines are plain instants. */
    businessDays: BusinessDays.optional(),
    /** From version 2: the chair's least time on escalation before the determination falls due. */
    chairMinimum: DayCount.optional(),
    /**
     * From version 3: the agency that designates which models are covered (the screen only proposes), and how
     * long it has, counted from intake's screen. Silence keeps the proposal. Acceptance (day 0) follows it.
     */
    designation: z.object({ agency: AgencyId, within: DayCount }).optional(),
    /** From version 4: the terms every commitment of a determination is tracked under (CommitmentTerms). */
    commitments: CommitmentTerms.optional(),
    /** From version 5: when a lab is proposed for trusted-partner status, and what the status does. */
    trustedPartner: TrustedPartnerTerms.optional(),
    /** From version 6: who nominates operators for early access, for which outcomes, and for how long. */
    earlyAccess: z.lazy(earlyAccessTermsSchema).optional(),
    /**
     * From version 7: how far one party can grow each long-lived workflow (grants, findings, commitments, labs'
     * records, the government's state), and when each hands its state on (./bounds.ts).
     */
    bounds: z.lazy(boundsSchema).optional(),
    /** From version 8: the acts that must be signed, by people and by systems (../signed-act.ts). */
    signatures: z.lazy(signaturesOf).optional(),
  })
  .superRefine((p, ctx) => {
    // Washington's calendar counts whole days; fractional days are for policies without one (the benchmark's).
    if (p.businessDays === undefined) return;
    const counts = [
      p.stages.NATIONAL_SECURITY.deadline,
      p.stages.CIVILIAN.deadline,
      p.determination,
      p.informationResponse,
      ...(p.chairMinimum ? [p.chairMinimum] : []),
      ...(p.designation ? [p.designation.within] : []),
      ...(p.commitments ? [p.commitments.due, p.commitments.confirmWithin] : []),
      ...(p.earlyAccess
        ? [p.earlyAccess.answerWithin, p.earlyAccess.afterRelease, p.earlyAccess.afterWindow]
        : []),
    ];
    if (![...counts.map((c) => c.days), p.windowDays].every(Number.isInteger)) {
      ctx.addIssue({ code: 'custom', message: 'a policy with businessDays counts whole days only' });
    }
  });
export type Policy = z.infer<typeof Policy>;
