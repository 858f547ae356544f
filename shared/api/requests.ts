import { z } from 'zod';
import { decisionOf, Outcome } from '../domain/decisions';
import type { Message } from '../domain/review/messages';
import { ProjectDeadlines } from '../domain/review/messages';
import { Flag, Stage } from '../domain/review/state';
import { Id, LabModelDescription, Submission } from '../domain/submission';
import type { SignedActName } from '../domain/signed-act';
import { MESSAGE_EXAMPLES, REQUEST_EXAMPLES } from './examples';

/**
 * The HTTP API's request shapes. A message's body is its payload without `actor` (the gateway sets it from
 * the caller's credential) and without what the path already names; unknown fields are refused, so a typo
 * is a 400 rather than a silently ignored field.
 */

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The body of the route that sends `message`, whose path names `pathFields`. */
export function messageBody<S extends z.ZodRawShape>(message: Message<string, S>): z.ZodObject<S>;
export function messageBody(message: Message, pathFields: readonly string[]): z.ZodObject;
export function messageBody(message: Message, pathFields: readonly string[] = []): z.ZodObject {
  const shape = Object.fromEntries(Object.entries(message.body).filter(([k]) => !pathFields.includes(k)));
  const example = MESSAGE_EXAMPLES[message.name as keyof typeof MESSAGE_EXAMPLES];
  return z.strictObject(shape).meta({ id: `${pascal(message.name)}Body`, examples: [example] });
}

/** A restricted note as an agency writes it. */
export const RestrictedNoteText = z.string().min(1).max(8000);

/**
 * What an agency sends over HTTP: an unclassified summary for the lab, and optionally a restricted note that
 * never leaves government, in plain text; the gateway seals it before the decision is sent to the case.
 */
export const DecisionRequest = decisionOf(RestrictedNoteText);
export type DecisionRequest = z.infer<typeof DecisionRequest>;

/** An agency's decision as it is sent over HTTP: the restricted note in plain text (the gateway seals it). */
export const RecordDecisionRequest = z
  .strictObject({ decision: DecisionRequest })
  .meta({ id: 'RecordDecisionBody', examples: [MESSAGE_EXAMPLES.recordDecision] });

/**
 * The designating agency's call over HTTP: the benchmark's score in plain (a number in [0, 1]); the gateway
 * seals it before the designation is sent to the case, and the lab never sees it.
 */
export const DesignateCoverageRequest = z
  .strictObject({
    covered: z.boolean(),
    reason: z.string().trim().min(1).max(4000).regex(/\S/, 'not only spaces'),
    benchmarkScore: z.number().min(0).max(1).optional(),
  })
  .meta({ id: 'DesignateCoverageBody', examples: [MESSAGE_EXAMPLES.designateCoverage] });

/**
 * A filing as a lab sends it, naming a policy or none for the default one. The OpenAPI document lists the
 * published presets as the field's `enum`, so a client knows them; the gateway refuses a policy its workers do
 * not hold (400 VALIDATION_FAILED at /policyId, gateway/cases.ts), which a test deployment may extend.
 */
export const CreateSubmissionBody = z
  .strictObject(
    // No policyId: the policy is the government's choice (the deployment's policy in force, then the lab's
    // trusted-partner status at intake), so a filing that names one is refused as an unknown field.
    Submission.unwrap().omit({ labId: true, submissionId: true, policyId: true }).extend({
      /** Optional: a client-chosen id makes a retried create return the same case. */
      submissionId: Id.optional(),
      model: LabModelDescription,
    }).shape,
  )
  .meta({ id: 'CreateSubmission', examples: [REQUEST_EXAMPLES.createSubmission] });
export type CreateSubmissionBody = z.infer<typeof CreateSubmissionBody>;

export const ProjectDeadlinesBody = ProjectDeadlines.meta({
  id: 'ProjectDeadlinesBody',
  examples: [REQUEST_EXAMPLES.projectDeadlines],
});

/** A client's name for one operation: a retry with the same key is applied once. */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'printable ASCII, 1 to 200 characters');
export const IdempotentHeaders = z.looseObject({ 'idempotency-key': IdempotencyKey.optional() });

/** A route that takes no query parameters refuses any, rather than ignoring a typo. */
export const NoQuery = z.strictObject({});

/**
 * A case in a path: its case id, `<labId>:<submissionId>`, or a submission id alone. A lab's submission id
 * names its own case; for the government it names a release-1 case, else the one case filed under that id.
 */
export const CaseRef = z
  .string()
  .regex(
    /^(?:[A-Za-z0-9_.-]{1,64}:)?[A-Za-z0-9_.-]{1,64}$/,
    'a case id (<labId>:<submissionId>) or a submission id',
  )
  .meta({
    description:
      'The case id `<labId>:<submissionId>` (as `caseId` in every answer), or a submission id alone: a lab’s ' +
      'own; for the government a release-1 case’s, else the one case filed under it (409 CASE_ID_AMBIGUOUS ' +
      'when labs share it).',
  });
export const CaseParams = z.strictObject({ caseId: CaseRef });
export const LapseParams = z.strictObject({ lapseId: Id });

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const PageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  /** The `nextCursor` of the previous page. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,4096}\.[0-9a-f]{16}$/, 'the nextCursor of a previous page')
    .optional(),
});
/** The archived-cases list: in case-id order, from after the last case of the page before. */
export const ArchiveQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  after: CaseRef.optional(),
});
export type ArchiveQuery = z.infer<typeof ArchiveQuery>;

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
  /** Cases carrying this flag now. */
  flag: Flag.optional(),
  /** true: cases still under review (running, not closed); false: closed ones. */
  open: bool.optional(),
}).strict();
export type OpsCaseQuery = z.infer<typeof OpsCaseQuery>;

/**
 * Issue 36: the statement of an act that is signed, for its signer to sign (POST .../statements on a case, a
 * finding or a lab's record): the message, and its body exactly as it will be sent.
 */
export const PrepareStatementBody = (
  acts: z.ZodObject[],
  example: { message: SignedActName; body: object },
) =>
  z
    .discriminatedUnion('message', acts as [z.ZodObject, z.ZodObject, ...z.ZodObject[]])
    .meta({ examples: [example] });
