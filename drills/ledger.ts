import { randomUUID } from 'node:crypto';

/** One request the drill made, and what finally became of it. */
export interface Action {
  kind: string;
  caseId: string;
  party: string;
  method: string;
  path: string;
  body?: unknown;
  idempotencyKey: string;
  firstSentAt: number;
  /** Requests sent for it: the first, and each retry with the same Idempotency-Key. */
  tries: number;
  /** Answers with no verdict (no connection, 5xx, 429) on the way to one. */
  retried: string[];
  /** The definitive answer: 2xx (accepted) or 4xx (refused); undefined while unknown. */
  status?: number;
  code?: string;
  /** An accepted action's place in the case's timeline. */
  seq?: number;
  /** The definitive answer's body. */
  answer?: Record<string, unknown>;
  resolvedAt?: number;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * The drill's client of the gateway. Every action carries an Idempotency-Key and is asked again with it until
 * it has a definitive answer (2xx or 4xx), as a careful client does while the system is failing; a connection
 * error, 5xx or 429 is no answer. Every action is kept, with its outcome, for the checks.
 */
export class Ledger {
  readonly actions: Action[] = [];
  /** Reads the gateway answered 500: the path of each (a read may fail while the system does, never with 500). */
  readonly internalReads: string[] = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly keys: Record<string, string>,
    /** How long one action is asked again before it is left unknown (and asked again at the end). */
    private readonly patienceMs: number,
  ) {}

  async call(party: string, method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
    const res = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.keys[party]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(330_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed };
  }

  /** A read that may fail while the system does: undefined when there is no answer. */
  async read(party: string, path: string): Promise<Record<string, unknown> | undefined> {
    try {
      const r = await this.call(party, 'GET', path);
      if (r.status === 500) this.internalReads.push(path);
      return r.status === 200 ? r.body : undefined;
    } catch {
      return undefined;
    }
  }

  async act(a: Pick<Action, 'kind' | 'caseId' | 'party' | 'method' | 'path' | 'body'>): Promise<Action> {
    const action: Action = {
      ...a,
      idempotencyKey: randomUUID(),
      firstSentAt: Date.now(),
      tries: 0,
      retried: [],
    };
    this.actions.push(action);
    await this.resolve(action);
    return action;
  }

  /** Asks again, with the same key, until the action has a definitive answer or patience runs out. */
  async resolve(action: Action): Promise<void> {
    const until = Date.now() + this.patienceMs;
    while (action.status === undefined && Date.now() < until) {
      action.tries++;
      try {
        const r = await this.call(
          action.party,
          action.method,
          action.path,
          action.body,
          action.idempotencyKey,
        );
        if (r.status === 429 || r.status >= 500) {
          const code = typeof r.body?.code === 'string' ? r.body.code : '';
          action.retried.push(`${r.status} ${code}`.trim());
        } else {
          action.status = r.status;
          action.code = typeof r.body?.code === 'string' ? r.body.code : undefined;
          action.seq = typeof r.body?.seq === 'number' ? r.body.seq : undefined;
          action.answer = r.body;
          action.resolvedAt = Date.now();
          return;
        }
      } catch (err) {
        const cause = (err as Error).cause;
        action.retried.push(`no answer: ${cause instanceof Error ? cause.message : (err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  get unresolved(): Action[] {
    return this.actions.filter((a) => a.status === undefined);
  }
}
