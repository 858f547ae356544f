import type { ActEntry } from '../envelope';
import type { QueuedCallback } from '../queued-callback';
import type { Bounds } from '../bounds';
import type { CommitmentStanding } from '../commitments/commitment';
import type { Outcome } from '../decisions';
import type { ClosedReason } from '../review/state';
import type { LabStanding, LabStatus } from './standing';

/**
 * A lab's long-lived record (issue 14, part 3): one workflow per lab (workflows/lab) holds its cases and their
 * outcomes, its early releases, its commitments kept, broken or overdue, and its trusted-partner status.
 *
 *   PARTICIPANT ──designate (the chair, with a reason)──> TRUSTED_PARTNER ──revoke (the chair)──> PARTICIPANT
 *
 * Its cases and commitments report their facts to it (a case at acceptance and at closing, a commitment at each
 * change of standing); the policy in force proposes eligibility from them (./eligibility.ts), the chair decides,
 * and each case pins the status in force at its acceptance. The lab is told of every change of status.
 */
export { LAB_STATUSES, type LabStanding, type LabStatus } from './standing';

/** One of the lab's cases, as its facts left it. */
export interface LabCase {
  caseId: string;
  submissionId: string;
  acceptedAt: string;
  policy: { id: string; version: number };
  statusAtAcceptance: LabStatus;
  closedAt?: string;
  closedReason?: ClosedReason;
  outcome?: Outcome;
  releasedAt?: string;
  /** Released before its window ended (domain.md section 3): not eligible for trusted-partner status. */
  earlyRelease?: boolean;
}

/** One of the lab's commitments, by its last reported standing. */
export interface LabCommitment {
  commitmentId: string;
  caseId: string;
  owner: string;
  standing: CommitmentStanding;
  at: string;
}

export const LAB_EVENT_TYPES = [
  'CASE_ACCEPTED',
  'CASE_CLOSED',
  'COMMITMENT_STANDING',
  'TRUSTED_PARTNER_DESIGNATED',
  'TRUSTED_PARTNER_REVOKED',
] as const;
export type LabEventType = (typeof LAB_EVENT_TYPES)[number];

/** The status changes the lab is told of, each a signed callback. */
export const LAB_CALLBACK_TYPES = ['TRUSTED_PARTNER_DESIGNATED', 'TRUSTED_PARTNER_REVOKED'] as const;
export type LabCallbackType = (typeof LAB_CALLBACK_TYPES)[number];

/** An entry of the record's history; one a message made names who acted (../envelope.ts). */
export interface LabEvent extends ActEntry {
  seq: number;
  type: LabEventType;
  at: string;
  /** The case or commitment the fact is about. */
  subject?: string;
  /** The chair's reason, or what the fact says (an outcome, a standing). */
  note?: string;
}

export interface LabCallback extends QueuedCallback<LabCallbackType> {
  /** The lab's latest case when the change was made (the callback's envelope names it). */
  submissionId: string;
}

export interface StatusChange {
  status: LabStatus;
  at: string;
  by: string;
  reason: string;
  /** Whether the policy in force proposed the lab as eligible when the chair decided. */
  eligible: boolean;
}

export interface LabRecord {
  labId: string;
  status: LabStatus;
  /** Every designation and revocation, oldest first. */
  statusHistory: StatusChange[];
  cases: LabCase[];
  commitments: LabCommitment[];
  events: LabEvent[];
  /** The next timeline entry's number (entries older than the run's keep are dropped, numbers never reused). */
  nextSeq: number;
  callbacks: LabCallback[];
  /** The lab's latest case's status-callback endpoint and submission: where status changes are told. */
  endpoint?: { url: string; submissionId: string };
  /** Release 7: the bounds pinned when the record's first bounded run started (policy version 7's numbers). */
  bounds?: Bounds;
  /** Release 7: what a run folded away when it handed the record on (./bounds.ts), counted. */
  earlier?: EarlierRecord;
  /** Signals it ignored: not sealed, or sealed for another workflow or signal (workflows/binding.ts). */
  ignoredSignals?: number;
}

/**
 * What a record no longer carries item by item, counted (release 7): its oldest closed cases, settled
 * commitments and status changes, beyond the policy's `labs.kept` of each. Eligibility counts them too.
 */
export interface EarlierRecord {
  cases: number;
  /** Of those cases, the completed reviews (eligibility's first rule). */
  completedReviews: number;
  /** When each of those cases was released early (eligibility's look-back), the latest `labs.kept`. */
  earlyReleases: string[];
  commitments: { kept: number; broken: number };
  statusChanges: number;
}

export const emptyLabRecord = (labId: string): LabRecord => ({
  labId,
  status: 'PARTICIPANT',
  statusHistory: [],
  cases: [],
  commitments: [],
  events: [],
  nextSeq: 1,
  callbacks: [],
});

export const standingOfLab = (r: LabRecord): LabStanding => {
  const last = r.statusHistory.at(-1);
  return { status: r.status, ...(last === undefined ? {} : { since: last.at }) };
};
