import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { DecisionInput, Outcome } from './decisions';
import { Projection } from './deadlines';
import { Principal } from './principal';
import type { ProjectedDeadline } from './deadlines';
import type { ReviewStatus } from './review/status';
import { Id, SupplementFields } from './submission';

/**
 * Every message a running review accepts. Each update carries the acting principal (set by the gateway after
 * authentication) and is checked by a validator against this schema and the case's current state; a rejected
 * update writes nothing to history. Each accepted update answers with a receipt naming its timeline entry.
 */
const withActor = <T extends z.ZodRawShape>(shape: T) => z.object({ actor: Principal, ...shape });

export const Receipt = z.object({ seq: z.int().positive(), at: z.iso.datetime() });
export type Receipt = z.infer<typeof Receipt>;

// Lab
export const Supplement = withActor({ fields: SupplementFields });
export const AnswerInformationRequest = withActor({ requestId: Id, answer: z.string().min(1).max(20000) });
export const AmendReleaseDate = withActor({ plannedReleaseDate: z.iso.datetime() });
export const RespondToExtensionOffer = withActor({ offerId: Id, accept: z.boolean() });
export const Withdraw = withActor({ reason: z.string().max(2000).optional() });
export const ReportRelease = withActor({ releasedAt: z.iso.datetime().optional() });
export const ChangeCallbackEndpoint = withActor({ callbackUrl: z.url().max(2000) });
// Agencies
export const RecordDecision = withActor({ decision: DecisionInput });
export const RequestInformation = withActor({
  questions: z.array(z.string().min(1).max(4000)).min(1).max(50),
});
export const RequestExtension = withActor({ days: z.int().positive(), reason: z.string().min(1).max(2000) });
// Chair
export const ResolveEscalation = withActor({
  outcome: Outcome.exclude(['REVIEW_INCOMPLETE']),
  rationale: z.string().min(1).max(4000),
  commitments: z.array(z.string().min(1).max(1000)).max(50).optional(),
});
// Operations
export const TollClocks = withActor({ lapseId: Id, reason: z.string().min(1).max(2000) });
export const ResumeClocks = withActor({ lapseId: Id });
/** Without eventId: everything pending from the failed event on. With one: that event (again). */
export const RedeliverCallbacks = withActor({ eventId: z.string().min(1).max(200).optional() });
export const ProjectDeadlines = z.object({ change: Projection });

export type Supplement = z.infer<typeof Supplement>;
export type AnswerInformationRequest = z.infer<typeof AnswerInformationRequest>;
export type AmendReleaseDate = z.infer<typeof AmendReleaseDate>;
export type RespondToExtensionOffer = z.infer<typeof RespondToExtensionOffer>;
export type Withdraw = z.infer<typeof Withdraw>;
export type ReportRelease = z.infer<typeof ReportRelease>;
export type ChangeCallbackEndpoint = z.infer<typeof ChangeCallbackEndpoint>;
export type RecordDecision = z.infer<typeof RecordDecision>;
export type RequestInformation = z.infer<typeof RequestInformation>;
export type RequestExtension = z.infer<typeof RequestExtension>;
export type ResolveEscalation = z.infer<typeof ResolveEscalation>;
export type TollClocks = z.infer<typeof TollClocks>;
export type ResumeClocks = z.infer<typeof ResumeClocks>;
export type RedeliverCallbacks = z.infer<typeof RedeliverCallbacks>;
export type ProjectDeadlines = z.infer<typeof ProjectDeadlines>;

export const supplementUpdate = defineUpdate<Receipt, [Supplement]>('supplement');
export const answerInformationRequestUpdate = defineUpdate<Receipt, [AnswerInformationRequest]>(
  'answerInformationRequest',
);
export const amendReleaseDateUpdate = defineUpdate<Receipt, [AmendReleaseDate]>('amendReleaseDate');
export const respondToExtensionOfferUpdate = defineUpdate<Receipt, [RespondToExtensionOffer]>(
  'respondToExtensionOffer',
);
export const withdrawUpdate = defineUpdate<Receipt, [Withdraw]>('withdraw');
export const reportReleaseUpdate = defineUpdate<Receipt, [ReportRelease]>('reportRelease');
export const changeCallbackEndpointUpdate = defineUpdate<Receipt, [ChangeCallbackEndpoint]>(
  'changeCallbackEndpoint',
);
export const recordDecisionUpdate = defineUpdate<Receipt, [RecordDecision]>('recordDecision');
export const requestInformationUpdate = defineUpdate<Receipt, [RequestInformation]>('requestInformation');
export const requestExtensionUpdate = defineUpdate<Receipt, [RequestExtension]>('requestExtension');
export const resolveEscalationUpdate = defineUpdate<Receipt, [ResolveEscalation]>('resolveEscalation');
export const tollClocksUpdate = defineUpdate<Receipt, [TollClocks]>('tollClocks');
export const resumeClocksUpdate = defineUpdate<Receipt, [ResumeClocks]>('resumeClocks');
export const redeliverCallbacksUpdate = defineUpdate<Receipt, [RedeliverCallbacks]>('redeliverCallbacks');

/** The whole case as the workflow knows it now; the gateway trims it to what each role may see. */
export const statusQuery = defineQuery<ReviewStatus>('status');
/** What-if: every deadline under a hypothetical change, without changing anything. */
export const projectDeadlinesQuery = defineQuery<ProjectedDeadline[], [ProjectDeadlines]>('projectDeadlines');
