import { actedBy } from '../acted-by';
import { signedAct } from '../signed-act';
import type { LabStanding } from '../labs/standing';
import { z } from 'zod';
import type { Deadline } from '../deadlines';
import { DecisionKind, Outcome } from '../decisions';
import type { Policy, ReviewStageName } from '../policy';
import type { Actor } from '../principal';
import type { IntakeGap, ScreenResult, Submission } from '../submission';
import { EventType, LabEventType } from './events';
import type { Receipt } from './receipt';
import { FLAGS } from './flags';

/** Where a case is. The two review stages carry the policy's stage names. */
export const Stage = z.enum([
  'INTAKE',
  'DEFICIENT',
  'DESIGNATION',
  'NATIONAL_SECURITY',
  'CIVILIAN',
  'DETERMINATION',
  'PRE_RELEASE',
  'CLOSED',
]);
export type Stage = z.infer<typeof Stage>;

/** The stages of a case still under review: every stage but CLOSED. */
export const OPEN_STAGES = Stage.exclude(['CLOSED']).options;

export const ClosedReason = z.enum([
  'NOT_COVERED',
  'DEFICIENCY_NOT_CURED',
  'INSUFFICIENT_NOTICE',
  'WITHDRAWN',
  'RELEASED',
  'WINDOW_ENDED',
]);
export type ClosedReason = z.infer<typeof ClosedReason>;

export const Flag = z.enum(FLAGS);
export type Flag = z.infer<typeof Flag>;

export const RecordedDecision = z.object({
  kind: DecisionKind,
  summary: z.string(),
  restrictedNote: z.string().optional(),
  commitments: z.array(z.string()),
  recordedAt: z.iso.datetime(),
  recordedBy: z.string(),
  /** The lab shortened the window after acceptance and this silence fell at a compressed deadline. */
  silentAfterCompression: z.boolean().optional(),
});
export type RecordedDecision = z.infer<typeof RecordedDecision>;

export interface AgencySlot {
  agency: string;
  stage: ReviewStageName;
  required: boolean;
  decision?: RecordedDecision;
  extensionsUsed: number;
}

export interface InformationRequest {
  id: string;
  agency: string;
  stage: ReviewStageName;
  questions: string[];
  askedAt: string;
  /** The lab's due time to answer (policy: 3 business days). */
  dueAt: string;
  /** CLOSED_WITH_CASE (rules 2): the case closed while the request was open. */
  status: 'OPEN' | 'ANSWERED' | 'CLOSED_BY_DECISION' | 'CLOSED_WITH_CASE';
  answeredAt?: string;
  answer?: string;
  /** The lab was told it is late (once). */
  overdueNoticeAt?: string;
  /** Rules 2: the tolling cap ran out and the agency's clock resumed (the lab and agency were told once). */
  tollCapReachedAt?: string;
}

/** Rules 2: an unscheduled closure of federal offices (an executive order, OPM), as government state. */
export interface Closure {
  id: string;
  /** Washington dates, 'YYYY-MM-DD'. */
  dates: string[];
  reason: string;
  declaredAt: string;
}

export interface ExtensionOffer {
  id: string;
  proposedWindowEnd: string;
  offeredAt: string;
  response?: 'ACCEPTED' | 'DECLINED';
  respondedAt?: string;
}

export interface FundingLapse {
  id: string;
  reason: string;
  from: string;
  to?: string;
}

/**
 * Rules 3: the designating agency's call on the screen's proposal (./designation.ts). The benchmark score is
 * the agency's restricted field, sealed by the gateway like a restricted note; the lab never sees it.
 */
export interface Designation {
  agency: string;
  proposal: ScreenResult;
  decision?: {
    covered: boolean;
    /** Unclassified, for the lab. */
    reason: string;
    /** AGENCY: the agency designated; PROPOSAL_STANDS: it was silent until its deadline. */
    source: 'AGENCY' | 'PROPOSAL_STANDS';
    at: string;
    by: Actor;
  };
  /** The benchmark's result, sealed (shared/node/note-seal.ts). */
  benchmarkScore?: string;
}

export interface Escalation {
  at: string;
  unresolvedAgencies: string[];
  resolvedAt?: string;
  resolvedBy?: Actor;
}

/** Rules 6: one nomination for early access, and how far the case has handed it on. */
export interface GrantLink {
  grantId: string;
  /** `operator:<id>`. */
  operator: string;
  nominatedBy: string;
  reason: string;
  at: string;
  /** Its workflow was started. */
  started?: true;
  /** It was told how the case closed. */
  told?: true;
}

/** Rules 4: one commitment of a determination, with the agency that asked for it (or the chair). */
export const OwnedCommitment = z.object({
  commitmentId: z.string(),
  text: z.string(),
  owner: z.string(),
});
export type OwnedCommitment = z.infer<typeof OwnedCommitment>;

export const Determination = z.object({
  outcome: Outcome,
  rationale: z.string(),
  commitments: z.array(z.string()),
  /** Rules 4: the commitments with their owners, each tracked in a workflow of its own (its id names it). */
  owned: z.array(OwnedCommitment).optional(),
  agencySummaries: z.array(z.object({ agency: z.string(), kind: DecisionKind, summary: z.string() })),
  issuedAt: z.iso.datetime(),
  by: z.enum(['RULE', 'CHAIR']),
  flags: z.array(Flag),
});
export type Determination = z.infer<typeof Determination>;

