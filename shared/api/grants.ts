import { z } from 'zod';
import { actedBy } from '../domain/acted-by';
import { Outcome } from '../domain/decisions';
import {
  GRANT_END_REASONS,
  GRANT_EVENT_TYPES,
  GRANT_ID,
  GRANT_STATES,
  OperatorId,
} from '../domain/grants/grant';
import type { GRANT_MESSAGES } from '../domain/grants/messages';
import { Id } from '../domain/submission';
import { PageQuery } from './requests';

/** The HTTP shapes of early-access grants (issue 14, part 4): a grant as its readers see it, and its messages. */

export const GrantState = z.enum(GRANT_STATES);
export const GrantEndReason = z.enum(GRANT_END_REASONS);

/** A grant's id in a path: `<labId>~<submissionId>~<operatorId>`. */
export const GrantId = z.string().regex(GRANT_ID, 'a grant id, <labId>~<submissionId>~<operatorId>');
export const GrantParams = z.strictObject({ grantId: GrantId });

const Instant = z.iso.datetime();

/** A grant as a list shows it, from visibility alone (eventually consistent). */
export const GrantListItem = z
  .object({
    grantId: z.string(),
    labId: z.string().optional(),
    caseId: z.string().optional(),
    /** `operator:<id>`. */
    operator: z.string().optional(),
    state: GrantState.optional(),
    nextDeadline: Instant.optional(),
    /** Whose the next deadline is: `lab` (its answer), or the operator (its access ends). */
    nextParty: z.string().optional(),
    running: z.boolean(),
    nominatedAt: Instant,
  })
  .meta({ id: 'GrantListItem' });
export type GrantListItem = z.infer<typeof GrantListItem>;

/**
 * One grant, read from its workflow (or, once retention removed it, from its permanent record). Everything in it
 * is unclassified; of the model, the operator sees only this summary.
 */
export const GrantView = z
  .object({
    grantId: z.string(),
    caseId: z.string(),
    labId: z.string(),
    operator: z.string(),
    nominatedBy: z.string(),
    reason: z.string(),
    model: z.object({
      name: z.string(),
      version: z.string(),
      outcome: Outcome,
      /** The determination's unclassified rationale. */
      summary: z.string(),
    }),
    policy: z.object({ id: z.string(), version: z.int() }),
    state: GrantState,
    endReason: GrantEndReason.optional(),
    nominatedAt: Instant,
    answerDue: Instant,
    approvedAt: Instant.optional(),
    /** When access ends by itself: the reported release plus 30 days, or the window's end plus 30. */
    endsAt: Instant.optional(),
    caseClosed: z.object({ reason: z.string(), at: Instant, releasedAt: Instant.optional() }).optional(),
    uses: z.int(),
    /** Earlier use reports the timeline leaves out (it shows the latest 20 under policy version 7). */
    usesOmitted: z.int(),
    closedAt: Instant.optional(),
    timeline: z.array(
      z.object({
        seq: z.int(),
        type: z.enum(GRANT_EVENT_TYPES),
        at: Instant,
        actor: z.string(),
        note: z.string().optional(),
        /** Who acted (issue 36): the person or system, for the government side only. */
        by: actedBy().optional(),
      }),
    ),
    callbacks: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
  })
  .meta({ id: 'Grant' });
export type GrantView = z.infer<typeof GrantView>;

export const GrantQuery = PageQuery.extend({
  state: GrantState.optional(),
  lab: Id.optional(),
  /** The case the grants are for, `<labId>:<submissionId>`. */
  caseId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.-]{1,64}$/, 'a case id, <labId>:<submissionId>')
    .optional(),
  /** The operator's id (not its principal). */
  operator: OperatorId.optional(),
}).strict();
export type GrantQuery = z.infer<typeof GrantQuery>;

export const GrantReceiptView = z
  .object({
    grantId: z.string(),
    state: GrantState,
    event: z.object({ seq: z.int(), type: z.string(), at: Instant }),
  })
  .meta({ id: 'GrantReceipt' });

/** Text a person writes, trimmed, not only spaces (the pattern tells clients and the fuzzer). */
const Text = z.string().trim().min(1).max(4000).regex(/\S/, 'not only spaces');
const HTTP_BODIES = {
  approve: { note: Text.optional() },
  decline: { note: Text.optional() },
  revoke: { reason: Text },
  reportUse: { note: Text },
} satisfies Record<keyof typeof GRANT_MESSAGES, z.ZodRawShape>;

const EXAMPLES: Record<keyof typeof GRANT_MESSAGES, Record<string, unknown>> = {
  approve: { note: 'Access through the evaluator gateway; keys by 9:00 tomorrow.' },
  decline: { note: 'Not before our own red team finishes.' },
  revoke: { reason: 'The operator shared outputs outside its security team.' },
  reportUse: { note: 'Ran our SCADA incident playbooks against the model.' },
};

/** The HTTP body of each message to a grant: its fields besides the actor. */
export const grantMessageBody = (name: keyof typeof GRANT_MESSAGES) =>
  z.strictObject(HTTP_BODIES[name]).meta({
    id: `${name[0].toUpperCase()}${name.slice(1)}GrantBody`,
    examples: [EXAMPLES[name]],
  });
