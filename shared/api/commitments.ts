import { z } from 'zod';
import { actedBy } from '../domain/acted-by';
import {
  COMMITMENT_EVENT_TYPES,
  COMMITMENT_FLAGS,
  COMMITMENT_ID,
  COMMITMENT_STANDINGS,
  COMMITMENT_STATES,
} from '../domain/commitments/commitment';
import type { COMMITMENT_MESSAGES } from '../domain/commitments/messages';
import { Outcome } from '../domain/decisions';
import { Id } from '../domain/submission';
import { PageQuery } from './requests';

/** The HTTP shapes of commitments (issue 14, part 2): a commitment as its readers see it, and its messages. */

export const CommitmentState = z.enum(COMMITMENT_STATES);
export const CommitmentStanding = z.enum(COMMITMENT_STANDINGS);
export const CommitmentFlag = z.enum(COMMITMENT_FLAGS);

/** A commitment's id in a path: `<labId>~<submissionId>~<n>`. */
export const CommitmentId = z.string().regex(COMMITMENT_ID, 'a commitment id, <labId>~<submissionId>~<n>');
export const CommitmentParams = z.strictObject({ commitmentId: CommitmentId });

const Due = z.iso.datetime();

/** A commitment as a list shows it, from visibility alone (eventually consistent). */
export const CommitmentListItem = z
  .object({
    commitmentId: z.string(),
    labId: z.string().optional(),
    caseId: z.string().optional(),
    owner: z.string().optional(),
    state: CommitmentState.optional(),
    flags: z.array(CommitmentFlag),
    overdue: z.boolean(),
    nextDeadline: Due.optional(),
    /** Whose the next deadline is: `lab`, or the owner. */
    nextParty: z.string().optional(),
    running: z.boolean(),
    openedAt: Due,
  })
  .meta({ id: 'CommitmentListItem' });
export type CommitmentListItem = z.infer<typeof CommitmentListItem>;

/** One commitment, read from its workflow (or, once retention removed it, from its permanent record). */
export const CommitmentView = z
  .object({
    commitmentId: z.string(),
    caseId: z.string(),
    labId: z.string(),
    text: z.string(),
    owner: z.string(),
    outcome: Outcome,
    determinedAt: Due,
    policy: z.object({ id: z.string(), version: z.int() }),
    state: CommitmentState,
    standing: CommitmentStanding,
    flags: z.array(CommitmentFlag),
    openedAt: Due,
    dueAt: Due,
    attestedAt: Due.optional(),
    confirmationDue: Due.optional(),
    closedAt: Due.optional(),
    timeline: z.array(
      z.object({
        seq: z.int(),
        type: z.enum(COMMITMENT_EVENT_TYPES),
        at: Due,
        actor: z.string(),
        /** The lab's statement, the owner's note or reason (unclassified). */
        note: z.string().optional(),
        /** Who acted (issue 36): the person or system, for the government side only. */
        by: actedBy().optional(),
      }),
    ),
    callbacks: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
  })
  .meta({ id: 'Commitment' });
export type CommitmentView = z.infer<typeof CommitmentView>;

const Bool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const CommitmentQuery = PageQuery.extend({
  state: CommitmentState.optional(),
  lab: Id.optional(),
  /** The case the commitments came from, `<labId>:<submissionId>`. */
  caseId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.-]{1,64}$/, 'a case id, <labId>:<submissionId>')
    .optional(),
  /** `agency:<ID>` or `chair`. */
  owner: z
    .string()
    .regex(/^(agency:[A-Z0-9_]{1,32}|chair)$/, 'agency:<ID> or chair')
    .optional(),
  /** true: past its due date and not attested (OVERDUE, open). */
  overdue: Bool,
  /** true: not yet confirmed, disputed or closed overdue. */
  open: Bool,
}).strict();
export type CommitmentQuery = z.infer<typeof CommitmentQuery>;

export const CommitmentReceiptView = z
  .object({
    commitmentId: z.string(),
    state: CommitmentState,
    event: z.object({ seq: z.int(), type: z.string(), at: Due }),
  })
  .meta({ id: 'CommitmentReceipt' });

/** Text a person writes, trimmed, not only spaces (the pattern tells clients and the fuzzer). */
const Text = z.string().trim().min(1).max(4000).regex(/\S/, 'not only spaces');
const HTTP_BODIES = {
  attest: { statement: Text },
  confirm: { note: Text.optional() },
  dispute: { reason: Text },
} satisfies Record<keyof typeof COMMITMENT_MESSAGES, z.ZodRawShape>;

const EXAMPLES: Record<keyof typeof COMMITMENT_MESSAGES, Record<string, unknown>> = {
  attest: { statement: 'The refusal layer shipped enabled in release 1.0 (build 4411).' },
  confirm: { note: 'Verified on the public endpoint.' },
  dispute: { reason: 'The layer is disabled in the open-weights build.' },
};

/** The HTTP body of each message to a commitment: its fields besides the actor. */
export const commitmentMessageBody = (name: keyof typeof COMMITMENT_MESSAGES) =>
  z.strictObject(HTTP_BODIES[name]).meta({
    id: `${name[0].toUpperCase()}${name.slice(1)}CommitmentBody`,
    examples: [EXAMPLES[name]],
  });
