import { Context } from '@temporalio/activity';
import type { CallbackErrorCategory } from '../shared/domain/review/state';
import { fetch, type Dispatcher } from 'undici';
import { ApplicationFailure } from '@temporalio/common';
import { signCallback, type CallbackEventBody } from '../shared/node/callback-signature';

export interface CallbackActivityDeps {
  /** The lab's active callback secrets; throws or returns [] for an unknown lab. */
  secretsFor: (labId: string) => string[];
  requestTimeoutMs?: number;
  /** How often an attempt still in flight heartbeats (default 5 s; the workflow's heartbeat timeout is 30 s). */
  heartbeatMs?: number;
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

/** Events of one case to send in order, each its own signed request (release 2: one activity for them). */
export interface DeliverCallbacksInput {
  labId: string;
  url: string;
  events: CallbackEventBody[];
}

/** The events delivered, in order, from the first: fewer than given when one failed after others were delivered. */
export interface DeliverCallbacksResult {
  delivered: DeliverCallbackResult[];
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

/**
 * A Retry-After this short is waited out inside the attempt, while the attempt's time allows: an endpoint that
 * asks to be tried again in a second, for half a minute, must not run up the attempt count that Temporal's
 * backoff doubles from after the next timeout or crash (seen in the chaos run: an hour's wait).
 */
const WAIT_WITHIN_ATTEMPT_MS = 10_000;
/** The time one attempt may spend on requests and waits: well inside its 1-minute start-to-close timeout. */
const ATTEMPT_BUDGET_MS = 45_000;

/**
 * Heartbeats while the attempt is still at work after `heartbeatMs`, so a cancellation (an endpoint change,
 * the case closing) reaches it and a worker that died with it is noticed within the heartbeat timeout rather
 * than the attempt's whole timeout; an endpoint that answers sooner costs no heartbeat at all.
 */
function heartbeating(ctx: Context, heartbeatMs: number): () => void {
  const beat = setInterval(() => ctx.heartbeat(), heartbeatMs);
  return () => clearInterval(beat);
}

/**
 * One request's signal: aborted when its time is up or when the activity is cancelled. An explicit timer
 * rather than AbortSignal.any(AbortSignal.timeout()): on Node 20 such a combined signal can be collected
 * before it fires, and an attempt then ran on until the endpoint answered.
 */
function requestBounds(ctx: Context, timeoutMs: number): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const cancelled = (): void => controller.abort(ctx.cancellationSignal.reason);
  ctx.cancellationSignal.addEventListener('abort', cancelled, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      ctx.cancellationSignal.removeEventListener('abort', cancelled);
    },
  };
}

