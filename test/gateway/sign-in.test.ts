import assert from 'node:assert/strict';
import { AccessLogPage } from '../../shared/api/access-log';
import { AnyCaseView, Me } from '../../shared/api/responses';
import {
  DEV_PEOPLE,
  DEV_PRINCIPAL_MAP,
  startDevIdentityProvider,
} from '../../shared/node/dev-identity-provider';
import { OidcVerifier } from '../../gateway/oidc';
import { signIn, tokenOf } from '../helpers/sign-in';
import { OTHER_AUDIENCE, TEST_AUDIENCE, TEST_REDIRECT_URI } from '../setup/servers';
import { assertProblem, file, ok, untilStage, withGateway } from './support';

/**
 * Issue 19: people sign in through an OpenID provider (here a real one, oidc-provider, started by the suite)
 * and the gateway maps their claim to a principal by configuration. Every token here came from the provider's
 * own sign-in and consent pages through the authorization-code flow with PKCE.
 */
describe('gateway: sign-in for people (OpenID Connect)', () => {
  it('maps each person to the principal their group names, and their subject is the credential', async () => {
    await withGateway(async (gw) => {
      const people: [string, string, string][] = [
        ['nsa', 'agency:NSA', 'agency'],
        ['cisa', 'agency:CISA', 'agency'],
        ['dow', 'agency:DOW', 'agency'],
        ['caisi', 'agency:CAISI', 'agency'],
        ['doe', 'agency:DOE', 'agency'],
        ['treasury', 'agency:TREASURY', 'agency'],
        ['chair', 'chair', 'chair'],
        ['ops', 'ops', 'ops'],
      ];
      for (const [login, principal, role] of people) {
        const me = ok(await gw.call(await tokenOf(login), 'GET', '/v1/me'), Me);
        assert.deepEqual(me, { principal, role, keyId: `oidc:${login}` }, login);
      }
      const nobody = assertProblem(
        await gw.call(await tokenOf('nobody'), 'GET', '/v1/me'),
        401,
        'UNAUTHENTICATED',
      );
      assert.match(nobody.detail ?? '', /signed in, but no role here for this person/);
    });
  });

  it('refuses an expired token, a token for another audience, another provider’s token and a forged one', async () => {
    let skew = 0;
    await withGateway(
      async (gw) => {
        const token = await tokenOf('ops');
        ok(await gw.call(token, 'GET', '/v1/me'), Me);

        const refused = async (credential: string, detail: RegExp) => {
          const problem = assertProblem(await gw.call(credential, 'GET', '/v1/me'), 401, 'UNAUTHENTICATED');
          assert.match(problem.detail ?? '', detail);
        };
        await refused(await tokenOf('ops', OTHER_AUDIENCE), /the token is for another audience/);

        const [header, payload, signature] = token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, groups: ['review-chair'] })).toString(
          'base64url',
        );
        await refused(`${header}.${forged}.${signature}`, /signature does not verify/);

        const other = await startDevIdentityProvider({
          host: '127.0.0.1',
          port: 0,
          audience: TEST_AUDIENCE,
          redirectUris: [TEST_REDIRECT_URI],
        });
        try {
          const foreign = await signIn(other.issuer, 'chair', { redirectUri: TEST_REDIRECT_URI });
          await refused(foreign, /issued by another identity provider/);
        } finally {
          await other.close();
        }

        // The same token an hour on: the provider made it for 10 minutes.
        skew = 3600;
        await refused(token, /the token has expired/);
      },
      { tokenClock: () => Math.floor(Date.now() / 1000) + skew },
    );
  });

  it('records a signed-in person’s reads in the access log by their subject', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      const nsa = await tokenOf('nsa');
      ok(await gw.call(nsa, 'GET', `/v1/submissions/${id}`), AnyCaseView);
      const chair = await tokenOf('chair');
      const log = ok(await gw.call(chair, 'GET', `/v1/access-log?caseId=${id}`), AccessLogPage).items;
      assert.deepEqual(
        log.map((e) => [e.principal, e.keyId, e.action]),
        [['agency:NSA', 'oidc:nsa', 'CASE_READ']],
      );
    });
  });

  it('tells a token it cannot check from a bad one: the provider down is 503, not 401', async () => {
    const provider = await startDevIdentityProvider({
      host: '127.0.0.1',
      port: 0,
      audience: TEST_AUDIENCE,
      redirectUris: [TEST_REDIRECT_URI],
    });
    let token: string;
    const verifier = () =>
      new OidcVerifier({ issuer: provider.issuer, audience: TEST_AUDIENCE, principalMap: DEV_PRINCIPAL_MAP });
    const up = verifier();
    try {
      token = await signIn(provider.issuer, 'chair', { redirectUri: TEST_REDIRECT_URI });
      assert.deepEqual(await up.verify(token), {
        ok: true,
        caller: {
          principal: 'chair',
          role: 'chair',
          id: undefined,
          keyId: 'oidc:chair',
          // Who acts (issue 36): the person, by the provider's issuer, their subject and name.
          by: { kind: 'PERSON', issuer: provider.issuer, subject: 'chair', name: DEV_PEOPLE.chair.name },
        },
      });
    } finally {
      // Closed whatever happened above: a provider left open keeps the run from ending.
      await provider.close();
    }
    // A gateway that has not fetched the provider's keys yet cannot check the token: no verdict on it.
    const down = await verifier().verify(token);
    assert.equal(down.ok, false);
    assert.equal(!down.ok && down.unavailable, true, JSON.stringify(down));
    // Keys fetched before the outage still check tokens.
    assert.equal((await up.verify(token)).ok, true);
    // Through a gateway that trusts that provider: 503 with Retry-After, and API keys still work.
    await withGateway(
      async (gw) => {
        const res = await gw.call(token, 'GET', '/v1/me');
        assertProblem(res, 503, 'IDENTITY_PROVIDER_UNAVAILABLE');
        assert.ok(Number(res.headers['retry-after']) > 0, JSON.stringify(res.headers));
        ok(await gw.call(gw.parties.ops, 'GET', '/v1/me'), Me);
      },
      { identityIssuer: provider.issuer },
    );
  });
});
