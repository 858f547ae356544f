import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type Configuration } from 'oidc-provider';

/**
 * A local OpenID provider for the embedded default and the tests: oidc-provider (a certified OpenID Connect
 * implementation) with one person per role of the review. It issues JWT access tokens for the API (RFC 8707
 * resource indicators) carrying a `groups` claim, which the gateway maps to principals by configuration
 * (OIDC_PRINCIPAL_MAP), exactly as it maps an agency's own provider's claims.
 *
 * Development only: its sign-in page accepts any password for the people below (oidc-provider's development
 * interactions). A deployment points OIDC_ISSUER at the agencies' identity provider instead.
 */

/** The people of the development provider: login name → their group. */
export const DEV_PEOPLE: Readonly<Record<string, { name: string; group: string; also?: readonly string[] }>> =
  {
    nsa: { name: 'NSA reviewer', group: 'nsa-reviewers' },
    cisa: { name: 'CISA reviewer', group: 'cisa-reviewers' },
    dow: { name: 'DOW reviewer', group: 'dow-reviewers' },
    caisi: { name: 'CAISI reviewer', group: 'caisi-reviewers' },
    doe: { name: 'DOE reviewer', group: 'doe-reviewers' },
    treasury: { name: 'Treasury reviewer', group: 'treasury-reviewers' },
    chair: { name: 'Office of the chair', group: 'review-chair' },
    ops: { name: 'Operations desk', group: 'ops-desk' },
    nobody: { name: 'A person with no role here', group: 'visitors' },
    /** Two roles: the workbench asks whom they act as. */
    'nsa-chair': { name: 'NSA reviewer and deputy chair', group: 'nsa-reviewers', also: ['review-chair'] },
    /**
     * A lab's and an operator's people (issue 38): like Login.gov, the provider names no lab, so their group
     * maps to nothing; administrators enrol them (DEV_ENROLMENTS, made at the embedded default's start).
     */
    lab: { name: 'Sample lab filer', group: 'public' },
    'lab-security': { name: 'Sample lab security contact', group: 'public' },
    operator: { name: 'Sample grid operator', group: 'public' },
  };

/** Whom the embedded default enrols its lab's and operator's people as (by their login, their subject here). */
export const DEV_ENROLMENTS: readonly { subject: string; principal: string; securityContact?: boolean }[] = [
  { subject: 'lab', principal: 'lab:sample-lab' },
  { subject: 'lab-security', principal: 'lab:sample-lab', securityContact: true },
  { subject: 'operator', principal: 'operator:sample-grid' },
];

const groupsOf = (p: { group: string; also?: readonly string[] }): string[] => [p.group, ...(p.also ?? [])];

/** How the development provider's groups map to principals (the shape of OIDC_PRINCIPAL_MAP). */
export const DEV_PRINCIPAL_MAP = {
  claim: 'groups',
  map: {
    'nsa-reviewers': 'agency:NSA',
    'cisa-reviewers': 'agency:CISA',
    'dow-reviewers': 'agency:DOW',
    'caisi-reviewers': 'agency:CAISI',
    'doe-reviewers': 'agency:DOE',
    'treasury-reviewers': 'agency:TREASURY',
    'review-chair': 'chair',
    'ops-desk': 'ops',
  },
};

/** The dashboard's client: public, authorization code with PKCE. */
export const DASHBOARD_CLIENT_ID = 'frontier-review-dashboard';

export interface DevIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

export interface DevIdentityProviderOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The API's audience: access tokens are issued for it (and for `otherAudiences`, for tests). */
  audience: string;
  otherAudiences?: string[];
  /** Where the dashboard's sign-in returns. */
  redirectUris: string[];
  /** The dashboard's client id (DASHBOARD_CLIENT_ID unless configured). */
  clientId?: string;
  /** The workbench's confidential client: the gateway signs people in with its secret. */
  workbench?: { clientId: string; clientSecret: string; redirectUris: string[] };
  /**
   * A confidential client that proves itself with a signed assertion (`private_key_jwt`), as Login.gov asks of
   * its clients: its public keys; the gateway signs with the private half (WORKBENCH_CLIENT_KEY_FILE).
   */
  keyedClient?: { clientId: string; jwks: { keys: JWK[] }; redirectUris: string[] };
  accessTokenTtlSeconds?: number;
}

export async function startDevIdentityProvider(
  opts: DevIdentityProviderOptions,
): Promise<DevIdentityProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: randomBytes(6).toString('hex'),
  };
  const audiences = new Set([opts.audience, ...(opts.otherAudiences ?? [])]);
  // Own entries only: a login such as `constructor` or `__proto__` is nobody, not a property of every object.
  const people = new Map(Object.entries(DEV_PEOPLE));
  const person = (id: string) => people.get(id);

  // The issuer names the port, so the server is bound first and the provider mounted on it after.
  const mounted: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => mounted.handle?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `the development identity provider cannot listen on ${opts.host}:${opts.port} (${err.code ?? err.message}): ` +
            'set OIDC_DEV_PROVIDER_PORT to a free port, or 0 for none',
        ),
      ),
    );
    server.listen(opts.port, opts.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : opts.port;
  const issuer = `http://${opts.host}:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: opts.clientId ?? DASHBOARD_CLIENT_ID,
        // On loopback addresses only, as a native client: the dashboard's port may then vary (RFC 8252 7.3),
        // as it does between the suite's gateways.
        ...(opts.redirectUris.every((u) => /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(u))
          ? { application_type: 'native' as const }
          : {}),
        token_endpoint_auth_method: 'none',
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      ...(opts.workbench === undefined
        ? []
        : [
            {
              client_id: opts.workbench.clientId,
              client_secret: opts.workbench.clientSecret,
              ...(opts.workbench.redirectUris.every((u) =>
                /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(u),
              )
                ? { application_type: 'native' as const }
                : {}),
              token_endpoint_auth_method: 'client_secret_basic' as const,
              redirect_uris: opts.workbench.redirectUris,
              grant_types: ['authorization_code'],
              response_types: ['code' as const],
            },
          ]),
      ...(opts.keyedClient === undefined
        ? []
        : [
            {
              client_id: opts.keyedClient.clientId,
              ...(opts.keyedClient.redirectUris.every((u) =>
                /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(u),
              )
                ? { application_type: 'native' as const }
                : {}),
              token_endpoint_auth_method: 'private_key_jwt' as const,
              jwks: opts.keyedClient.jwks,
              redirect_uris: opts.keyedClient.redirectUris,
              grant_types: ['authorization_code'],
              response_types: ['code' as const],
            },
          ]),
    ],
    findAccount: (_ctx, id) => {
      const p = person(id);
      if (p === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: p.name, groups: groupsOf(p) }) };
    },
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    scopes: ['openid', 'profile', 'api'],
    pkce: { required: () => true },
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: {
      AccessToken: opts.accessTokenTtlSeconds ?? 600,
      IdToken: 600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    clientBasedCORS: () => true,
    extraTokenClaims: (_ctx, token) => {
      const p =
        'accountId' in token && typeof token.accountId === 'string' ? person(token.accountId) : undefined;
      return p === undefined ? undefined : { name: p.name, groups: groupsOf(p) };
    },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => opts.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (!audiences.has(resource)) throw new errors.InvalidTarget();
          return {
            scope: 'api',
            audience: resource,
            accessTokenTTL: opts.accessTokenTtlSeconds ?? 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  mounted.handle = (req, res) => void callback(req, res);
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
