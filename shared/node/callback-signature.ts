import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Signed status callbacks
 *
 * Every status callback is an HTTP POST with a JSON body (`Content-Type: application/json`) and these headers:
 *
 *   Frontier-Review-Event-Id:  <event id>          the same value as `id` in the body
 *   Frontier-Review-Timestamp: <unix seconds>      when this delivery attempt was signed
 *   Frontier-Review-Signature: v1=<hex>[,v1=<hex>]
 *
 * Each `v1=` entry is the lowercase hex HMAC-SHA256, keyed with one of your callback secrets, of the exact bytes
 *
 *   <timestamp> + "." + <raw request body>
 *
 * While a secret is being rotated both the old and the new secret are active and the header carries one `v1=`
 * entry per secret. To verify:
 *
 *   1. Read the raw body bytes before parsing them; re-serialised JSON will not match.
 *   2. Compute the HMAC with each secret you hold and compare it, in constant time, with every `v1=` entry;
 *      one match is enough. Ignore entries with a scheme other than `v1` (reserved for future schemes).
 *   3. Reject the request if the timestamp is more than 5 minutes from your clock, in either direction; this
 *      bounds replays.
 *   4. Answer 2xx once the event is stored. Delivery is at least once, so de-duplicate by the event id; the id
 *      in the (signed) body is the one to trust.
 *
 * A 4xx other than 408 or 429 is taken as a permanent refusal and that delivery is not retried; redirects are
 * not followed. 408, 429, 5xx, timeouts and network errors are retried with backoff, honouring `Retry-After`.
 */

export const EVENT_ID_HEADER = 'Frontier-Review-Event-Id';
export const TIMESTAMP_HEADER = 'Frontier-Review-Timestamp';
export const SIGNATURE_HEADER = 'Frontier-Review-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

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

export interface VerifyCallbackInput {
  rawBody: string;
  signatureHeader: string | null | undefined;
  timestampHeader: string | null | undefined;
  secrets: string[];
  nowSeconds: number;
  toleranceSeconds?: number;
}

function hmac(secret: string, timestampSeconds: number | string, rawBody: string): Buffer {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest();
}

/** The timestamp and signature headers for one delivery attempt. */
export function signCallback(
  rawBody: string,
  secrets: string[],
  timestampSeconds: number,
): Record<string, string> {
  if (secrets.length === 0) throw new Error('signCallback needs at least one secret');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`timestamp must be whole unix seconds, got ${timestampSeconds}`);
  }
  const signatures = secrets.map((s) => `v1=${hmac(s, timestampSeconds, rawBody).toString('hex')}`);
  return { [TIMESTAMP_HEADER]: String(timestampSeconds), [SIGNATURE_HEADER]: signatures.join(',') };
}

// Undefined when the header is malformed; other schemes are skipped so a future `v2=` does not break v1 receivers.
function parseSignatureHeader(header: string): Buffer[] | undefined {
  const v1: Buffer[] = [];
  for (const entry of header.split(',').map((e) => e.trim())) {
    const match = /^([a-z0-9]+)=(.*)$/.exec(entry);
    if (match === null) return undefined;
    if (match[1] !== 'v1') continue;
    if (!/^[0-9a-f]{64}$/.test(match[2])) return undefined;
    v1.push(Buffer.from(match[2], 'hex'));
  }
  return v1.length > 0 ? v1 : undefined;
}

export function verifyCallback({
  rawBody,
  signatureHeader,
  timestampHeader,
  secrets,
  nowSeconds,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
}: VerifyCallbackInput): VerifyResult {
  if (typeof timestampHeader !== 'string' || !/^\d{1,12}$/.test(timestampHeader)) {
    return { ok: false, reason: 'MALFORMED_HEADER' };
  }
  const provided = typeof signatureHeader === 'string' ? parseSignatureHeader(signatureHeader) : undefined;
  if (provided === undefined) return { ok: false, reason: 'MALFORMED_HEADER' };
  if (Math.abs(nowSeconds - Number(timestampHeader)) > toleranceSeconds) {
    return { ok: false, reason: 'STALE_TIMESTAMP' };
  }
  // HMAC the header's own digits, not a re-formatted number, so the checked string is exactly the one sent.
  const expected = secrets.map((s) => hmac(s, timestampHeader, rawBody));
  const matches = expected.some((e) => provided.some((p) => timingSafeEqual(e, p)));
  return matches ? { ok: true } : { ok: false, reason: 'BAD_SIGNATURE' };
}
