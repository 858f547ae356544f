import { createHash, randomBytes } from 'node:crypto';
import { DASHBOARD_CLIENT_ID } from '../../shared/node/dev-identity-provider';
import { TEST_REDIRECT_URI, testServers } from '../setup/servers';

/**
 * Signs a person in through a real OpenID provider as a browser would, over HTTP: the authorization-code flow
 * with PKCE, the provider's own sign-in and consent pages, cookies kept between requests, and the code
 * exchanged at its token endpoint. Answers the access token. (The dashboard test does the same in Chromium.)
 */
export async function signIn(
  issuer: string,
  login: string,
  opts: { redirectUri: string; resource?: string },
): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  const submit = (action: string, fields: Record<string, string>) =>
    request(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  const query = new URLSearchParams({
    client_id: DASHBOARD_CLIENT_ID,
    response_type: 'code',
    redirect_uri: opts.redirectUri,
    scope: 'openid profile api',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...(opts.resource === undefined ? {} : { resource: opts.resource }),
  });
  let res = await request(`/auth?${query.toString()}`);
  for (let step = 0; step < 12; step += 1) {
    const location = res.headers.get('location');
    if (location !== null && location.startsWith(opts.redirectUri)) {
      const code = new URL(location).searchParams.get('code');
      if (code === null) throw new Error(`sign-in of ${login} refused: ${location}`);
      const token = await fetch(new URL('/token', issuer), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: opts.redirectUri,
          client_id: DASHBOARD_CLIENT_ID,
          code_verifier: verifier,
          ...(opts.resource === undefined ? {} : { resource: opts.resource }),
        }).toString(),
      });
      const body = (await token.json()) as { access_token?: string; error?: string };
      if (body.access_token === undefined) throw new Error(`token endpoint: ${JSON.stringify(body)}`);
      return body.access_token;
    }
    if (location !== null) {
      res = await request(location);
      continue;
    }
    // A page of the provider: sign in, or consent.
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (action === undefined)
      throw new Error(`unexpected page from the provider (${res.status}): ${html.slice(0, 300)}`);
    res = html.includes('name="login"')
      ? await submit(action, { prompt: 'login', login, password: 'any' })
      : await submit(action, { prompt: 'consent' });
  }
  throw new Error(`sign-in of ${login} did not finish`);
}

const tokens = new Map<string, { token: Promise<string>; at: number }>();
/** Tokens live 10 minutes (the provider's setting); one older than this is replaced before it is used. */
const REUSE_MS = 5 * 60_000;

/**
 * A person's access token from the suite's identity provider (test/setup/servers.ts), signed in once per
 * audience and reused for 5 minutes: a token minted earlier in the run would expire under a later test (the
 * suite runs for longer than a token lives; three sign-in tests failed so once the suite grew).
 */
export function tokenOf(login: string, resource?: string): Promise<string> {
  const key = `${login} ${resource ?? ''}`;
  const cached = tokens.get(key);
  if (cached !== undefined && Date.now() - cached.at < REUSE_MS) return cached.token;
  const token = signIn(testServers().identity.issuer, login, { redirectUri: TEST_REDIRECT_URI, resource });
  tokens.set(key, { token, at: Date.now() });
  return token;
}
