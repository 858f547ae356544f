import type { ActEntry } from '../envelope';
import type { QueuedCallback } from '../queued-callback';
import { z } from 'zod';
import { Principal } from '../principal';
import { SEALED_NOTE } from '../sealed';
import { Id } from '../submission';

/**
 * One finding of the AI cybersecurity clearinghouse (Treasury, NSA, CISA; issue 15): a vulnerability found in
 * or by a covered model, validated, coordinated with its lab, and ended remediated or disclosed.
 *
 *   RECEIVED ──validate──> VALIDATED ──remediated──> REMEDIATED
 *      │   (5 business days)   │ (90 days, one extension on the lab's request)
 *      └──reject──> REJECTED   ├──disclose──> DISCLOSED
 *                              └── deadline + the policy's grace passes ──> DISCLOSED (TLP:CLEAR)
 *
 * A deadline that passes raises a flag (VALIDATION_OVERDUE, REMEDIATION_OVERDUE) for operations staff.
 */
export const FindingState = z.enum(['RECEIVED', 'VALIDATED', 'REJECTED', 'REMEDIATED', 'DISCLOSED']);
export type FindingState = z.infer<typeof FindingState>;
export const CLOSED_FINDING_STATES: readonly FindingState[] = ['REJECTED', 'REMEDIATED', 'DISCLOSED'];

export const FindingFlag = z.enum(['VALIDATION_OVERDUE', 'REMEDIATION_OVERDUE']);
export type FindingFlag = z.infer<typeof FindingFlag>;

/**
 * Traffic Light Protocol 2.0: who sees a finding's detail beyond the clearinghouse, the affected lab and the
 * filer. RED: no one else; AMBER: the agencies reviewing that model; GREEN: every agency (and early-access
 * operator); CLEAR: anyone.
 */
export const Tlp = z.enum(['RED', 'AMBER', 'GREEN', 'CLEAR']);
export type Tlp = z.infer<typeof Tlp>;

export const SeverityRating = z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
export type SeverityRating = z.infer<typeof SeverityRating>;

/**
 * A CVSS vector as the gateway scored it with a maintained library (shared/node/cvss.ts). The score and rating
 * are for everyone who knows of the finding; the vector and its version are detail, and reach Temporal sealed
 * with the notes key ring when the codec server's readers may not read the detail (gateway/codec-policy.ts).
 */
export const Severity = z.lazy(() =>
  z.strictObject({
    vector: z.union([z.string().regex(/^[A-Za-z0-9:./()]{1,500}$/), sealedField()]),
    version: z.union([z.enum(['2.0', '3.0', '3.1', '4.0']), sealedField()]),
    score: z.number().min(0).max(10),
    rating: SeverityRating,
  }),
);
export type Severity = z.infer<typeof Severity>;

/**
 * What only those the TLP allows may read: the finding's substance. Its title and description reach Temporal
 * sealed with the notes key ring (as restricted notes do), so whoever can read the workflow's history still
 * cannot read them; the gateway opens them for those the TLP allows.
 */
const sealedText = () => z.string().max(40_000).regex(SEALED_NOTE, 'must be sealed by the gateway');
/** A short field of the detail (the filer, the vector), sealed as a note is. */
const sealedField = () => z.string().max(2_000).regex(SEALED_NOTE, 'must be sealed by the gateway');
export const FindingDetail = z.lazy(() =>
  z.strictObject({
    title: sealedText(),
    description: sealedText(),
    severity: Severity,
  }),
);
export type FindingDetail = z.infer<typeof FindingDetail>;

/** The filing as the workflow starts with it: the gateway sets the filer and scores the vector. */
/* Lazy: every cached workflow shares the bundle, and only a finding's first run parses these. */
export const FindingFiling = z.lazy(() =>
  z.strictObject({
    findingId: Id,
    labId: Id,
    /** The review case of the model, when there is one (its case id, `<labId>:<submissionId>`). */
    caseId: z.string().min(3).max(130).optional(),
    /** The agencies reviewing that model (the case's roster), who see an AMBER finding. */
    reviewers: z
      .array(z.string().regex(/^[A-Z0-9_]{1,32}$/))
      .max(20)
      .default([]),
    /** Sealed as the vector is, when the codec server's readers may not read the detail. */
    filedBy: z.union([Principal, sealedField()]),
    tlp: Tlp,
    detail: FindingDetail,
    /** The lab's status-callback endpoint, for this finding's callbacks (the case's, when linked). */
    callbackUrl: z.url().max(2000).optional(),
    policyId: z.string().min(1).max(64),
  }),
);
export type FindingFiling = z.infer<typeof FindingFiling>;
export type FindingFilingInput = z.input<typeof FindingFiling>;

export const FindingEventType = z.enum([
  'FINDING_RECEIVED',
  'FINDING_VALIDATED',
  'FINDING_REJECTED',
  'REMEDIATION_EXTENDED',
  'VALIDATION_OVERDUE',
  'REMEDIATION_OVERDUE',
  'FINDING_REMEDIATED',
  'FINDING_DISCLOSED',
]);
export type FindingEventType = z.infer<typeof FindingEventType>;

/** An entry of the record's history; one a message made names who acted (../envelope.ts). */
export interface FindingEvent extends ActEntry {
  seq: number;
  type: FindingEventType;
  at: string;
  /** Why (a rejection's reason, a remediation's note); clearinghouse-only detail. */
  note?: string;
}

/** A status callback to the lab, queued until delivered (or given up on). */
/** A status callback to the lab, queued until delivered (its payload at the detail ./callbacks.ts allows). */
export type FindingCallback = QueuedCallback<FindingEventType>;

export interface FindingRecord {
  filing: FindingFiling;
  state: FindingState;
  flags: FindingFlag[];
  receivedAt: string;
  validationDue: string;
  validatedAt?: string;
  remediationDue?: string;
  extended: boolean;
  /** When the policy's disclosure rule discloses an overdue remediation. */
  disclosureDue?: string;
  closedAt?: string;
  tlp: Tlp;
  events: FindingEvent[];
  callbacks: FindingCallback[];
}
