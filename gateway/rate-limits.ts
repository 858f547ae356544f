import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import ipaddr from 'ipaddr.js';
import { ApiError } from './problem';

/** Windows kept before expired ones are swept (one entry per credential or address seen in a window). */
const SWEEP_AT = 10_000;

/** At most `max` requests per key in each fixed window of `windowMs`. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly max: number,
    readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `key`: undefined while within the limit, else the seconds until its window ends. */
  take(key: string): number | undefined {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now - window.start >= this.windowMs) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.max) return undefined;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}

/**
 * The client address a request without a valid credential counts against: an IPv4 address, or the /64 an IPv6
 * one lies in (one host usually holds a whole /64, and would otherwise have 2^64 budgets).
 */
export function clientAddressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return `ip:${ip}`;
  const addr = ipaddr.process(ip); // an IPv4-mapped address counts as its IPv4 address
  if (addr.kind() === 'ipv4') return `ip:${addr.toString()}`;
  return `ip:${ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/64`).toString()}/64`;
}

function refuseBeyond(limiter: RateLimiter, key: string, whose: string): void {
  const retryAfter = limiter.take(key);
  if (retryAfter === undefined) return;
  throw new ApiError(
    'RATE_LIMITED',
    `at most ${limiter.max} requests a minute ${whose}; retry in ${retryAfter} s`,
    undefined,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}

/**
 * Authentication and the rate limits in one onRequest hook, so both apply before the body is read (issue 34):
 * a request whose credential is valid counts against that credential, in `perCredential`; one without a valid
 * credential (none, malformed, unknown, expired, revoked, a token that does not verify) counts against its
 * client address, in `perAddress`, and past that limit is 429 instead of 401. A valid key is never held back
 * by what others sent from its address. A CORS preflight (the Web UI's, before each decode) carries no
 * credential and no body and reaches nothing: it is answered by CORS, uncounted.
 */
export function authenticateWithinLimits(
  auth: onRequestAsyncHookHandler,
  limits: { perCredential: RateLimiter; perAddress: RateLimiter },
): onRequestAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'OPTIONS') return;
    if (req.caller === undefined) {
      try {
        await auth.call(req.server, req, reply);
      } catch (err) {
        refuseBeyond(
          limits.perAddress,
          clientAddressKey(req.ip),
          'from this address without a valid credential',
        );
        throw err;
      }
    }
    if (req.caller !== undefined) refuseBeyond(limits.perCredential, req.caller.keyId, 'for this credential');
  };
}
