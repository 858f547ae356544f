import type { ActEntry } from '../envelope';
import type { QueuedCallback } from '../queued-callback';
import { z } from 'zod';
import { Outcome } from '../decisions';
import { Id } from '../submission';
import { Holiday } from '../washington/holidays';
import { CommitmentTerms } from './terms';

/**
 * One commitment of a determination (issue 14), with the agency that asked for it (or the chair, for its own).
 * It runs in a workflow of its own, started by its review when the determination is issued, so it outlives the
 * review and a closed review does not hold it:
 *
 *   OPEN ──attest (the lab)──> ATTESTED ──confirm (the owner)──────────────────> CONFIRMED   (kept)
 *    │                           │  └─────the owner silent until its deadline──> CONFIRMED   (kept, by silence)
 *    │                           └────dispute (the owner)──────────────────────> DISPUTED    (broken)
 *    └─ due date passes ─> OVERDUE (flagged, until the lab attests) ──attest (late)──> ATTESTED ...
 *
 * Every step is a timeline entry and a signed callback to the lab; an overdue commitment is flagged to
 * operations staff (lists, counts, the dashboard) and the lab.
 */
/* The workflow only produces these shapes, so their schemas are built on first use (the API's, the docs'). */
export const COMMITMENT_STATES = ['OPEN', 'ATTESTED', 'CONFIRMED', 'DISPUTED', 'OVERDUE'] as const;
export type CommitmentState = (typeof COMMITMENT_STATES)[number];

/** How a commitment counts for its lab's record: kept, broken, or not yet (overdue or not). */
export const COMMITMENT_STANDINGS = ['PENDING', 'OVERDUE', 'KEPT', 'BROKEN'] as const;
export type CommitmentStanding = (typeof COMMITMENT_STANDINGS)[number];

/** What the record says of how it got where it is. */
export const COMMITMENT_FLAGS = ['ATTESTED_LATE', 'CONFIRMED_BY_SILENCE'] as const;
export type CommitmentFlag = (typeof COMMITMENT_FLAGS)[number];

/** Who owns a commitment: the agency that asked for it (`agency:<ID>`), or the chair for its own. */
export const COMMITMENT_OWNER = /^(agency:[A-Z0-9_]{1,32}|chair)$/;

/** `<labId>~<submissionId>~<n>`: the case it came from, readable, and safe in a URL (`~` is in no id). */
export const COMMITMENT_ID = /^[A-Za-z0-9_.-]{1,64}~[A-Za-z0-9_.-]{1,64}~[1-9][0-9]{0,2}$/;

export const commitmentIdOf = (labId: string, submissionId: string, n: number): string =>
  `${labId}~${submissionId}~${n}`;

/** The commitment as its review hands it over, with the terms and calendar of the case's pinned policy. */
/* Lazy: every cached workflow shares the bundle, and only a commitment's first run parses these. */
export const CommitmentFiling = z.lazy(() =>
  z.strictObject({
    commitmentId: z.string().regex(COMMITMENT_ID),
    caseId: z.string().min(3).max(130),
    labId: Id,
    submissionId: Id,
    text: z.string().min(1).max(1000),
    owner: z.string().regex(COMMITMENT_OWNER),
    /** The agencies that reviewed the model (the case's roster): they may know of the commitment. */
    reviewers: z
      .array(z.string().regex(/^[A-Z0-9_]{1,32}$/))
      .max(20)
      .default([]),
    outcome: Outcome,
    determinedAt: z.iso.datetime(),
    policy: z.strictObject({ id: z.string(), version: z.int().positive() }),
    terms: CommitmentTerms,
    /** Washington's close of business and the policy's holidays: government periods keep them. */
    calendar: z.strictObject({ closeOfBusiness: z.string(), holidays: z.array(Holiday) }),
    /** The case's status-callback endpoint when the determination was issued. */
    callbackUrl: z.url().max(2000).optional(),
    /** Rules 5 (release 5): each change of standing is told to the lab's record; absent before. */
    tellsLabRecord: z.literal(true).optional(),
  }),
);
export type CommitmentFiling = z.infer<typeof CommitmentFiling>;
export type CommitmentFilingInput = z.input<typeof CommitmentFiling>;

export const COMMITMENT_EVENT_TYPES = [
  'COMMITMENT_OPENED',
  'COMMITMENT_ATTESTED',
  'COMMITMENT_CONFIRMED',
  'COMMITMENT_DISPUTED',
  'COMMITMENT_OVERDUE',
] as const;
export type CommitmentEventType = (typeof COMMITMENT_EVENT_TYPES)[number];

/** An entry of the record's history; one a message made names who acted (../envelope.ts). */
export interface CommitmentEvent extends ActEntry {
  seq: number;
  type: CommitmentEventType;
  at: string;
  /** The lab's statement, the owner's note or reason: unclassified, for the lab as for the government. */
  note?: string;
}

/** A status callback to the lab, queued until delivered (or given up on), as a finding's are. */
export type CommitmentCallback = QueuedCallback<CommitmentEventType>;

export interface CommitmentRecord {
  filing: CommitmentFiling;
  state: CommitmentState;
  flags: CommitmentFlag[];
  openedAt: string;
  /** The lab attests by then (the determination plus the terms' `due`). */
  dueAt: string;
  attestedAt?: string;
  /** The owner confirms or disputes by then, or the attestation stands. */
  confirmationDue?: string;
  closedAt?: string;
  events: CommitmentEvent[];
  callbacks: CommitmentCallback[];
  /** Release 5: the standing the lab's record was last told (issue 14, part 3). */
  reportedStanding?: CommitmentStanding;
}

/** How the commitment counts for its lab: kept (confirmed), broken (disputed), overdue, or not yet. */
export function standingOf(r: Pick<CommitmentRecord, 'state'>): CommitmentStanding {
  if (r.state === 'CONFIRMED') return 'KEPT';
  if (r.state === 'DISPUTED') return 'BROKEN';
  return r.state === 'OVERDUE' ? 'OVERDUE' : 'PENDING';
}
