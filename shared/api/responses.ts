import { z } from 'zod';
import { PasskeyRequestOptions } from './passkeys';
import { FanOutResult as GovernmentFanOutResult } from '../domain/government/fan-out';
import { GovernmentSnapshot } from '../domain/government/state';
import { ProjectedDeadline } from '../domain/projection';
import { Receipt as ReceiptSchema } from '../domain/review/record';
import { Flag, OPEN_STAGES, RecordedDecision, Stage, TimelineEntry } from '../domain/review/state';
import { ReviewStatus } from '../domain/review/status';
import { Role } from '../domain/principal';
import { FindingListItem } from './findings';

/** The HTTP API's response shapes. */

export const Receipt = ReceiptSchema.meta({ id: 'Receipt' });
/** How every answer names a case: `<labId>:<submissionId>` (a release-1 case: its submission id). */
const caseId = z.string().meta({ description: 'The case id, `<labId>:<submissionId>`; use it in paths.' });

export const SubmissionCreated = z
  .object({ caseId, submissionId: z.string(), created: z.boolean() })
  .meta({ id: 'SubmissionCreated' });

const AgencyEntry = ReviewStatus.shape.agencies.element;
const DesignationEntry = ReviewStatus.shape.designation.unwrap();

/**
 * The callback attempt under way, read from Temporal's record of the pending activity: how many attempts were
 * made, when the last one ended and why it failed, and when the next one is due. (The timeline has each event's
 * outcome; this is the try in between.) A lab sees its error as a category only.
 */
export const CallbackAttempt = z
  .object({
    attempt: z.int().positive(),
    state: z.enum(['SCHEDULED', 'STARTED', 'CANCEL_REQUESTED']),
    lastError: z.string().optional(),
    lastAttemptAt: z.iso.datetime().optional(),
    nextAttemptAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'CallbackAttempt' });
export type CallbackAttempt = z.infer<typeof CallbackAttempt>;

/** The clearinghouse's open findings about the case's model (read each for the detail its TLP allows). */
const openFindings = z.array(FindingListItem).optional();

/** A case as agencies, the chair and operations staff see it; restricted notes only where entitled. */
export const CaseView = ReviewStatus.extend({
  caseId,
  callbackAttempt: CallbackAttempt.optional(),
  openFindings,
  view: z.enum(['agency', 'chair', 'ops']),
  designation: DesignationEntry.extend({
    /** The benchmark's result, for the designating agency, the national-security roster and the chair. */
    benchmarkScore: z.number().min(0).max(1).optional(),
    /** A benchmark result exists that this caller may not read. */
    benchmarkScoreWithheld: z.literal(true).optional(),
  }).optional(),
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
    caseId,
    callbackAttempt: CallbackAttempt.omit({ lastError: true }).optional(),
    openFindings,
    view: z.literal('lab'),
    agencies: z.array(AgencyEntry.pick({ agency: true, stage: true, state: true, dueAt: true })),
    designation: DesignationEntry.omit({ benchmarkScore: true }).optional(),
    escalation: z.object({ at: z.iso.datetime(), resolvedAt: z.iso.datetime().optional() }).optional(),
    timeline: z.array(TimelineEntry.omit({ labSummary: true, by: true, signed: true })),
  })
  .meta({ id: 'LabCaseView' });
export type LabCaseView = z.infer<typeof LabCaseView>;

export const AnyCaseView = z.discriminatedUnion('view', [LabCaseView, CaseView]);

const count = z.number().int().nonnegative();
/** An object with one count per value of an enum, each named (so the OpenAPI document lists them). */
const countsOf = <T extends string>(values: readonly T[]) =>
  z.strictObject(Object.fromEntries(values.map((v) => [v, count])) as Record<T, typeof count>);

/** How many open cases are in each stage and carry each flag, counted by visibility (no case is listed). */
export const CaseCounts = z
  .object({
    asOf: z.iso.datetime(),
    open: count,
    stages: countsOf(OPEN_STAGES),
    flags: countsOf(Flag.options),
  })
  .meta({ id: 'CaseCounts' });
