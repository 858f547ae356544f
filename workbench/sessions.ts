import { randomBytes } from 'node:crypto';
import type * as Fastify from 'fastify';
import type { ActedBy } from '../shared/domain/acted-by';
import { personCaller, type Person } from '../gateway/oidc';

/**
 * The workbench's sessions, kept on the server: the browser holds only a session id in a cookie. Each
 * session holds the person the identity provider signed in, every principal their claims map to, the one they
 * chose, and a credential that never leaves the gateway: the pages call the API in-process with it, so
 * every page is answered exactly as the API answers that person (the view policy, refusals, the access log).
 *
 * In this process's memory: a gateway restart signs everyone out. The gateway-tier issue moves them to the
 * store the gateways share (docs/architecture.md).
 */

/** What a signed-in session holds. */
export interface WorkbenchSession {
  person: ActedBy;
  /** Every principal the person's claims map to here (one or more). */
  principals: string[];
  /** The one they act as; undefined until they chose, when there are several. */
  principal?: string;
  /** The session's own credential for the in-process API calls (SESSION_TOKEN_PREFIX…), never sent out. */
  token: string;
  signedInAt: number;
}

declare module 'fastify' {
  interface Session {
    workbench?: WorkbenchSession;
    /** The sign-in under way: PKCE verifier, state and nonce, and the page to return to. */
    signIn?: { verifier: string; state: string; returnTo: string };
  }
}

/** A session's credential: told apart from an API key (`frk_`) and a JWT (three parts) at the door. */
export const SESSION_TOKEN_PREFIX = 'wbs_';
export const newSessionToken = (): string =>
  `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

type Callback = (err?: unknown) => void;
type CallbackSession = (err: unknown, result?: Fastify.Session | null) => void;

interface Entry {
  session: Fastify.Session;
  lastSeen: number;
}

export interface SessionLimits {
  /** A session unused this long is ended. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

/**
 * The session store (`@fastify/session`'s store interface) with idle and absolute expiry, and the lookup
 * from a session's credential to the caller it acts as.
 */
export class WorkbenchSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly byToken = new Map<string, string>();
  /**
   * Sessions ended (sign-out, idleness, an administrator), with when: a request that was already under way when
   * its session ended saves it on its way out, and must not bring it back.
   */
  private readonly ended = new Map<string, number>();
  private sweptAt = 0;

  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get = (sessionId: string, callback: CallbackSession): void => {
    callback(null, this.live(sessionId)?.session ?? null);
  };

  set = (sessionId: string, session: Fastify.Session, callback: Callback): void => {
    this.sweep();
    if (this.ended.has(sessionId)) {
      callback();
      return;
    }
    const before = this.entries.get(sessionId)?.session.workbench?.token;
    if (before !== undefined && before !== session.workbench?.token) this.byToken.delete(before);
    this.entries.set(sessionId, { session, lastSeen: this.now() });
    if (session.workbench !== undefined) this.byToken.set(session.workbench.token, sessionId);
    callback();
  };

  destroy = (sessionId: string, callback: Callback): void => {
    this.end(sessionId);
    callback();
  };

  /** The caller a session's credential acts as, or undefined once the session ended (or never was). */
  callerOf(token: string): Person | undefined {
    const sessionId = this.byToken.get(token);
    const entry = sessionId === undefined ? undefined : this.live(sessionId);
    const wb = entry?.session.workbench;
    if (entry === undefined || wb?.principal === undefined) return undefined;
    entry.lastSeen = this.now();
    return personCaller(wb.principal, wb.person);
  }

  /** Ends every session of one person (an administrator's revocation); answers how many ended. */
  endPerson(issuer: string, subject: string): number {
    let ended = 0;
    for (const [id, { session }] of [...this.entries]) {
      const by = session.workbench?.person;
      if (by?.kind === 'PERSON' && by.issuer === issuer && by.subject === subject) {
        this.end(id);
        ended += 1;
      }
    }
    return ended;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Ends the sessions nobody came back to, at most once per idle period: memory holds live sessions only. */
  private sweep(): void {
    const now = this.now();
    if (now - this.sweptAt < this.limits.idleMs) return;
    this.sweptAt = now;
    for (const id of [...this.entries.keys()]) this.live(id);
    for (const [id, at] of [...this.ended]) if (now - at > this.limits.absoluteMs) this.ended.delete(id);
  }

  /** The entry, when it has neither idled out nor outlived its sign-in; an expired one is ended here. */
  private live(sessionId: string): Entry | undefined {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return undefined;
    const now = this.now();
    const signedInAt = entry.session.workbench?.signedInAt ?? entry.lastSeen;
    if (now - entry.lastSeen > this.limits.idleMs || now - signedInAt > this.limits.absoluteMs) {
      this.end(sessionId);
      return undefined;
    }
    return entry;
  }

  private end(sessionId: string): void {
    const token = this.entries.get(sessionId)?.session.workbench?.token;
    if (token !== undefined) this.byToken.delete(token);
    if (this.entries.delete(sessionId)) this.ended.set(sessionId, this.now());
  }
}
