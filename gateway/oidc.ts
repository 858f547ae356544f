import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { ActedBy } from '../shared/domain/acted-by';
import { agencyOf, labOf, operatorOf, roleOf, type Role } from '../shared/domain/principal';

/**
 * Sign-in for people: the gateway accepts OpenID Connect access tokens (JWTs) from one identity provider,
 * verified against the keys it publishes (jose), for one audience, and maps a claim to a principal through
 * configuration (OIDC_PRINCIPAL_MAP), never through code: an agency, the chair, operations staff, and a lab or an
 * operator where the provider carries a claim that names one. A provider that names no lab (Login.gov) signs in
 * labs' and operators' people whom administrators enrolled (issue 38; shared/node/people.ts). Scripts use API keys.
 */

/** `{"claim": "groups", "map": {"nsa-reviewers": "agency:NSA", "review-chair": "chair", ...}}` */
export const PrincipalMap = z.strictObject({
  claim: z.string().min(1).max(100),
  map: z.record(
    z.string().min(1),
    z.string().refine((p) => roleOf(p) !== undefined, {
      message: 'people map to agency:<ID>, chair, ops, lab:<id> or operator:<id>',
    }),
  ),
});
export type PrincipalMap = z.infer<typeof PrincipalMap>;

export interface OidcSettings {
  issuer: string;
  audience: string;
  principalMap: PrincipalMap;
  /** The principals administrators enrolled this person as (issue 38), read at each verification. */
  enrolled?: (issuer: string, subject: string) => readonly Enrolled[];
  /** The verifier's clock (seconds since the epoch); tests move it on to see a real token expire. */
  now?: () => number;
}

/** One principal a person was enrolled as; a lab's person may be one of its security contacts. */
export interface Enrolled {
  principal: string;
  securityContact?: boolean;
}

/** A bearer token that is a JWT (three base64url parts), as opposed to an API key. */
export const isJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

/** A person signed in: the principal their claim maps to, and their subject at the provider as the credential. */
export interface Person {
  principal: string;
  role: Role;
  id?: string;
  keyId: string;
  /** A lab's person enrolled as one of its security contacts (issue 38). */
  securityContact?: boolean;
  /** The person, as the provider names them (issue 36): what the case records beside the principal. */
  by: ActedBy;
}

/** A refused token; `unavailable` when the provider's keys could not be fetched (the token may well be good). */
export type TokenCheck = { ok: true; caller: Person } | { ok: false; detail: string; unavailable?: true };

/** A person signed in, with every principal their claims map to. */
export interface SignedInPerson {
  by: ActedBy;
  principals: string[];
}
export type PersonCheck =
  { ok: true; person: SignedInPerson } | { ok: false; detail: string; unavailable?: true };

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** The person behind a verified token: its issuer and subject, and the name it gives (`name`, else none). */
function personOf(issuer: string, payload: JWTPayload): ActedBy {
  const name = typeof payload.name === 'string' ? payload.name.trim().slice(0, 200) : '';
  return {
    kind: 'PERSON',
    issuer,
    subject: payload.sub!.slice(0, 255),
    ...(name === '' ? {} : { name }),
  };
}

