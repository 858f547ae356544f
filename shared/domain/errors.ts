import { ApplicationFailure } from '@temporalio/common';

/**
 * The one catalogue of stable error codes. A code is never reused for another meaning. Workflow update
 * validators reject with an ApplicationFailure whose `type` is the code; the gateway maps the code to its
 * HTTP status and an RFC 9457 problem document.
 */
export const ERRORS = {
  // Input and identity
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Missing, unknown, expired or revoked credential' },
  FORBIDDEN: { status: 403, title: 'Not permitted for this principal' },
  NOT_ENTITLED: { status: 403, title: 'This principal may not act on this case now' },
  CASE_NOT_FOUND: { status: 404, title: 'No such case' },
  CASE_ID_AMBIGUOUS: {
    status: 409,
    title:
      'More than one lab filed under that submission id; name the case by its case id (<labId>:<submissionId>)',
  },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  RECORD_NOT_FOUND: {
    status: 404,
    title: 'No permanent record of this case: it is still open, or its record is still being written',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send the body as application/json' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'This resource does not answer that method (see Allow)' },
  URI_TOO_LONG: { status: 414, title: 'The request URI is too long' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  CURSOR_NOT_VALID: {
    status: 422,
    title:
      'The cursor is not one this list gave out, or the filters changed; start again from the first page',
  },
  PREVIOUS_SUBMISSION_UNKNOWN: {
    status: 422,
    field: 'previousSubmissionId',
    title: 'previousSubmissionId names none of this lab’s cases',
  },
  SUBMISSION_ID_TAKEN: {
    status: 409,
    title: 'That submission id or Idempotency-Key already names a different filing',
  },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  PAYLOAD_NOT_SEALED: {
    status: 400,
    title: 'The message was not sealed with a key of this deployment (it did not come through the gateway)',
  },
  MESSAGE_NOT_BOUND: {
    status: 400,
    title:
      'The message was sealed for another case, record or message, or names none (a copy replayed from elsewhere)',
  },
  SIGNATURE_REQUIRED: {
    status: 422,
    title:
      'This act must be signed under the policy (a person signs with a passkey, a system with its registered key)',
  },
  SIGNATURE_INVALID: {
    status: 422,
    title:
      'The act’s signature does not hold: it does not verify, its statement says something else or was signed for another case, it expired, or its key is not registered or was revoked',
  },
  // Case state
  CASE_CLOSED: { status: 409, title: 'The case is closed' },
  WRONG_STAGE: { status: 409, title: 'The action does not belong to the stage that is open now' },
  NOT_DEFICIENT: { status: 409, title: 'The case is not waiting for a supplement' },
  NOT_ACCEPTED: { status: 409, title: 'The case has not been accepted yet' },
  ALREADY_DECIDED: {
    status: 409,
    title: 'This agency has already decided in this stage; the first decision stands',
  },
  DEADLINE_PASSED: { status: 409, title: 'The deadline for this action has passed' },
  INFORMATION_REQUEST_OPEN: {
    status: 409,
    title: 'This agency already has an open information request',
    field: 'questions',
  },
  INFORMATION_REQUEST_NOT_OPEN: { status: 409, title: 'No open information request with that id' },
  EXTENSION_ALREADY_USED: {
    status: 422,
    title: 'This agency has already extended its deadline',
    field: 'days',
  },
  EXTENSION_TOO_LONG: { status: 422, title: 'The extension is longer than the policy allows', field: 'days' },
  NO_EXTENSION_OFFER: { status: 409, title: 'No window extension is on offer' },
  NOT_ESCALATED: { status: 409, title: 'The case is not escalated to the chair' },
  RELEASE_DATE_INVALID: {
    status: 422,
    title: 'The release date is not acceptable',
    field: 'plannedReleaseDate',
  },
  CALLBACK_URL_UNSAFE: {
    status: 422,
    field: 'callbackUrl',
    title:
      'The callback URL is not one the service may call: https, an allowed port and host, a public address',
  },
  NO_CHANGE: { status: 409, title: 'The message would change nothing' },
  MESSAGE_BUDGET_EXHAUSTED: {
    status: 422,
    title: "This principal has sent this case as many of these messages as the case's policy allows",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    title: 'That Idempotency-Key already applied a different request; use a new key for a new action',
  },
  FUNDING_LAPSE_ACTIVE: { status: 409, title: 'A funding lapse is already tolling the clocks' },
  FUNDING_LAPSE_NOT_ACTIVE: { status: 409, title: 'No funding lapse with that id is tolling the clocks' },
  FUNDING_LAPSE_ENDED: {
    status: 409,
    title: 'A funding lapse with that id has already ended; a new lapse needs a new id',
  },
  CLOSURE_ALREADY_DECLARED: {
    status: 409,
    title: 'A closure with that id is already declared (with these or other dates)',
  },
  CLOSURE_IN_THE_PAST: {
    status: 422,
    field: 'dates',
    title: 'A closure can only be declared for today or later (Washington)',
  },
  RULES_TOO_OLD: {
    status: 409,
    title: 'The case runs under rules that predate this action (release 1 cases know no closures)',
  },
  NOTHING_TO_REDELIVER: { status: 409, title: 'No callback to redeliver' },
  CALLBACK_EVENT_NOT_FOUND: { status: 404, title: 'No such callback event on this case' },
  // The clearinghouse's findings
  FINDING_NOT_FOUND: { status: 404, title: 'No such finding, or none this principal may know of' },
  FINDING_CLOSED: { status: 409, title: 'The finding is closed (rejected, remediated or disclosed)' },
  FINDING_WRONG_STATE: { status: 409, title: 'The action does not belong to the state the finding is in' },
  FINDING_EXTENSION_USED: {
    status: 422,
    title: 'The remediation deadline was already extended; the policy allows one extension',
  },
  CVSS_VECTOR_INVALID: {
    status: 422,
    title: 'The severity is not a complete CVSS base vector (versions 2.0, 3.0, 3.1 or 4.0)',
  },
  FINDING_LAB_MISMATCH: {
    status: 422,
    title: 'The finding names a lab other than the review case’s, or a lab filed about another lab',
  },
  FINDING_SUBJECT_MISSING: {
    status: 422,
    title: 'An agency names the model’s review case (caseId) or its lab (labId)',
  },
  FINDING_CALLBACK_NOT_ALLOWED: {
    status: 422,
    title: 'Only a lab gives a finding a callback endpoint; a finding on a case uses the case’s',
  },
  // Commitments (issue 14)
  COMMITMENT_NOT_FOUND: { status: 404, title: 'No such commitment, or none this principal may know of' },
  COMMITMENT_CLOSED: {
    status: 409,
    title: 'The commitment is settled (confirmed, disputed, or closed overdue) and takes no more messages',
  },
  COMMITMENT_WRONG_STATE: {
    status: 409,
    title: 'The action does not belong to the state the commitment is in',
  },
  // Early access (issue 14, part 4)
  EARLY_ACCESS_NOT_OFFERED: {
    status: 409,
    title:
      'The case offers no early access: its rules or pinned policy predate it, or its outcome does not allow it',
  },
  GRANT_ALREADY_NOMINATED: { status: 409, title: 'That operator is already nominated for this case' },
  GRANT_NOT_FOUND: { status: 404, title: 'No such grant, or none this principal may know of' },
  GRANT_CLOSED: {
    status: 409,
    title: 'The grant is over (declined, lapsed or ended) and takes no more messages',
  },
  GRANT_WRONG_STATE: { status: 409, title: 'The action does not belong to the state the grant is in' },
  // Keys and labs (administrators)
  LAB_NOT_FOUND: { status: 404, title: 'No record of such a lab, or none this principal may know of' },
  LAB_WRONG_STATUS: {
    status: 409,
    title: 'The lab does not hold the status this action changes (designate a participant, revoke a partner)',
  },
  KEY_NOT_FOUND: { status: 404, title: 'No API key with that id' },
  KEY_NOT_ACTIVE: { status: 409, title: 'The API key (or signing key) is already expired or revoked' },
  SIGNING_KEY_NOT_ALLOWED: {
    status: 422,
    title:
      "Only an agency's or the chair's system signs acts: this API key's principal makes none that is signed",
  },
  SIGNING_KEY_ALREADY_REGISTERED: {
    status: 409,
    title: 'That public key is already registered for a system',
  },
  SIGNING_KEY_NOT_FOUND: { status: 404, title: 'No signing key with that id' },
  PASSKEY_REGISTRATION_INVALID: {
    status: 422,
    title:
      'The passkey’s registration does not hold: no registration is pending, it expired, or the authenticator’s answer does not verify',
  },
  PASSKEY_ALREADY_REGISTERED: { status: 409, title: 'This passkey is already registered' },
  PASSKEY_NOT_FOUND: { status: 404, title: 'No passkey of yours with that id' },
  PASSKEYS_ARE_FOR_PEOPLE: {
    status: 403,
    title: 'Passkeys are for people signed in through the identity provider; a system signs with its key',
  },
  EXPIRY_IN_THE_PAST: { status: 422, title: 'An expiry must be in the future (revoke a key to end it now)' },
  SECURITY_CONTACT_NOT_A_LAB: {
    status: 422,
    title: 'Only a lab key can be held by a named security contact',
  },
  LAB_ALREADY_EXISTS: {
    status: 409,
    title: 'That lab already has a callback secret; issue it more keys instead',
  },
  LAB_CALLBACK_SECRET_MISSING: {
    status: 409,
    title: 'That lab has no callback secret, so its callbacks could not be signed; add the lab first',
  },
  PERSON_ALREADY_ENROLLED: {
    status: 409,
    title: 'That person is already enrolled for that lab or operator',
  },
  PERSON_NOT_ENROLLED: { status: 404, title: 'That person is not enrolled for that lab or operator' },
  CALLBACK_SECRET_NOT_ROTATING: {
    status: 409,
    title: 'No rotation of the callback secret is under way; rotate it first',
  },
  // Platform
  ACCESS_LOG_UNAVAILABLE: {
    status: 503,
    title: 'The access log cannot be written, so nothing restricted is served; retry later',
  },
  IDENTITY_PROVIDER_UNAVAILABLE: {
    status: 503,
    title:
      "The identity provider's keys cannot be fetched, so a sign-in token cannot be checked; retry later",
  },
  RATE_LIMITED: {
    status: 429,
    title:
      'Too many requests for this credential (without a valid one, from this address); retry after the time given',
  },
  TEMPORAL_UNAVAILABLE: { status: 503, title: 'The workflow service is unavailable; retry later' },
  CASE_STALLED: {
    status: 503,
    title:
      "The case's workflow cannot replay its history, so it makes no progress; operations staff must repair it",
  },
  ANSWER_TOO_LARGE: {
    status: 503,
    title:
      "The workflow's answer is over the workflow service's size limit (2 MiB); operations staff must repair the record",
  },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string; field?: string }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * The request field a refusal concerns, where it concerns one (a body path such as `days`): the workbench shows
 * the refusal beside that field.
 */
export const fieldOfError = (code: string): string | undefined => {
  const entry = Object.hasOwn(ERRORS, code) ? ERRORS[code as ErrorCode] : undefined;
  return entry !== undefined && 'field' in entry ? entry.field : undefined;
};

export const isErrorCode = (s: string | undefined): s is ErrorCode => s !== undefined && s in ERRORS;

/** The failure a validator throws: no history is written, and the caller gets the code and reason at once. */
export const rejection = (code: ErrorCode, detail?: string): ApplicationFailure =>
  ApplicationFailure.create({ type: code, message: detail ?? ERRORS[code].title, nonRetryable: true });
