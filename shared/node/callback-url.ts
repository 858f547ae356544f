import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';

// A lab-supplied callback URL is fetched from inside the government network, so it must not point the
// delivery worker at internal services (server-side request forgery).

export type CallbackUrlErrorCode =
  | 'CALLBACK_URL_INVALID'
  | 'CALLBACK_URL_INSECURE'
  | 'CALLBACK_URL_HOST_NOT_ALLOWED'
  | 'CALLBACK_URL_PRIVATE_ADDRESS';

export type CallbackUrlResult =
  { ok: true; url: URL } | { ok: false; code: CallbackUrlErrorCode; message: string };

export interface CallbackUrlOptions {
  /** Development mode: allows http and private, loopback and link-local addresses. */
  allowInsecure: boolean;
  /** Exact hosts, or `*.suffix` for any subdomain of suffix (not suffix itself). Given but empty allows none. */
  allowedHosts?: string[];
}

const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, includes cloud metadata endpoints
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, includes broadcast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['fc00::', 7], // unique local
  ['fe80::', 10],
  ['ff00::', 8], // multicast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** False for anything that is not a globally routable unicast address, or not an IP at all. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  // BlockList also applies the IPv4 rules to IPv4-mapped IPv6 addresses (::ffff:a.b.c.d).
  return !nonPublic.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function fail(code: CallbackUrlErrorCode, message: string): CallbackUrlResult {
  return { ok: false, code, message };
}

// WHATWG URL lower-cases the host and wraps IPv6 literals in brackets; a trailing dot names the same host.
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

function hostAllowed(host: string, allowedHosts: string[]): boolean {
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
  });
}

/** Every check that needs no DNS, so it can back a synchronous schema refinement. */
export function checkCallbackUrlSyntax(url: string, opts: CallbackUrlOptions): CallbackUrlResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('CALLBACK_URL_INVALID', 'callback URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return fail('CALLBACK_URL_INVALID', `callback URL scheme must be https, got ${parsed.protocol}`);
  }
  if (parsed.protocol === 'http:' && !opts.allowInsecure) {
    return fail('CALLBACK_URL_INSECURE', 'callback URL must use https');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return fail('CALLBACK_URL_INVALID', 'callback URL must not contain credentials');
  }
  const host = bareHost(parsed);
  if (opts.allowedHosts !== undefined && !hostAllowed(host, opts.allowedHosts)) {
    return fail('CALLBACK_URL_HOST_NOT_ALLOWED', `callback host ${host} is not on the allow-list`);
  }
  if (isIP(host) !== 0 && !opts.allowInsecure && !isPublicAddress(host)) {
    return fail('CALLBACK_URL_PRIVATE_ADDRESS', `callback host ${host} is not a public address`);
  }
  return { ok: true, url: parsed };
}

/**
 * The syntactic checks plus every address the host resolves to. Resolution can change after this check (DNS
 * rebinding), so it narrows, not closes, the SSRF window.
 */
export async function validateCallbackUrl(url: string, opts: CallbackUrlOptions): Promise<CallbackUrlResult> {
  const syntax = checkCallbackUrlSyntax(url, opts);
  if (!syntax.ok || opts.allowInsecure) return syntax;
  const host = bareHost(syntax.url);
  if (isIP(host) !== 0) return syntax;
  let addresses: { address: string }[];
  try {
    addresses = await dns.lookup(host, { all: true });
  } catch {
    return fail('CALLBACK_URL_INVALID', `callback host ${host} does not resolve`);
  }
  const internal = addresses.find((a) => !isPublicAddress(a.address));
  if (internal !== undefined) {
    // The address stays out of the message: it would reveal the government network's internal DNS to the caller.
    return fail('CALLBACK_URL_PRIVATE_ADDRESS', `callback host ${host} resolves to a non-public address`);
  }
  return syntax;
}