export class OidcVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  /** The claim values the map names, and nothing else: never a property every object inherits. */
  private readonly principals: ReadonlyMap<string, string>;

  constructor(private readonly settings: OidcSettings) {
    this.principals = new Map(Object.entries(settings.principalMap.map));
  }

  /** The provider's signing keys, found through its discovery document (then cached and refreshed by jose). */
  private async jwks(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys !== undefined) return this.keys;
    const url = new URL('.well-known/openid-configuration', `${this.settings.issuer.replace(/\/$/, '')}/`);
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`OpenID discovery at ${url.href} answered ${res.status}`);
    const { jwks_uri } = z.object({ jwks_uri: z.url() }).parse(await res.json());
    this.keys = createRemoteJWKSet(new URL(jwks_uri), { timeoutDuration: 5_000 });
    return this.keys;
  }

  /** The caller behind an access token, or why the token is refused. */
  async verify(token: string): Promise<TokenCheck> {
    const checked = await this.person(token);
    if (!checked.ok) return checked;
    const { principals, by } = checked.person;
    // A bearer token names one principal: a person whose claims map to several chooses one at the workbench.
    if (principals.length !== 1) {
      return {
        ok: false,
        detail: `signed in, but ${principals.length === 0 ? 'no role' : 'more than one role'} here for this person (claim ${this.settings.principalMap.claim})`,
      };
    }
    return { ok: true, caller: personCaller(principals[0], by, this.securityContact(by, principals[0])) };
  }

  /**
   * The person behind an access token and every principal their claims map to (none, one or several), or why
   * the token is refused. The workbench's sign-in lets a person with several choose one.
   */
  async person(token: string): Promise<PersonCheck> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      return { ok: false, detail: 'the bearer token is not a valid JWT' };
    }
    // Named before the signature is checked, so a token of another provider is told apart from a forged one.
    if (claims.iss !== this.settings.issuer)
      return { ok: false, detail: 'the token was issued by another identity provider' };
    let keys: Awaited<ReturnType<OidcVerifier['jwks']>>;
    try {
      keys = await this.jwks();
    } catch (err) {
      return {
        ok: false,
        unavailable: true,
        detail: `the identity provider cannot be reached: ${String(err)}`,
      };
    }
    let payload: JWTPayload;
    try {
      const now = this.settings.now?.();
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ALGORITHMS,
        ...(now === undefined ? {} : { currentDate: new Date(now * 1000) }),
      }));
    } catch (err) {
      if (keysUnreachable(err))
        return { ok: false, unavailable: true, detail: "the identity provider's keys cannot be fetched" };
      return { ok: false, detail: refusal(err) };
    }
    // Every act names its person by issuer and subject: a token without a subject names no one.
    if (typeof payload.sub !== 'string' || payload.sub === '')
      return { ok: false, detail: 'the token names no subject (sub)' };
    return {
      ok: true,
      person: { by: personOf(this.settings.issuer, payload), principals: this.principalsOf(payload) },
    };
  }

  /** Whether the person acts for a lab as one of its enrolled security contacts. */
  securityContact(by: ActedBy, principal: string): boolean {
    if (by.kind !== 'PERSON' || roleOf(principal) !== 'lab') return false;
    return (this.settings.enrolled?.(by.issuer, by.subject) ?? []).some(
      (e) => e.principal === principal && e.securityContact === true,
    );
  }

  /** Every principal the claim maps to or the person was enrolled as, sorted (none: no role here). */
  private principalsOf(payload: JWTPayload): string[] {
    const { claim } = this.settings.principalMap;
    const value: unknown = Object.hasOwn(payload, claim) ? payload[claim] : undefined;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    const principals = new Set(
      values.flatMap((v) => {
        const principal = typeof v === 'string' ? this.principals.get(v) : undefined;
        return principal === undefined ? [] : [principal];
      }),
    );
    for (const e of this.settings.enrolled?.(this.settings.issuer, payload.sub!) ?? [])
      principals.add(e.principal);
    return [...principals].sort();
  }
}

/** A person acting as one of their principals. */
export function personCaller(principal: string, by: ActedBy, securityContact = false): Person {
  return {
    principal,
    role: roleOf(principal)!,
    id: agencyOf(principal) ?? labOf(principal) ?? operatorOf(principal),
    keyId: `oidc:${by.kind === 'PERSON' ? by.subject : ''}`,
    by,
    ...(securityContact ? { securityContact } : {}),
  };
}

/** jose fetches the keys when it first needs them, or meets an unknown key id: a failed fetch is no verdict. */
const keysUnreachable = (err: unknown): boolean =>
  err instanceof errors.JWKSTimeout ||
  err instanceof TypeError || // fetch failed: connection refused, DNS
  (err instanceof errors.JOSEError && /JSON Web Key Set HTTP response/.test(err.message));

function refusal(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the token is for another audience';
    if (err.claim === 'iss') return 'the token was issued by another identity provider';
    return `the token's ${err.claim} claim is not valid`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return "the token's signature does not verify with the identity provider's keys";
  }
  if (err instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm this API refuses';
  return 'the token could not be verified';
}