export const TimelineEntry = z.object({
  seq: z.int().positive(),
  at: z.iso.datetime(),
  actor: z.string(),
  type: EventType,
  summary: z.string(),
  /** What the lab reads instead of `summary`, where that says more than the lab may know. */
  labSummary: z.string().optional(),
  /** Who acted, for an act a message made (issue 36); never in the lab's view. */
  by: actedBy().optional(),
  /** The signed statement and its proof, for an act its sender signed (../signed-act.ts); never in the lab's view. */
  signed: z.lazy(signedAct).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** An event the lab is told about through its callback; unclassified by construction. */
export const LabEvent = z.object({
  id: z.string(),
  submissionId: z.string(),
  sequence: z.int().positive(),
  type: LabEventType,
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});
export type LabEvent = z.infer<typeof LabEvent>;

/** Why a delivery failed, in the terms a lab may see; operations staff see the detail too. */
export const CallbackErrorCategory = z.enum([
  'TIMEOUT',
  'CONNECTION_FAILED',
  'HTTP_3XX',
  'HTTP_4XX',
  'HTTP_5XX',
  'ENDPOINT_NOT_ALLOWED',
  'NOT_CONFIGURED',
  'GAVE_UP',
  'FAILED',
]);
export type CallbackErrorCategory = z.infer<typeof CallbackErrorCategory>;

/** One delivery outcome of a lab event. */
export interface Delivery {
  eventId: string;
  status: 'DELIVERED' | 'FAILED';
  at: string;
  /** The attempt that succeeded. */
  attempts?: number;
  httpStatus?: number;
  error?: string;
  category?: CallbackErrorCategory;
  endpoint: string;
}

/**
 * The delivery ledger of the lab's status callbacks. Events go out one at a time in sequence order; an event
 * that fails past the give-up horizon blocks those behind it (order is part of the contract) until operations
 * staff redeliver or the lab changes its endpoint.
 */
export interface CallbackLedger {
  /** Index in labEvents of the next event to send in order. */
  cursor: number;
  /** The event holding the line after it failed; cleared by a redelivery or an endpoint change. */
  blockedOn?: string;
  /** Already-delivered events operations asked to send again (at least once; receivers de-duplicate). */
  redeliver: string[];
  deliveries: Delivery[];
  /** Bumped when the lab changes its endpoint, so the attempt in flight is abandoned and sent again. */
  endpointChanges?: number;
}

/** Everything one review knows. Lives only in the workflow; the status query projects it. */
export interface CaseState {
  /**
   * The rules version the case runs under (./rules.ts), pinned when it starts; absent is version 1, the
   * released behaviour that every case started before release 2 keeps.
   */
  rules?: 2 | 3 | 4 | 5 | 6 | 7;
  submission: Submission;
  receivedAt: string;
  stage: Stage;
  closedReason?: ClosedReason;
  closedAt?: string;
  policy?: Policy;
  /** The policy intake found in force, before one is pinned at acceptance (its budgets bound a deficient filing). */
  intakePolicy?: Policy;
  acceptedAt?: string;
  screen?: ScreenResult;
  /** Rules 3, under a policy with a designating agency: the screen's proposal and the agency's designation. */
  designation?: Designation;
  deficiency?: { gaps: IntakeGap[]; since: string };
  shortNotice: boolean;
  /** Government deadlines the lab compressed by moving its release earlier after acceptance. */
  compressedByLab?: string[];
  deadlines: Record<string, Deadline>;
  agencies: AgencySlot[];
  informationRequests: InformationRequest[];
  extensionOffers: ExtensionOffer[];
  fundingLapses: FundingLapse[];
  /** Rules 2: closures of federal offices declared while the case is open (or before, when it was accepted). */
  closures?: Closure[];
  escalation?: Escalation;
  determination?: Determination;
  release?: { releasedAt: string; reportedAt: string; early: boolean };
  timeline: TimelineEntry[];
  labEvents: LabEvent[];
  callbacks: CallbackLedger;
  /**
   * The receipts of the latest messages, by update id: Temporal recognises a retried update only within one
   * run, so a retry that arrives after the case continued as new is answered from here, not applied again.
   */
  receipts: Record<string, Receipt>;
  /** Rules 4: the commitments whose workflows have been started (their ids), in the determination's order. */
  commitmentsTracked?: string[];
  /**
   * Rules 5: the lab's trusted-partner status at acceptance (issue 14, part 3), pinned as the policy is; a lab
   * with no record yet is a PARTICIPANT.
   */
  labStanding?: LabStanding;
  /** Rules 5: the facts of this case its lab's record has been told (accepted, closed). */
  labReported?: ('ACCEPTED' | 'CLOSED')[];
  /** Rules 6: the operators nominated for early access, each grant in a workflow of its own (./grants.ts). */
  grants?: GrantLink[];
  /** Bumped by every accepted message, so the main loop knows to re-evaluate. */
  version: number;
}