export function createCallbackActivities(deps: CallbackActivityDeps) {
  const timeoutMs = deps.requestTimeoutMs ?? 10_000;
  const heartbeatMs = deps.heartbeatMs ?? 5_000;
  const userAgent = deps.userAgent ?? 'frontier-review-callbacks/1';

  /** The endpoint's URL is still allowed and the lab's secrets are there; otherwise a permanent failure. */
  async function endpointReady(labId: string, url: string): Promise<string[]> {
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
    return lookUpSecrets(deps.secretsFor, labId);
  }

  /** One event until it is delivered, refused, or the attempt's budget leaves no time to wait for it. */
  async function send(
    labId: string,
    url: string,
    event: CallbackEventBody,
    secrets: string[],
    budgetEnds: number,
  ): Promise<DeliverCallbackResult> {
    const ctx = Context.current();
    const { attempt } = ctx.info;
    const logAttrs = {
      labId,
      submissionId: event.submissionId,
      eventId: event.id,
      sequence: event.sequence,
      attempt,
    };
    const stopBeating = heartbeating(ctx, heartbeatMs);
    try {
      for (;;) {
        const answer = await post(url, event, secrets, ctx, logAttrs);
        const { status } = answer;
        if (status >= 200 && status < 300) {
          ctx.log.info('callback delivered', { ...logAttrs, status });
          return { status, attempt, deliveredAt: new Date().toISOString() };
        }
        const message = `callback endpoint answered ${status}${status < 400 ? '; redirects are not followed' : ''}`;
        if (!isRetryableStatus(status)) {
          ctx.log.warn('callback rejected', { ...logAttrs, status });
          throw ApplicationFailure.create({
            type: 'CallbackRejected',
            nonRetryable: true,
            message,
            details: [failure(httpCategory(status), status)],
          });
        }
        const nextRetryDelay = parseRetryAfter(answer.retryAfter, new Date());
        const waitHere =
          nextRetryDelay !== undefined &&
          nextRetryDelay <= WAIT_WITHIN_ATTEMPT_MS &&
          Date.now() + nextRetryDelay + timeoutMs <= budgetEnds;
        ctx.log.warn('callback not delivered', { ...logAttrs, status, nextRetryDelay, waitHere });
        if (!waitHere) {
          throw ApplicationFailure.create({
            type: 'CallbackUnavailable',
            nonRetryable: false,
            message,
            details: [failure(httpCategory(status), status)],
            nextRetryDelay,
          });
        }
        // Cancellation-aware: an endpoint change or the case closing ends the wait at once.
        await ctx.sleep(nextRetryDelay);
      }
    } finally {
      stopBeating();
    }
  }

  async function deliverCallback({
    labId,
    url,
    event,
  }: DeliverCallbackInput): Promise<DeliverCallbackResult> {
    const secrets = await endpointReady(labId, url);
    return send(labId, url, event, secrets, Date.now() + ATTEMPT_BUDGET_MS);
  }

  /**
   * Several pending events in one activity, each its own signed request, in order: a case's events that
   * arise together (accepted and its first stage opened, a stage closed and the next opened) cost one billable
   * action instead of one each. When an event fails before any was delivered, the attempt fails as one
   * event's would (Temporal retries it, or gives up at the horizon). When it fails after others were
   * delivered, or the attempt's budget runs short, those are reported and the workflow sends the rest again,
   * starting with it. A worker that dies mid-batch leaves its delivered events to be sent again, as it does
   * the event in flight; receivers de-duplicate by event id.
   */
  async function deliverCallbacks({
    labId,
    url,
    events,
  }: DeliverCallbacksInput): Promise<DeliverCallbacksResult> {
    const secrets = await endpointReady(labId, url);
    const budgetEnds = Date.now() + ATTEMPT_BUDGET_MS;
    const delivered: DeliverCallbackResult[] = [];
    for (const event of events) {
      // A next request must fit in the attempt's budget, with room to spare before its timeout.
      if (delivered.length > 0 && Date.now() + timeoutMs > budgetEnds) break;
      try {
        delivered.push(await send(labId, url, event, secrets, budgetEnds));
      } catch (err) {
        if (delivered.length === 0 || Context.current().cancellationSignal.aborted) throw err;
        break;
      }
    }
    return { delivered };
  }

  /** One signed POST: its status and Retry-After, or a retryable failure when nothing answered in time. */
  async function post(
    url: string,
    event: CallbackEventBody,
    secrets: string[],
    ctx: Context,
    logAttrs: Record<string, unknown>,
  ): Promise<{ status: number; retryAfter: string | null }> {
    const rawBody = JSON.stringify(event);
    // Signed per request, so a retry hours later still falls inside the receiver's timestamp tolerance.
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': userAgent,
      ...signCallback(event.id, rawBody, secrets, Math.floor(Date.now() / 1000)),
    };
    const bounds = requestBounds(ctx, timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        // A redirect could lead to an address the URL check never saw.
        redirect: 'manual',
        signal: bounds.signal,
        dispatcher: deps.dispatcher,
      });
      // The lab's response body is never read; cancelling it releases the connection.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, retryAfter: response.headers.get('retry-after') };
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
      bounds.release();
    }
  }

  return { deliverCallback, deliverCallbacks };
}
