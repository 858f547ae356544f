import type { ActEntry } from '../envelope';
import type { QueuedCallback } from '../queued-callback';
import { z } from 'zod';
import type { Bounds } from '../bounds';
import { Outcome } from '../decisions';
import { Id } from '../submission';
import { Holiday } from '../washington/holidays';
import { earlyAccessTermsSchema } from './terms';

/**
 * One early-access grant (issue 14, part 4): a critical-infrastructure operator's access to a model before its
 * public release. CISA nominates the operator on the case (a message to the review, in PRE_RELEASE); the case
 * starts the grant's workflow, which outlives it:
 *
 *   NOMINATED ──approve (the lab)─────────────────────> ACTIVE ──until its end───────────> ENDED (EXPIRED)
 *       │  ├───decline (the lab)──> DECLINED               │  ├─the case withdrawn────────> ENDED (WITHDRAWN)
 *       │  └───the lab silent, or the case closed ──> LAPSED │  └─revoke (lab, CISA, operator)> ENDED (REVOKED)
 *       └──revoke (CISA or the operator) ─> ENDED (REVOKED)   └─ use reported (the operator), any number of times
 *
 * Its end: the public release the case records plus the terms' `afterRelease`; with none reported, the window's
 * end plus `afterWindow`. Every step is a timeline entry and a signed callback to the lab on the case's endpoint.
 */
export const GRANT_STATES = ['NOMINATED', 'ACTIVE', 'DECLINED', 'LAPSED', 'ENDED'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export const GRANT_END_REASONS = ['EXPIRED', 'WITHDRAWN', 'REVOKED'] as const;
export type GrantEndReason = (typeof GRANT_END_REASONS)[number];

/** An operator's id, as a lab's: `operator:<id>` is its principal. */
export const OperatorId = Id;

/** `<labId>~<submissionId>~<operatorId>`: one grant per operator per case, readable and safe in a URL. */
export const GRANT_ID = /^[A-Za-z0-9_.-]{1,64}~[A-Za-z0-9_.-]{1,64}~[A-Za-z0-9_.-]{1,64}$/;
export const grantIdOf = (labId: string, submissionId: string, operatorId: string): string =>
  `${labId}~${submissionId}~${operatorId}`;

/** The grant as its case hands it over: who, for which model, its summary, and the terms of the pinned policy. */
/* Built on first use: every cached workflow shares the bundle, and only a grant's first run parses these. */
const buildFiling = () =>
  z.strictObject({
    grantId: z.string().regex(GRANT_ID),
    caseId: z.string().min(3).max(130),
    labId: Id,
    submissionId: Id,
    /** `operator:<id>`. */
    operator: z.string().regex(/^operator:[A-Za-z0-9_.-]{1,64}$/),
    /** The agency that nominated it (`agency:<ID>`), and why. */
    nominatedBy: z.string().regex(/^agency:[A-Z0-9_]{1,32}$/),
    reason: z.string().min(1).max(4000),
    nominatedAt: z.iso.datetime(),
    /** What the operator may read of the model: unclassified, as the lab reads it. */
    summary: z.strictObject({
      model: z.strictObject({ name: z.string(), version: z.string() }),
      outcome: Outcome,
      rationale: z.string(),
    }),
    /** The case's window end at the nomination: with no release reported, the grant ends after it. */
    windowEndsAt: z.iso.datetime(),
    policy: z.strictObject({ id: z.string(), version: z.int().positive() }),
    terms: earlyAccessTermsSchema(),
    /** Washington's close of business and the policy's holidays: the lab's answer keeps them. */
    calendar: z.strictObject({ closeOfBusiness: z.string(), holidays: z.array(Holiday) }),
    /** The case's status-callback endpoint at the nomination. */
    callbackUrl: z.url().max(2000).optional(),
  });
let filing: ReturnType<typeof buildFiling> | undefined;
export const grantFilingSchema = (): ReturnType<typeof buildFiling> => (filing ??= buildFiling());
export type GrantFiling = z.infer<ReturnType<typeof buildFiling>>;
export type GrantFilingInput = z.input<ReturnType<typeof buildFiling>>;

export const GRANT_EVENT_TYPES = [
  'GRANT_NOMINATED',
  'GRANT_APPROVED',
  'GRANT_DECLINED',
  'GRANT_LAPSED',
  'GRANT_USE_REPORTED',
  'GRANT_END_SET',
  'GRANT_REVOKED',
  'GRANT_WITHDRAWN',
  'GRANT_EXPIRED',
] as const;
export type GrantEventType = (typeof GRANT_EVENT_TYPES)[number];

/** An entry of the record's history; one a message made names who acted (../envelope.ts). */
export interface GrantEvent extends ActEntry {
  seq: number;
  type: GrantEventType;
  at: string;
  /** The lab's, the operator's or CISA's words: unclassified, for everyone who may know of the grant. */
  note?: string;
}

/** A status callback to the lab, queued until delivered (or given up on), as a commitment's are. */
export type GrantCallback = QueuedCallback<GrantEventType>;

/** How the case closed, as the case tells its grants. */
export interface CaseClosing {
  reason: string;
  at: string;
  /** The public release the lab reported, when it closed the case. */
  releasedAt?: string;
}

export interface GrantRecord {
  filing: GrantFiling;
  state: GrantState;
  /** The lab approves or declines by then; silence declines. */
  answerDue: string;
  approvedAt?: string;
  /** When an active grant ends by itself: the release (or the window's end) plus the terms' days. */
  endsAt?: string;
  /** The case's closing, once it told the grant. */
  caseClosed?: CaseClosing;
  endReason?: GrantEndReason;
  /** How many times the operator reported that access was used. */
  uses: number;
  /** Signals it ignored: not sealed, or sealed for another workflow or signal (workflows/binding.ts). */
  ignoredSignals?: number;
  closedAt?: string;
  events: GrantEvent[];
  callbacks: GrantCallback[];
  /** Release 7: the bounds pinned when the grant's first bounded run started (policy version 7's numbers). */
  bounds?: Bounds;
}
