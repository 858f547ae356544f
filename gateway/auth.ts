import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { agencyOf, labOf, roleOf, type Principal, type Role } from '../shared/domain/principal';
import type { ApiKeys } from '../shared/node/api-keys';
import { ApiError } from './problem';

export type { Role } from '../shared/domain/principal';

/** The authenticated caller of one request. */
export interface Caller {
  principal: Principal;
  role: Role;
  /** The lab id of a lab, the agency id of an agency. */
  id?: string;
  keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** The caller behind a principal; undefined for a kind of principal this gateway does not know (closed). */
function callerOf(principal: Principal, keyId: string): Caller | undefined {
  const role = roleOf(principal);
  if (role === undefined) return undefined;
  return { principal, role, id: labOf(principal) ?? agencyOf(principal), keyId };
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]{1,512})$/;

/** Resolves `Authorization: Bearer <key>` to a caller; a missing, malformed or unknown key is 401. */
export function authenticate(keys: ApiKeys): onRequestHookHandler {
  return (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    const record = match === null ? undefined : keys.find(match[1]);
    const caller = record === undefined ? undefined : callerOf(record.principal, record.id);
    if (record === undefined || caller === undefined) {
      const detail = match === null ? 'send Authorization: Bearer <API key>' : 'the API key is not known';
      done(new ApiError('UNAUTHENTICATED', detail));
      return;
    }
    req.caller = caller;
    // Every later line of this request, including Fastify's "request completed", names the principal.
    req.log = reply.log = req.log.child({ principal: record.principal, keyId: record.id });
    done();
  };
}

/**
 * Refuses roles that can never use a route, before the body is read or any case is looked up: the answer
 * is the same whether the case exists or not, so it reveals nothing.
 */
export function allow(...roles: Role[]): onRequestHookHandler {
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.caller === undefined || !roles.includes(req.caller.role)) {
      done(new ApiError('FORBIDDEN', `this endpoint is for: ${roles.join(', ')}`));
      return;
    }
    done();
  };
}

/** The caller of an authenticated route (the hook has run). */
export function callerOfRequest(req: FastifyRequest): Caller {
  if (req.caller === undefined) throw new ApiError('UNAUTHENTICATED');
  return req.caller;
}
