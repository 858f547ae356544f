import { z } from 'zod';
import { Outcome } from '../shared/domain/decisions';
import { ProjectedDeadline } from '../shared/domain/deadlines';
import * as M from '../shared/domain/messages';
import { RecordedDecision, Stage, TimelineEntry } from '../shared/domain/review/state';
import { ReviewStatus } from '../shared/domain/review/status';
import { Id, Submission } from '../shared/domain/submission';

/**
 * The HTTP wire shapes. Request bodies are the shared update payloads without `actor` (the gateway sets it
 * from the API key) and without what the path already says; unknown fields are refused, so a typo is a 400
 * rather than a silently ignored field.
 */
const body = <S extends z.ZodRawShape>(schema: z.ZodObject<S>, id: string) =>
  z.strictObject(schema.shape).meta({ id });

// ---- Requests

export const CreateSubmissionBody = body(
  Submission.omit({ labId: true, submissionId: true }).extend({
    /** Optional: a client-chosen id makes a retried create return the same case. */
    submissionId: Id.optional(),
  }),
  'CreateSubmission',
);
export const SupplementBody = body(M.Supplement.omit({ actor: true }), 'SupplementRequest');
export const AnswerBody = body(
  M.AnswerInformationRequest.omit({ actor: true, requestId: true }),
  'AnswerInformationRequest',
);
export const AmendReleaseDateBody = body(M.AmendReleaseDate.omit({ actor: true }), 'AmendReleaseDateRequest');
export const ExtensionOfferResponseBody = body(
  M.RespondToExtensionOffer.omit({ actor: true, offerId: true }),
  'ExtensionOfferResponse',
);
export const WithdrawBody = body(M.Withdraw.omit({ actor: true }), 'WithdrawRequest');
export const ReportReleaseBody = body(M.ReportRelease.omit({ actor: true }), 'ReportReleaseRequest');
export const ChangeCallbackEndpointBody = body(
  M.ChangeCallbackEndpoint.omit({ actor: true }),
  'ChangeCallbackEndpointRequest',
);
export const RecordDecisionBody = body(M.RecordDecision.omit({ actor: true }), 'RecordDecisionRequest');
export const RequestInformationBody = body(
  M.RequestInformation.omit({ actor: true }),
  'RequestInformationRequest',
);
export const RequestExtensionBody = body(M.RequestExtension.omit({ actor: true }), 'RequestExtensionRequest');
export const ResolveEscalationBody = body(
  M.ResolveEscalation.omit({ actor: true }),
  'ResolveEscalationRequest',
);
export const ProjectDeadlinesBody = body(M.ProjectDeadlines, 'ProjectDeadlinesRequest');
export const TollClocksBody = body(M.TollClocks.omit({ actor: true }), 'FundingLapseRequest');
export const RedeliverCallbacksBody = body(
  M.RedeliverCallbacks.omit({ actor: true }),
  'RedeliverCallbacksRequest',
);

/** A client's name for one operation: a retry with the same key is applied once. */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII, 1 to 200 characters');
export const IdempotentHeaders = z.looseObject({ 'idempotency-key': IdempotencyKey.optional() });

export const CaseParams = z.object({ submissionId: Id }).strict();
export const RequestParams = CaseParams.extend({ requestId: Id }).strict();
export const OfferParams = CaseParams.extend({ offerId: Id }).strict();
export const LapseParams = z.object({ lapseId: Id }).strict();

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const PageQuery = z
  .object({
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    /** The `nextCursor` of the previous page. */
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,4096}\.[0-9a-f]{16}$/, 'the nextCursor of a previous page')
      .optional(),
  })
  .strict();
export const OpsCaseQuery = PageQuery.extend({
  stage: Stage.optional(),
  lab: Id.optional(),
  policy: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .optional(),
  atRisk: bool.optional(),
  overdue: bool.optional(),
  outcome: Outcome.optional(),
  callbackFailing: bool.optional(),
  nextDeadlineBefore: z.iso.datetime().optional(),
}).strict();
export type OpsCaseQuery = z.infer<typeof OpsCaseQuery>;

// ---- Responses

export const Receipt = M.Receipt.meta({ id: 'Receipt' });
export const SubmissionCreated = z
  .object({ submissionId: z.string(), created: z.boolean() })
  .meta({ id: 'SubmissionCreated' });

const AgencyEntry = ReviewStatus.shape.agencies.element;

/** A case as agencies, the chair and operations staff see it; restricted notes only where entitled. */
export const CaseView = ReviewStatus.extend({
  view: z.enum(['agency', 'chair', 'ops']),
  agencies: z.array(
    AgencyEntry.extend({
      decision: RecordedDecision.extend({
        /** A restricted note exists that this caller may not read. */
        restrictedNoteWithheld: z.literal(true).optional(),
      }).optional(),
    }),
  ),
}).meta({ id: 'CaseView' });
export type CaseView = z.infer<typeof CaseView>;

/**
 * A case as its lab sees it: no restricted notes, no individual agency positions before the determination
 * (which carries their unclassified summaries), the escalation as a fact only, and the timeline of events
 * the lab is told about.
 */
export const LabCaseView = ReviewStatus.omit({ agencies: true, escalation: true })
  .extend({
    view: z.literal('lab'),
    agencies: z.array(AgencyEntry.pick({ agency: true, stage: true, state: true, dueAt: true })),
    escalation: z.object({ at: z.iso.datetime(), resolvedAt: z.iso.datetime().optional() }).optional(),
    timeline: z.array(TimelineEntry),
  })
  .meta({ id: 'LabCaseView' });
export type LabCaseView = z.infer<typeof LabCaseView>;

export const AnyCaseView = z.discriminatedUnion('view', [LabCaseView, CaseView]);

/** One row of a list, from visibility (eventually consistent: read the case for its truth). */
export const CaseSummary = z
  .object({
    submissionId: z.string(),
    labId: z.string().optional(),
    stage: Stage.optional(),
    policy: z.string().optional(),
    nextDeadline: z.iso.datetime().optional(),
    windowEnd: z.iso.datetime().optional(),
    atRisk: z.boolean().optional(),
    overdue: z.boolean().optional(),
    outcome: z.string().optional(),
    callbackFailing: z.boolean().optional(),
    flags: z.array(z.string()),
    awaiting: z.array(z.string()),
    running: z.boolean(),
    startedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof CaseSummary>;

export const LabCaseSummary = CaseSummary.pick({
  submissionId: true,
  stage: true,
  policy: true,
  windowEnd: true,
  outcome: true,
  running: true,
  startedAt: true,
  closedAt: true,
}).meta({ id: 'LabCaseSummary' });

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export const Projection = z
  .object({ deadlines: z.array(ProjectedDeadline) })
  .meta({ id: 'DeadlineProjection' });

export const FanOutResult = z
  .object({
    submissionId: z.string(),
    outcome: z.enum(['APPLIED', 'REJECTED', 'UNAVAILABLE']),
    receipt: M.Receipt.optional(),
    code: z.string().optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'FanOutResult' });
export type FanOutResult = z.infer<typeof FanOutResult>;
export const FanOutReport = z
  .object({
    lapseId: z.string(),
    matched: z.int(),
    applied: z.int(),
    rejected: z.int(),
    unavailable: z.int(),
    results: z.array(FanOutResult),
  })
  .meta({ id: 'FundingLapseReport' });

export const Me = z
  .object({ principal: z.string(), role: z.enum(['lab', 'agency', 'chair', 'ops']), keyId: z.string() })
  .meta({ id: 'Me' });
