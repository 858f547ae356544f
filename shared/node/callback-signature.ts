import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/*
 * Signed status callbacks: Standard Webhooks v1 (https://www.standardwebhooks.com)
 *
 * Every status callback is an HTTP POST with a JSON body (`Content-Type: application/json`) and these headers:
 *
 *   webhook-id:        <event id>                the same value as `id` in the body
 *   webhook-timestamp: <unix seconds>            when this delivery attempt was signed
 *   webhook-signature: v1,<base64>[ v1,<base64>] one entry per active secret (two during a rotation)
 *
 * Each `v1,` entry is the base64 HMAC-SHA256, keyed with the bytes of one of your callback secrets
 * (`whsec_<base64>`: the key is the base64 after the prefix), of the exact bytes
 *
 *   <webhook-id> + "." + <webhook-timestamp> + "." + <raw request body>
 *
 * Verify with a Standard Webhooks library in your language (`standardwebhooks` on npm, PyPI, Go, Java, ...):
 * it checks the signature against each secret you hold, in constant time, and refuses a timestamp more than
 * 5 minutes from your clock. Then answer 2xx once the event is stored; delivery is at least once, so
 * de-duplicate by the event id.
 *
 * A 4xx other than 408 or 429 is taken as a permanent refusal and that delivery is not retried; redirects are
 * not followed. 408, 429, 5xx, timeouts and network errors are retried with backoff, honouring `Retry-After`.
 */

export const ID_HEADER = 'webhook-id';
export const TIMESTAMP_HEADER = 'webhook-timestamp';
export const SIGNATURE_HEADER = 'webhook-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** A new callback secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export const newCallbackSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/**
 * A secret as the Standard Webhooks library takes it. A secret stored before release 2 (not `whsec_`) keys the
 * HMAC with its UTF-8 bytes, which is the `whsec_` secret of those bytes in base64.
 */
export const standardSecret = (secret: string): string =>
  secret.startsWith(SECRET_PREFIX)
    ? secret
    : `${SECRET_PREFIX}${Buffer.from(secret, 'utf8').toString('base64')}`;

/** One lab event as it is serialised into the request body. */
export interface CallbackEventBody {
  id: string;
  submissionId: string;
  sequence: number;
  type: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export type VerifyFailureReason = 'MALFORMED_HEADER' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailureReason };

/** The id, timestamp and signature headers of one delivery attempt, one signature per active secret. */
export function signCallback(
  id: string,
  rawBody: string,
  secrets: string[],
  timestampSeconds: number,
): Record<string, string> {
  if (secrets.length === 0) throw new Error('signCallback needs at least one secret');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`timestamp must be whole unix seconds, got ${timestampSeconds}`);
  }
  const at = new Date(timestampSeconds * 1000);
  const signatures = secrets.map((s) => new Webhook(standardSecret(s)).sign(id, at, rawBody));
  return {
    [ID_HEADER]: id,
    [TIMESTAMP_HEADER]: String(timestampSeconds),
    [SIGNATURE_HEADER]: signatures.join(' '),
  };
}

/**
 * Verifies one delivery as a lab's receiver does, with the reference library: any of the secrets may have
 * signed it (a rotation), within the library's 5-minute tolerance of the receiver's clock.
 */
export function verifyCallback(
  rawBody: string,
  headers: Record<string, string | undefined>,
  secrets: string[],
): VerifyResult {
  const h = {
    [ID_HEADER]: headers[ID_HEADER] ?? '',
    [TIMESTAMP_HEADER]: headers[TIMESTAMP_HEADER] ?? '',
    [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER] ?? '',
  };
  if (Object.values(h).some((v) => v === '')) return { ok: false, reason: 'MALFORMED_HEADER' };
  let stale = false;
  for (const secret of secrets) {
    try {
      new Webhook(standardSecret(secret)).verify(rawBody, h);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      if (/timestamp/i.test(err.message)) stale = true;
    }
  }
  return { ok: false, reason: stale ? 'STALE_TIMESTAMP' : 'BAD_SIGNATURE' };
}
