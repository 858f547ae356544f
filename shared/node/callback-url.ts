import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { callbackAllowInsecure, type Config } from './config';
import ipv4Registry from './iana/ipv4-special-registry.json';
import ipv6Registry from './iana/ipv6-special-registry.json';

// A lab-supplied callback URL is fetched from inside the government network, so it must not point the
// delivery worker at internal services (server-side request forgery).

export type CallbackUrlErrorCode =
  | 'CALLBACK_URL_INVALID'
  | 'CALLBACK_URL_INSECURE'
  | 'CALLBACK_URL_HOST_NOT_ALLOWED'
  | 'CALLBACK_URL_PRIVATE_ADDRESS'
  | 'CALLBACK_URL_PORT_NOT_ALLOWED';

export type CallbackUrlResult =
  { ok: true; url: URL } | { ok: false; code: CallbackUrlErrorCode; message: string };

export interface CallbackUrlOptions {
  /** Development mode, switched on explicitly: allows http, any port and non-public addresses. */
  allowInsecure: boolean;
  /** Ports a callback may use outside development (443 unless configured). */
  allowedPorts?: number[];
  /** Exact hosts, or `*.suffix` for any subdomain of suffix (not suffix itself). Given but empty allows none. */
  allowedHosts?: string[];
}

/** The rules the configuration sets: the gateway applies them at the door, the workers again at delivery. */
export const callbackUrlOptions = (config: Config): CallbackUrlOptions => ({
  allowInsecure: callbackAllowInsecure(config),
  allowedPorts: config.CALLBACK_ALLOWED_PORTS,
  allowedHosts: config.CALLBACK_ALLOWED_HOSTS,
});

// Only a globally routable unicast address is public. What is not comes from IANA's special-purpose address
// registries, checked in as data with their date (./iana/*.json), not from a library's idea of them: ipaddr.js
// 2.2 knows neither NAT64's local-use 64:ff9b:1::/48 nor the IPv4-compatible ::/96 (issue 34).
interface Block {
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  label: string;
}
const blocks = (rows: { block: string; name: string }[]): Block[] =>
  rows
    .map((r) => ({ range: ipaddr.parseCIDR(r.block), label: `${r.name}, ${r.block}` }))
    // The most specific first: 2001::1 is named Teredo, not the IETF block around it.
    .sort((x, y) => y.range[1] - x.range[1]);
const IPV4_REFUSED = blocks([...ipv4Registry.entries, ...ipv4Registry.alsoRefused]);
const IPV6_REFUSED = blocks([...ipv6Registry.entries, ...ipv6Registry.alsoRefused]);
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR(ipv6Registry.globalUnicast.block);
/** IPv6 forms a connection takes to the IPv4 address in their last 32 bits: mapped, and well-known NAT64. */
const EMBEDS_IPV4 = blocks(ipv6Registry.entries.filter((e) => ipv6Registry.embedsIPv4.includes(e.block)));

const inBlock = (addr: ipaddr.IPv4 | ipaddr.IPv6, list: Block[]) =>
  list.find((b) => addr.kind() === b.range[0].kind() && addr.match(b.range));

/**
 * Why an address is not public (the special-purpose block it lies in, as the registry names it), or undefined
 * when it is a globally routable unicast address. Anything that is not an IP address is not public.
 */
export function nonPublicReason(ip: string): string | undefined {
  if (isIP(ip) === 0) return 'not an IP address';
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return inBlock(addr, IPV4_REFUSED)?.label;
  const carrier = inBlock(addr, EMBEDS_IPV4);
  if (carrier !== undefined) {
    const embedded = new ipaddr.IPv4(addr.toByteArray().slice(12));
    const why = inBlock(embedded, IPV4_REFUSED)?.label;
    return why === undefined ? undefined : `${embedded.toString()} (${why}) in ${carrier.label}`;
  }
  const special = inBlock(addr, IPV6_REFUSED)?.label;
  if (special !== undefined) return special;
  return addr.match(IPV6_GLOBAL_UNICAST)
    ? undefined
    : `outside global unicast ${ipv6Registry.globalUnicast.block}`;
}

/** False for anything that is not a globally routable unicast address, or not an IP at all. */
export const isPublicAddress = (ip: string): boolean => nonPublicReason(ip) === undefined;

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
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  if (!opts.allowInsecure && !(opts.allowedPorts ?? [443]).includes(port)) {
    return fail('CALLBACK_URL_PORT_NOT_ALLOWED', `callback port ${port} is not allowed`);
  }
  const host = bareHost(parsed);
  if (opts.allowedHosts !== undefined && !hostAllowed(host, opts.allowedHosts)) {
    return fail('CALLBACK_URL_HOST_NOT_ALLOWED', `callback host ${host} is not on the allow-list`);
  }
  const why = isIP(host) === 0 || opts.allowInsecure ? undefined : nonPublicReason(host);
  if (why !== undefined) {
    return fail('CALLBACK_URL_PRIVATE_ADDRESS', `callback host ${host} is not a public address (${why})`);
  }
  return { ok: true, url: parsed };
}

/**
 * The syntactic checks plus every address the host resolves to. Resolution can change after this check (DNS
 * rebinding): the delivery therefore connects only to an address it checks at connect time (pinnedLookup).
 * Whether a host does not resolve or resolves inside the network is one answer, so the answer reveals nothing
 * of the government network's DNS.
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
    return fail('CALLBACK_URL_PRIVATE_ADDRESS', NOT_REACHABLE(host));
  }
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
    return fail('CALLBACK_URL_PRIVATE_ADDRESS', NOT_REACHABLE(host));
  }
  return syntax;
}

const NOT_REACHABLE = (host: string) => `callback host ${host} does not resolve to a public address`;

/**
 * A DNS lookup for the delivery's connection that refuses non-public addresses: what was checked is what is
 * connected to, so a name that changes its answer between the check and the connection (DNS rebinding)
 * reaches nothing inside.
 */
export function pinnedLookup(allowInsecure: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns
      .lookup(hostname, { all: true, family: options.family })
      .then((addresses) => {
        const allowed = addresses.filter((a) => allowInsecure || isPublicAddress(a.address));
        if (allowed.length === 0)
          throw Object.assign(new Error(NOT_REACHABLE(hostname)), { code: 'ENOTPUBLIC' });
        if (options.all === true) callback(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };
}
