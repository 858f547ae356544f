import { randomUUID } from 'node:crypto';
import type { Problem } from '../shared/api/problem';

/** The API answered with a refusal: a problem document (or, from something that is not the API, a bare status). */
export class ApiRefused extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly url: string,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status} from ${url}`);
    this.name = 'ApiRefused';
  }
}

/**
 * The API could not be reached, or said it is unavailable (503 while Temporal is unreachable; 502/504 from a
 * proxy in front of it). A write may or may not have been applied: retry it with the same Idempotency-Key.
 */
export class ApiUnavailable extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly idempotencyKey: string | undefined,
    readonly status?: number,
    readonly problem?: Problem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiUnavailable';
  }
}

export interface ClientOptions {
  api: URL;
  apiKey: string;
  /** Longest wait for one answer; a funding-lapse fan-out over many cases is the slowest call. */
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

const UNAVAILABLE = new Set([502, 503, 504]);

/** A thin client of the HTTP API: JSON in and out, the key in the Authorization header and nowhere else. */
export class ApiClient {
  constructor(private readonly opts: ClientOptions) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', path, { query });
  }

  /** A read whose answer is a document of its own (a permanent record), returned as sent. */
  getText(path: string, accept: string): Promise<string> {
    return this.send<string>('GET', path, { accept });
  }

  /**
   * A write. Every write carries an Idempotency-Key (the caller's, or a fresh one) so that a retry after a
   * lost answer applies once; the key is reported when the API could not be reached.
   */
  post<T>(
    path: string,
    body?: unknown,
    idempotencyKey?: string,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.send<T>('POST', path, {
      body,
      idempotencyKey: idempotencyKey ?? `cli-${randomUUID()}`,
      headers,
    });
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    req: {
      query?: Query;
      body?: unknown;
      idempotencyKey?: string;
      accept?: string;
      headers?: Record<string, string>;
    },
  ): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.opts.api);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      ...req.headers,
      accept: `${req.accept ?? 'application/json'}, application/problem+json`,
      authorization: `Bearer ${this.opts.apiKey}`,
    };
    if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
    // A body only when there is one: the API refuses an empty body sent as JSON.
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const shown = `${method} ${url.origin}${url.pathname}`;

    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        // Never follow a redirect: it would carry the key to wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
      text = await res.text();
    } catch (err) {
      throw new ApiUnavailable(
        `cannot reach the API: ${reason(err)}`,
        shown,
        req.idempotencyKey,
        undefined,
        undefined,
        {
          cause: err,
        },
      );
    }

    if (res.ok && req.accept !== undefined) return text as T;
    const json = parse(text);
    if (res.ok) {
      if (json === undefined && text !== '') throw new ApiRefused(res.status, undefined, shown);
      return json as T;
    }
    const problem = isProblem(json) ? json : undefined;
    if (UNAVAILABLE.has(res.status)) {
      const what = problem ? `${problem.code}: ${problem.detail ?? problem.title}` : `HTTP ${res.status}`;
      throw new ApiUnavailable(
        `the API is unavailable (${what})`,
        shown,
        req.idempotencyKey,
        res.status,
        problem,
      );
    }
    throw new ApiRefused(res.status, problem, shown);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isProblem = (x: unknown): x is Problem =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as Problem).code === 'string' &&
  typeof (x as Problem).status === 'number';

/** The innermost useful reason of a fetch failure: ECONNREFUSED, ENOTFOUND, a timeout. */
function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  const cause =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code !== undefined) return cause.code;
  if (cause?.message !== undefined) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
