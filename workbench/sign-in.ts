import * as oidc from 'openid-client';
import type { OidcVerifier, SignedInPerson } from '../gateway/oidc';
import type { ClientKey } from '../shared/node/client-key';
import { WorkbenchError } from './errors';

/**
 * People's sign-in, run by the gateway (openid-client): the authorization code flow with PKCE, as a
 * confidential client (with a secret, or with a private key: `private_key_jwt`), so no script runs in the browser and the tokens never reach it. The access token is
 * verified exactly as the API verifies one (../gateway/oidc.ts), and yields the person and every principal
 * their claims map to.
 */
export interface SignInSettings {
  issuer: string;
  clientId: string;
  /**
   * How the client proves itself at the token endpoint: a private key's signed assertion (`private_key_jwt`, as
   * Login.gov asks) when it has one, else its secret (`client_secret_basic`).
   */
  clientSecret?: string;
  clientKey?: ClientKey;
  /** The API's audience: the access token is asked for it (RFC 8707) and checked by `verifier`. */
  audience: string;
  verifier: OidcVerifier;
}

export interface SignInStart {
  url: string;
  verifier: string;
  state: string;
}

export class PeopleSignIn {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: SignInSettings) {}

  /** The provider's metadata, found once (a failure is forgotten, so the next sign-in tries again). */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        undefined,
        this.settings.clientKey === undefined
          ? oidc.ClientSecretBasic(this.settings.clientSecret ?? '')
          : oidc.PrivateKeyJwt(this.settings.clientKey),
        // A development provider on a loopback address speaks plain HTTP; any other must speak HTTPS.
        isLoopback(this.settings.issuer)
          ? { execute: [oidc.allowInsecureRequests], timeout: 5 }
          : { timeout: 5 },
      )
      .catch((err: unknown) => {
        this.configuration = undefined;
        throw unavailable(err);
      });
    return this.configuration;
  }

  async start(redirectUri: string): Promise<SignInStart> {
    const config = await this.config();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile api',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      resource: this.settings.audience,
    });
    return { url: url.href, verifier, state };
  }

  /** The person the provider's answer names, or a refusal the page shows (never the provider's raw error). */
  async finish(
    callbackUrl: URL,
    checks: { verifier: string; state: string },
    redirectUri: string,
  ): Promise<SignedInPerson> {
    const config = await this.config();
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: checks.verifier, expectedState: checks.state },
        { redirect_uri: redirectUri, resource: this.settings.audience },
      );
      accessToken = tokens.access_token;
    } catch (err) {
      if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError)
        throw new WorkbenchError(
          401,
          'The sign-in was refused',
          `the identity provider answered: ${err.error}`,
        );
      if (err instanceof TypeError || (err as { name?: string }).name === 'TimeoutError')
        throw unavailable(err);
      throw new WorkbenchError(401, 'The sign-in did not complete', 'start again from the sign-in page');
    }
    const checked = await this.settings.verifier.person(accessToken);
    if (!checked.ok) {
      if (checked.unavailable) throw unavailable(checked.detail);
      throw new WorkbenchError(401, 'The sign-in was refused', checked.detail);
    }
    return checked.person;
  }
}

const isLoopback = (url: string): boolean => /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)[:/]/.test(url);

const unavailable = (err: unknown) =>
  new WorkbenchError(
    503,
    'The identity provider cannot be reached',
    `try again in a minute (${err instanceof Error ? err.message : String(err)})`,
  );
