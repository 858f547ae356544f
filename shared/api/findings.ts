import { z } from 'zod';
import { actedBy } from '../domain/acted-by';
import { signedAct } from '../domain/signed-act';
import {
  FindingEventType,
  FindingFlag,
  FindingState,
  SeverityRating,
  Tlp,
} from '../domain/clearinghouse/finding';
import { FINDING_MESSAGES } from '../domain/clearinghouse/messages';
import { Id } from '../domain/submission';
import { PageQuery } from './requests';

/** The clearinghouse's HTTP shapes (issue 15): a filing, and a finding as each reader may see it. */

/** A finding's id in a path: `F-` and 1 to 62 letters, digits, `_` or `-`. */
export const FindingId = z.string().regex(/^F-[A-Za-z0-9_-]{1,62}$/, 'a finding id, F-...');
export const FindingParams = z.strictObject({ findingId: FindingId });

/** A full case id, `<labId>:<submissionId>`. */
const CaseIdRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9_.-]{1,64}$/, 'a case id, <labId>:<submissionId>');

/**
 * Text a person writes, trimmed, at most `max` characters, and not only spaces: the pattern says so in the
 * OpenAPI document too, so a client (and the fuzzer) knows a blank string is refused.
 */
const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'not only spaces');

export const FileFindingBody = z
  .strictObject({
    /** The review case of the affected model, when there is one. */
    caseId: CaseIdRef.optional(),
    /** The affected lab: required from an agency when no case is named; a lab files about its own models. */
    labId: Id.optional(),
    title: text(200),
    description: text(20_000),
    /** The severity as a CVSS base vector, 2.0, 3.0, 3.1 or 4.0 (e.g. `CVSS:3.1/AV:N/AC:L/...`). */
    cvssVector: text(500),
    tlp: Tlp,
    /** A lab filing without a case: where this finding's callbacks go (a linked case's endpoint otherwise). */
    callbackUrl: z.url().max(2000).optional(),
  })
  .meta({
    id: 'FileFinding',
    examples: [
      {
        caseId: 'lab-a:sub-001',
        title: 'Model writes a working exploit for a known router CVE',
        description: 'Given the advisory text alone, the model produced a working exploit in 3 of 5 tries.',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        tlp: 'AMBER',
      },
    ],
  });
export type FileFindingBody = z.infer<typeof FileFindingBody>;

export const FindingFiled = z
  .object({ findingId: FindingId, created: z.boolean() })
  .meta({ id: 'FindingFiled' });

const Due = z.iso.datetime();

/** A finding as a list shows it, from visibility alone (eventually consistent). */
export const FindingListItem = z
  .object({
    findingId: z.string(),
    labId: z.string().optional(),
    caseId: z.string().optional(),
    state: FindingState.optional(),
    flags: z.array(FindingFlag),
    overdue: z.boolean(),
    nextDeadline: Due.optional(),
    running: z.boolean(),
    filedAt: Due,
  })
  .meta({ id: 'FindingListItem' });
export type FindingListItem = z.infer<typeof FindingListItem>;

/** One finding, read from its workflow: the detail only where its TLP lets the reader see it. */
export const FindingView = z
  .object({
    findingId: z.string(),
    labId: z.string(),
    caseId: z.string().optional(),
    state: FindingState,
    tlp: Tlp,
    severity: z.object({ rating: SeverityRating, score: z.number() }),
    flags: z.array(FindingFlag),
    receivedAt: Due,
    validationDue: Due,
    validatedAt: Due.optional(),
    remediationDue: Due.optional(),
    extended: z.boolean(),
    disclosureDue: Due.optional(),
    closedAt: Due.optional(),
    /** True when a detail exists that this reader may not see (its TLP). */
    detailWithheld: z.boolean(),
    detail: z
      .object({
        title: z.string(),
        description: z.string(),
        cvssVector: z.string(),
        cvssVersion: z.string(),
        filedBy: z.string(),
      })
      .optional(),
    timeline: z.array(
      z.object({
        seq: z.int(),
        type: FindingEventType,
        at: Due,
        actor: z.string(),
        /** A rejection's reason, a step's note: for those who see the detail. */
        note: z.string().optional(),
        /** Who acted (issue 36): the person or system, for the government side only. */
        by: actedBy().optional(),
        /** The act's signed statement and its proof, for the government side only. */
        signed: signedAct().optional(),
      }),
    ),
    callbacks: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
  })
  .meta({ id: 'Finding' });
export type FindingView = z.infer<typeof FindingView>;

export const FindingQuery = PageQuery.extend({
  state: FindingState.optional(),
  lab: Id.optional(),
  caseId: CaseIdRef.optional(),
  /** true: a deadline passed (VALIDATION_OVERDUE or REMEDIATION_OVERDUE). */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  flag: FindingFlag.optional(),
  /** true: not yet rejected, remediated or disclosed. */
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
}).strict();
export type FindingQuery = z.infer<typeof FindingQuery>;

export const FindingReceiptView = z
  .object({
    findingId: z.string(),
    state: FindingState,
    event: z.object({ seq: z.int(), type: z.string(), at: Due }),
  })
  .meta({ id: 'FindingReceipt' });

/** One example of each message's body, as the API reference shows it. */
const FINDING_MESSAGE_EXAMPLES: Record<keyof typeof FINDING_MESSAGES, Record<string, unknown>> = {
  validate: { note: 'Reproduced on the release candidate in the clearinghouse range.' },
  reject: { reason: 'Not reproducible on the weights under review.' },
  extend: { reason: 'The fix needs a fine-tuning run that ends in six weeks.' },
  remediated: { note: 'Fix verified on version 1.0.1.' },
  disclose: { note: 'Disclosed with the lab’s agreement.' },
};

/** A note or reason as the clearinghouse or the lab writes it; the gateway seals it before it is sent. */
const NoteText = text(4000);
const HTTP_BODIES = {
  validate: { note: NoteText.optional() },
  reject: { reason: NoteText },
  extend: { reason: NoteText },
  remediated: { note: NoteText.optional() },
  disclose: { note: NoteText.optional() },
} satisfies Record<keyof typeof FINDING_MESSAGES, z.ZodRawShape>;

/** The HTTP body of each message to a finding: its fields besides the actor, in plain text. */
export const findingMessageBody = (name: keyof typeof FINDING_MESSAGES) =>
  z.strictObject(HTTP_BODIES[name]).meta({
    id: `${name[0].toUpperCase()}${name.slice(1)}FindingBody`,
    examples: [FINDING_MESSAGE_EXAMPLES[name]],
  });
