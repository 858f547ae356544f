import { z } from 'zod';
import { IsoDate } from '../washington/zone';
import { Deadline, Urgency } from '../deadline-ledger';
import { ModelDescription, ScreenResult } from '../submission';
import { IntakeGap } from '../submission';
import {
  CallbackErrorCategory,
  ClosedReason,
  Determination,
  Flag,
  RecordedDecision,
  Stage,
  TimelineEntry,
} from './state';

export const DeadlineView = Deadline.extend({ dueAt: z.iso.datetime(), urgency: Urgency });
export type DeadlineView = z.infer<typeof DeadlineView>;

/** The whole case as the status query returns it; the gateway trims it per role. */
export const ReviewStatus = z.object({
  asOf: z.iso.datetime(),
  submissionId: z.string(),
  labId: z.string(),
  model: ModelDescription,
  callbackUrl: z.string().optional(),
  previousSubmissionId: z.string().optional(),
  stage: Stage,
  closedReason: ClosedReason.optional(),
  closedAt: z.iso.datetime().optional(),
  requestedPolicyId: z.string(),
  policy: z.object({ id: z.string(), version: z.int() }).optional(),
  /** The rules version the case runs under (domain code, pinned at its start). */
  rules: z.int().positive(),
  /** Rules 5: the lab's trusted-partner status at acceptance, pinned as the policy is (issue 14, part 3). */
  labStanding: z
    .object({ status: z.enum(['PARTICIPANT', 'TRUSTED_PARTNER']), since: z.iso.datetime().optional() })
    .optional(),
  receivedAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().optional(),
  plannedReleaseDate: z.iso.datetime(),
  windowEnd: z.iso.datetime().optional(),
  screen: ScreenResult.optional(),
  /** Rules 3: the screen's proposal, the designating agency's deadline and its designation. */
  designation: z
    .object({
      agency: z.string(),
      proposal: ScreenResult,
      dueAt: z.iso.datetime(),
      decision: z
        .object({
          covered: z.boolean(),
          reason: z.string(),
          source: z.enum(['AGENCY', 'PROPOSAL_STANDS']),
          at: z.iso.datetime(),
          by: z.string(),
        })
        .optional(),
      /** The benchmark's result as the case keeps it: sealed. The gateway opens it for those entitled. */
      benchmarkScore: z.string().optional(),
    })
    .optional(),
  deficiency: z
    .object({ gaps: z.array(IntakeGap), since: z.iso.datetime(), supplementDue: z.iso.datetime() })
    .optional(),
  agencies: z.array(
    z.object({
      agency: z.string(),
      stage: z.string(),
      required: z.boolean(),
      state: z.enum(['NOT_OPEN', 'REVIEWING', 'WAITING_FOR_LAB', 'DECIDED', 'UNDECIDED']),
      decision: RecordedDecision.optional(),
      extensionsUsed: z.int(),
      dueAt: z.iso.datetime(),
      urgency: Urgency,
    }),
  ),
  deadlines: z.array(DeadlineView),
  nextDeadline: z.object({ key: z.string(), party: z.string(), dueAt: z.iso.datetime() }).optional(),
  informationRequests: z.array(
    z.object({
      id: z.string(),
      agency: z.string(),
      stage: z.string(),
      questions: z.array(z.string()),
      askedAt: z.iso.datetime(),
      dueAt: z.iso.datetime(),
      status: z.enum(['OPEN', 'ANSWERED', 'CLOSED_BY_DECISION', 'CLOSED_WITH_CASE']),
      answeredAt: z.iso.datetime().optional(),
      answer: z.string().optional(),
      overdueNoticeAt: z.iso.datetime().optional(),
      tollCapReachedAt: z.iso.datetime().optional(),
    }),
  ),
  extensionOffers: z.array(
    z.object({
      id: z.string(),
      proposedWindowEnd: z.iso.datetime(),
      offeredAt: z.iso.datetime(),
      response: z.enum(['ACCEPTED', 'DECLINED']).optional(),
      respondedAt: z.iso.datetime().optional(),
    }),
  ),
  fundingLapses: z.array(
    z.object({ id: z.string(), reason: z.string(), from: z.iso.datetime(), to: z.iso.datetime().optional() }),
  ),
  closures: z.array(
    z.object({ id: z.string(), dates: z.array(IsoDate), reason: z.string(), declaredAt: z.iso.datetime() }),
  ),
  escalation: z
    .object({
      at: z.iso.datetime(),
      unresolvedAgencies: z.array(z.string()),
      resolvedAt: z.iso.datetime().optional(),
      resolvedBy: z.string().optional(),
    })
    .optional(),
  determination: Determination.optional(),
  release: z
    .object({ releasedAt: z.iso.datetime(), reportedAt: z.iso.datetime(), early: z.boolean() })
    .optional(),
  flags: z.array(Flag),
  timeline: z.array(TimelineEntry),
  callbacks: z.object({
    endpoint: z.string().optional(),
    events: z.int(),
    delivered: z.int(),
    pending: z.int(),
    failing: z
      .object({
        eventId: z.string(),
        error: z.string(),
        category: CallbackErrorCategory,
        at: z.iso.datetime(),
      })
      .optional(),
    deliveries: z.array(
      z.object({
        eventId: z.string(),
        status: z.enum(['DELIVERED', 'FAILED']),
        at: z.iso.datetime(),
        attempts: z.int().optional(),
        httpStatus: z.int().optional(),
        error: z.string().optional(),
        category: CallbackErrorCategory.optional(),
        endpoint: z.string(),
      }),
    ),
  }),
});
export type ReviewStatus = z.infer<typeof ReviewStatus>;
