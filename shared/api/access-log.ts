import { z } from 'zod';
import { Id } from '../domain/submission';
import { actedBy } from '../domain/acted-by';

/** What an access-log entry records. */
export const AccessAction = z.enum([
  /** A government principal read a case (its view, or a what-if projection of its deadlines). */
  'CASE_READ',
  /** Restricted notes were opened for the reader (`count`: how many; NSA's benchmark score counts as one). */
  'NOTES_OPENED',
  'RECORD_EXPORTED',
  /** A clearinghouse finding's detail was opened for the reader (`subject`: the finding id). */
  'FINDING_READ',
  /** Payloads of a case's history were decoded for a person (the codec server; `count`: how many). */
  'PAYLOADS_DECODED',
  'KEY_ISSUED',
  'KEY_ROTATED',
  'KEY_EXPIRY_SET',
  'KEY_REVOKED',
  /** A lab was added: its first key and its callback secret. */
  'LAB_ADDED',
  /** A lab rotated its callback secret, or completed the rotation (`subject`: the lab; issue 38). */
  'CALLBACK_SECRET_ROTATED',
  'CALLBACK_SECRET_ROTATION_COMPLETED',
  /** A system's signing key was registered (`subject`: `<API key id>/<signing key id>`) or revoked (issue 36). */
  'SIGNING_KEY_REGISTERED',
  'SIGNING_KEY_REVOKED',
  /** A person registered or revoked a passkey of theirs (`subject`: the credential's id; issue 36). */
  'PASSKEY_REGISTERED',
  'PASSKEY_REVOKED',
  /** An administrator ended a person's workbench sessions (`subject`: `<issuer> <subject>`; issue 37). */
  'SESSIONS_ENDED',
  /** An administrator enrolled a person for a lab or an operator, or removed them (`subject`: `<issuer> <subject>`; issue 38). */
  'PERSON_ENROLLED',
  'PERSON_REMOVED',
  /** Someone read this log. */
  'ACCESS_LOG_READ',
]);
export type AccessAction = z.infer<typeof AccessAction>;

export const AccessEntry = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    /** Who: the principal behind the credential. */
    principal: z.string(),
    /** Which credential. */
    keyId: z.string(),
    /** Who: the person signed in (issuer, subject, name), or the system holding the key (issue 36). */
    by: actedBy().optional(),
    action: AccessAction,
    /** The case (`<labId>:<submissionId>`), and its submission id. */
    caseId: z.string().optional(),
    submissionId: z.string().optional(),
    /** The key, lab or finding the action was about. */
    subject: z.string().optional(),
    count: z.int().nonnegative().optional(),
    requestId: z.string(),
  })
  .meta({ id: 'AccessEntry' });
export type AccessEntry = z.infer<typeof AccessEntry>;

const position = /^p[0-9]{1,15}$/;

export const AccessLogQuery = z.strictObject({
  /** One case, by its case id. */
  caseId: z
    .string()
    .regex(/^(?:[A-Za-z0-9_.-]{1,64}:)?[A-Za-z0-9_.-]{1,64}$/)
    .optional(),
  /** Every case filed under this submission id. */
  submissionId: Id.optional(),
  principal: z.string().min(1).max(200).optional(),
  action: AccessAction.optional(),
  since: z.iso.datetime().optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().regex(position, 'the nextCursor of a previous page').optional(),
});
export type AccessLogQuery = z.infer<typeof AccessLogQuery>;

export const cursorOf = (n: number): string => `p${n}`;
export const positionOf = (cursor: string): number => Number(cursor.slice(1));

export const AccessLogPage = z
  .object({ items: z.array(AccessEntry), nextCursor: z.string().optional() })
  .meta({ id: 'AccessLogPage' });
