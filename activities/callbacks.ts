import { Context } from '@temporalio/activity';
import type { CallbackErrorCategory } from '../shared/domain/review/state';
import { fetch, type Dispatcher } from 'undici';
import { ApplicationFailure } from '@temporalio/common';
import { signCallback, type CallbackEventBody } from '../shared/node/callback-signature';

export interface CallbackActivityDeps {
  /** The lab's active callback secrets; throws or returns [] for an unknown lab. */
  secretsFor: (labId: string) => string[];
  requestTimeoutMs?: number;
  userAgent?: string;
  /** Endpoint safety, checked at every attempt (DNS may change after registration); a message means refuse. */
  checkUrl?: (url: string) => Promise<string | undefined>;
  /** How connections are made: with the address checked at connect time (callback-url.ts pinnedLookup). */
  dispatcher?: Dispatcher;
}

export interface DeliverCallbackInput {
  labId: string;
  url: string;
  event: CallbackEventBody;
}

export interface DeliverCallbackResult {
  status: number;
  attempt: number;
  deliveredAt: string;
}

const MIN_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After (delay-seconds or HTTP-date) in ms, clamped to [1 s, 1 h]; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) {
    ms = Number(v) * 1000;
  } else if (/[a-z]/i.test(v) && Number.isFinite(Date.parse(v))) {
    // Requiring letters keeps Date.parse from reading things like "7.5" as a calendar date.
    ms = Date.parse(v) - now.getTime();
  } else {
    return undefined;
  }
  return Math.min(Math.max(ms, MIN_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS);
}

// 408 and 429 say "not now" rather than "never".
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function lookUpSecrets(secretsFor: CallbackActivityDeps['secretsFor'], labId: string): string[] {
  const missing = (cause?: Error) =>
    ApplicationFailure.create({
      type: 'CallbackSecretMissing',
      nonRetryable: true,
      message: `no callback secret is configured for lab ${labId}`,
      details: [failure('NOT_CONFIGURED')],
      cause,
    });
  let secrets: string[];
  try {
    secrets = secretsFor(labId);
  } catch (err) {
    throw missing(err instanceof Error ? err : undefined);
  }
  if (secrets.length === 0) throw missing();
  return secrets;
}

/** What a failed attempt says in its failure's details: the category a lab may see, and the HTTP status. */
const failure = (category: CallbackErrorCategory, status?: number) =>
  status === undefined ? { category } : { category, status };
const httpCategory = (status: number): CallbackErrorCategory =>
  status >= 500 ? 'HTTP_5XX' : status >= 400 ? 'HTTP_4XX' : 'HTTP_3XX';

const isTimeout = (err: unknown): boolean =>
  err instanceof Error &&
  (err.name === 'TimeoutError' ||
    (err.cause instanceof Error && /Timeout/.test((err.cause as { code?: string }).code ?? err.cause.name)));

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (isTimeout(err)) {
    return `callback endpoint did not answer within ${timeoutMs} ms`;
  }
  // Node's fetch reports "fetch failed" and keeps the socket error (ECONNREFUSED, ENOTFOUND...) as the cause.
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
  return `callback endpoint unreachable: ${code ?? (err instanceof Error ? err.message : String(err))}`;
}

/** How often an attempt in flight tells the server it is alive (the workflow's heartbeat timeout is 30 s). */
const HEARTBEAT_MS = 5_000;

/**
 * One attempt's signal: aborted when the attempt's time is up or when the activity is cancelled (an endpoint
 * change, the case closing). While it is open the attempt heartbeats, so a cancellation reaches it and a
 * worker that died with it is noticed within the heartbeat timeout rather than the attempt's whole timeout.
 * An explicit timer rather than AbortSignal.any(AbortSignal.timeout()): on Node 20 such a combined signal can
 * be collected before it fires, and an attempt then ran on until the endpoint answered.
 */
function attemptBounds(ctx: Context, timeoutMs: number): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const cancelled = (): void => controller.abort(ctx.cancellationSignal.reason);
  ctx.cancellationSignal.addEventListener('abort', cancelled, { once: true });
  const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
  ctx.heartbeat();
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      clearInterval(beat);
      ctx.cancellationSignal.removeEventListener('abort', cancelled);
    },
  };
}

export function createCallbackActivities(deps: CallbackActivityDeps) {
  const timeoutMs = deps.requestTimeoutMs ?? 10_000;
  const userAgent = deps.userAgent ?? 'frontier-review-callbacks/1';

  async function deliverCallback({
    labId,
    url,
    event,
  }: DeliverCallbackInput): Promise<DeliverCallbackResult> {
    const ctx = Context.current();
    const { attempt } = ctx.info;
    const logAttrs = {
      labId,
      submissionId: event.submissionId,
      eventId: event.id,
      sequence: event.sequence,
      attempt,
    };
    // URLs are validated when registered; one that does not parse now would fail on every retry.
    if (!URL.canParse(url)) {
      throw ApplicationFailure.create({
        type: 'CallbackUrlInvalid',
        nonRetryable: true,
        message: 'callback URL is not a valid absolute URL',
        details: [failure('ENDPOINT_NOT_ALLOWED')],
      });
    }
    const unsafe = await deps.checkUrl?.(url);
    if (unsafe !== undefined) {
      throw ApplicationFailure.create({
        type: 'CallbackUrlInvalid',
        nonRetryable: true,
        message: unsafe,
        details: [failure('ENDPOINT_NOT_ALLOWED')],
      });
    }
    // Secrets are looked up here, never passed in, so they stay out of workflow history.
    const secrets = lookUpSecrets(deps.secretsFor, labId);
    const rawBody = JSON.stringify(event);
    // Signed per attempt, so a retry hours later still falls inside the receiver's timestamp tolerance.
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': userAgent,
      ...signCallback(event.id, rawBody, secrets, Math.floor(Date.now() / 1000)),
    };

    let response: Awaited<ReturnType<typeof fetch>>;
    const attemptSignal = attemptBounds(ctx, timeoutMs);
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        // A redirect could lead to an address the URL check never saw.
        redirect: 'manual',
        signal: attemptSignal.signal,
        dispatcher: deps.dispatcher,
      });
    } catch (err) {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? err;
      const message = describeFetchError(err, timeoutMs);
      ctx.log.warn('callback not delivered', { ...logAttrs, error: message });
      throw ApplicationFailure.create({
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message,
        details: [failure(isTimeout(err) ? 'TIMEOUT' : 'CONNECTION_FAILED')],
        cause: err instanceof Error ? err : undefined,
      });
    } finally {
      attemptSignal.release();
    }
    const { status } = response;
    // The lab's response body is never read; cancelling it releases the connection.
    await response.body?.cancel().catch(() => undefined);

    if (status >= 200 && status < 300) {
      ctx.log.info('callback delivered', { ...logAttrs, status });
      return { status, attempt, deliveredAt: new Date().toISOString() };
    }
    const message = `callback endpoint answered ${status}${status < 400 ? '; redirects are not followed' : ''}`;
    if (isRetryableStatus(status)) {
      const nextRetryDelay = parseRetryAfter(response.headers.get('retry-after'), new Date());
      ctx.log.warn('callback not delivered', { ...logAttrs, status, nextRetryDelay });
      throw ApplicationFailure.create({
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message,
        details: [failure(httpCategory(status), status)],
        nextRetryDelay,
      });
    }
    ctx.log.warn('callback rejected', { ...logAttrs, status });
    throw ApplicationFailure.create({
      type: 'CallbackRejected',
      nonRetryable: true,
      message,
      details: [failure(httpCategory(status), status)],
    });
  }

  return { deliverCallback };
}