export type CaseCounts = z.infer<typeof CaseCounts>;

/** One row of a list, from visibility (eventually consistent: read the case for its truth). */
export const CaseSummary = z
  .object({
    caseId,
    submissionId: z.string(),
    labId: z.string().optional(),
    stage: Stage.optional(),
    policy: z.string().optional(),
    nextDeadline: z.iso.datetime().optional(),
    /** Whose the next deadline is; cases opened before release 2's search attribute show it once they next move. */
    nextDeadlineParty: z.string().optional(),
    /** The model's name and version; absent for cases opened before release 2 wrote it. */
    model: z.string().optional(),
    windowEnd: z.iso.datetime().optional(),
    atRisk: z.boolean().optional(),
    overdue: z.boolean().optional(),
    outcome: z.string().optional(),
    callbackFailing: z.boolean().optional(),
    flags: z.array(z.string()),
    awaiting: z.array(z.string()),
    /** Each awaited agency's own deadline (once a case has run on release 7's workers): an agency's inbox sorts by its own. */
    awaitingDue: z.record(z.string(), z.iso.datetime()).optional(),
    running: z.boolean(),
    startedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof CaseSummary>;

export const LabCaseSummary = CaseSummary.pick({
  caseId: true,
  submissionId: true,
  stage: true,
  policy: true,
  model: true,
  nextDeadline: true,
  nextDeadlineParty: true,
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

/** A closed case whose permanent record is in the archive: what its first line says. */
export const ArchivedCase = z
  .object({
    caseId: z.string(),
    submissionId: z.string(),
    labId: z.string(),
    closedAt: z.iso.datetime(),
    closedReason: z.string(),
    outcome: z.string().optional(),
  })
  .meta({ id: 'ArchivedCase' });
export type ArchivedCase = z.infer<typeof ArchivedCase>;
export const ArchivedCases = z
  .object({
    items: z.array(ArchivedCase),
    /** Pass as `after` for the next page; absent on the last page. */
    nextAfter: z.string().optional(),
  })
  .meta({ id: 'ArchivedCases' });

/** The public key that verifies every permanent record this deployment signs. */
export const RecordVerifyingKey = z
  .object({ alg: z.literal('Ed25519'), keyId: z.string(), pem: z.string() })
  .meta({ id: 'RecordVerifyingKey' });

export const FanOutResult = GovernmentFanOutResult.meta({ id: 'FanOutResult' });
export type FanOutResult = z.infer<typeof FanOutResult>;

/**
 * What a message to the government's state did: RECORDED (the state changed) or UNCHANGED (it already held
 * it, and the open cases were reached again), and each open case's answer, counted.
 */
const governmentReport = {
  change: z.enum(['RECORDED', 'UNCHANGED']),
  matched: z.int(),
  applied: z.int(),
  rejected: z.int(),
  unavailable: z.int(),
  results: z.array(FanOutResult),
};
export const FanOutReport = z
  .object({ lapseId: z.string(), ...governmentReport })
  .meta({ id: 'FundingLapseReport' });
export const ClosureReport = z
  .object({ closureId: z.string(), ...governmentReport })
  .meta({ id: 'ClosureReport' });
export const GovernmentView = GovernmentSnapshot.meta({ id: 'GovernmentState' });

export const Me = z
  .object({ principal: z.string(), role: z.enum([...Role.options, 'admin']), keyId: z.string() })
  .meta({ id: 'Me' });

/** A statement to sign (issue 36): its canonical text, the same as base64url for the Act-Statement header, and until when it is good. */
export const StatementToSign = z
  .object({
    statement: z.string(),
    /** The statement, base64url: an Act-Statement header of at most 11,000 characters carries it. */
    encoded: z.string(),
    /** Its reference (moment and nonce), base64url: what Act-Statement carries for a statement of any length. */
    reference: z.string(),
    signBefore: z.iso.datetime(),
    /** For a person: what the browser asks the authenticator to sign (`startAuthentication()`'s options). */
    passkey: PasskeyRequestOptions.optional(),
  })
  .meta({ id: 'StatementToSign' });
