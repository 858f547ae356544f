import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify';
import { agencyOf, labOf, operatorOf, roleOf, type Role as CaseRole } from '../shared/domain/principal';
import type { ActedBy } from '../shared/domain/acted-by';
import type { ApiKeyRecord, ApiKeys, KeyPrincipal } from '../shared/node/api-keys';
import { isJwt, type OidcVerifier } from './oidc';
import { SESSION_TOKEN_PREFIX } from '../workbench/sessions';

/** The workbench's sessions, as the door sees them: a session's credential to the caller it acts as. */
export interface SessionCallers {
  callerOf(token: string): Caller | undefined;
}
import { ApiError } from './problem';

/** A role of the review, or `admin`, who manages keys and reads the access log and nothing else. */
export type Role = CaseRole | 'admin';

/** The authenticated caller of one request. */
export interface Caller {
  principal: KeyPrincipal;
  role: Role;
  /** The lab id of a lab, the agency id of an agency. */
  id?: string;
  keyId: string;
  /** A lab key held by one of the lab's named security contacts (API keys only). */
  securityContact?: boolean;
  /** Who is acting (issue 36): the person signed in, or the system holding the API key. */
  by: ActedBy;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** The caller behind a principal; undefined for a kind of principal this gateway does not know (closed). */
function callerOf(record: ApiKeyRecord): Caller | undefined {
  const { principal, id: keyId } = record;
  const by: ActedBy = { kind: 'SYSTEM', keyId, holder: record.holder };
  const securityContact = record.securityContact === true;
  if (principal === 'admin') return { principal, role: 'admin', keyId, by };
  const role = roleOf(principal);
  if (role === undefined) return undefined;
  const caller: Caller = {
    principal,
    role,
    id: labOf(principal) ?? agencyOf(principal) ?? operatorOf(principal),
    keyId,
    by,
  };
  // Only a lab has named security contacts (an administrator cannot designate another key so).
  return securityContact && role === 'lab' ? { ...caller, securityContact } : caller;
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]{1,4096})$/;

const REFUSED_KEY = {
  UNKNOWN: 'the API key is not known',
  EXPIRED: 'the API key has expired',
  REVOKED: 'the API key was revoked',
} as const;

/**
 * Resolves `Authorization: Bearer <credential>` to a caller: an API key, as the key store says at this request
 * (a revocation takes effect on the next request), or, when sign-in is configured, a person's access token
 * from the identity provider. Anything missing, malformed, unknown, expired or revoked is 401.
 */
export function authenticate(
  keys: ApiKeys,
  oidc?: OidcVerifier,
  sessions?: SessionCallers,
): onRequestAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    // Once per request: the rate limits' hook (./rate-limits.ts) may have authenticated it already.
    if (req.caller !== undefined) return;
    const match = BEARER.exec(req.headers.authorization ?? '');
    if (match === null)
      throw new ApiError('UNAUTHENTICATED', 'send Authorization: Bearer <API key or access token>');
    let caller: Caller | undefined;
    if (match[1].startsWith(SESSION_TOKEN_PREFIX)) {
      // The workbench's own in-process calls, as the person signed in (../workbench/sessions.ts).
      caller = sessions?.callerOf(match[1]);
      if (caller === undefined) throw new ApiError('UNAUTHENTICATED', 'the session has ended: sign in again');
    } else if (isJwt(match[1])) {
      if (oidc === undefined)
        throw new ApiError('UNAUTHENTICATED', 'sign-in is not configured here: use an API key');
      const checked = await oidc.verify(match[1]);
      if (!checked.ok)
        throw new ApiError(
          checked.unavailable ? 'IDENTITY_PROVIDER_UNAVAILABLE' : 'UNAUTHENTICATED',
          checked.detail,
        );
      caller = checked.caller;
    } else {
      const found = keys.lookup(match[1]);
      caller = found.ok ? callerOf(found.record) : undefined;
      if (!found.ok || caller === undefined) {
        throw new ApiError('UNAUTHENTICATED', found.ok ? REFUSED_KEY.UNKNOWN : REFUSED_KEY[found.reason]);
      }
    }
    req.caller = caller;
    // Every later line of this request, including Fastify's "request completed", names the principal.
    req.log = reply.log = req.log.child({ principal: caller.principal, keyId: caller.keyId });
  };
}

/** The roles each `allow` hook lets through, for the API reference (see rolesAllowed). */
const ALLOWED = new WeakMap<object, readonly Role[]>();

/**
 * Refuses roles that can never use a route, before the body is read or any case is looked up: the answer
 * is the same whether the case exists or not, so it reveals nothing.
 */
export function allow(...roles: Role[]): onRequestHookHandler {
  const hook = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.caller === undefined || !roles.includes(req.caller.role)) {
      done(new ApiError('FORBIDDEN', `this endpoint is for: ${roles.join(', ')}`));
      return;
    }
    done();
  };
  ALLOWED.set(hook, roles);
  return hook;
}

/** The roles a route's onRequest hooks let through; undefined when no `allow` restricts it. */
export function rolesAllowed(onRequest: unknown): readonly Role[] | undefined {
  const hooks: unknown[] = Array.isArray(onRequest) ? (onRequest as unknown[]) : [onRequest];
  return hooks
    .map((h) => (typeof h === 'function' ? ALLOWED.get(h) : undefined))
    .find((r) => r !== undefined);
}

/** The caller of an authenticated route (the hook has run). */
export function callerOfRequest(req: FastifyRequest): Caller {
  if (req.caller === undefined) throw new ApiError('UNAUTHENTICATED');
  return req.caller;
}
