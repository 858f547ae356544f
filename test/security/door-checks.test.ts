import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError } from '@temporalio/client';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { IssuedKey, KeyList } from '../../shared/api/admin';
import { caseIdOf, reviewWorkflowId } from '../../shared/domain/review/workflow';
import { addLabSecret } from '../../shared/node/callback-secrets';
import { DEV_PRINCIPAL_MAP } from '../../shared/node/dev-identity-provider';
import { OidcVerifier } from '../../gateway/oidc';
import { TEST_REDIRECT_URI, testServers } from '../setup/servers';
import { signIn } from '../helpers/sign-in';
import { uniqueId } from '../helpers/workers';
import { assertProblem, filing, ok, withGateway } from '../gateway/support';

/**
 * Issue 34, item 9: the smaller doors. A filing whose release date has passed, a lab key for a lab whose
 * callbacks could not be signed, /codec/encode as the Temporal CLI calls it, and login or claim values that
 * name a property every object inherits.
 */

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('the smaller doors (issue 34)', function () {
  this.timeout(120_000);

  it('refuses a filing whose release date has passed, 422 RELEASE_DATE_INVALID, and starts no case', async () => {
    await withGateway(async (gw) => {
      const labId = gw.parties.lab.slice(4);
      for (const plannedReleaseDate of [
        new Date(Date.now() - 60_000).toISOString(),
        '2020-01-01T00:00:00Z',
      ]) {
        const submissionId = uniqueId('past');
        const problem = assertProblem(
          await gw.call(
            gw.parties.lab,
            'POST',
            '/v1/submissions',
            filing({ submissionId, plannedReleaseDate }),
          ),
          422,
          'RELEASE_DATE_INVALID',
        );
        assert.deepEqual(
          problem.issues?.map((i) => [i.in, i.path]),
          [['body', '/plannedReleaseDate']],
        );
        await assert.rejects(
          gw.client.workflow.getHandle(reviewWorkflowId(caseIdOf(labId, submissionId))).describe(),
          WorkflowNotFoundError,
        );
      }
    });
  });

  it('issues a lab key only for a lab with a callback secret, and says how to add one', async () => {
    await withGateway(async (gw) => {
      const { admin } = gw.parties;
      const labId = uniqueId('nosecret');
      const keysBefore = ok(await gw.call(admin, 'GET', '/v1/admin/keys'), KeyList).items.length;
      const problem = assertProblem(
        await gw.call(admin, 'POST', '/v1/admin/keys', { principal: `lab:${labId}`, holder: 'lab CI' }),
        409,
        'LAB_CALLBACK_SECRET_MISSING',
      );
      assert.match(problem.detail ?? '', new RegExp(`frontier-review labs add ${labId}`));
      assert.match(problem.detail ?? '', new RegExp(`npx frontier-review admin lab-secret ${labId}`));
      assert.equal(ok(await gw.call(admin, 'GET', '/v1/admin/keys'), KeyList).items.length, keysBefore);
      // Once the lab has its secret (`admin lab-secret`), its key is issued.
      await addLabSecret(gw.files.callbackSecretsFile, labId);
      const issued = ok(
        await gw.call(admin, 'POST', '/v1/admin/keys', { principal: `lab:${labId}`, holder: 'lab CI' }),
        IssuedKey,
        201,
      );
      assert.equal(issued.principal, `lab:${labId}`);
    });
  });

  it('refuses /codec/encode with 403 and a problem, whatever the Temporal CLI sends it', async () => {
    await withGateway(async (gw) => {
      const encoding = Buffer.from('json/plain').toString('base64');
      const asTheCliSends: { body: object; headers: Record<string, string> }[] = [
        // `temporal workflow query --codec-endpoint`: the query's arguments, without an X-Namespace header.
        { body: { payloads: [{ metadata: { encoding }, data: 'InEi' }] }, headers: {} },
        { body: { payloads: [] }, headers: {} },
        { body: {}, headers: { 'x-namespace': gw.namespace } },
      ];
      for (const { body, headers } of asTheCliSends) {
        for (const as of [gw.parties.ops, gw.parties.chair, gw.parties.lab]) {
          const res = await gw.call(as, 'POST', '/codec/encode', body, headers);
          const problem = assertProblem(res, 403, 'FORBIDDEN');
          assert.match(problem.detail ?? '', /never sealed by hand/);
        }
      }
    });
  });
});

describe('login and claim values never read through a prototype (issue 34)', function () {
  this.timeout(60_000);

  it('signs nobody in with a login that names an inherited property, as with any unknown login', async () => {
    const { issuer } = testServers().identity;
    for (const login of [...PROTOTYPE_NAMES, 'no-such-person']) {
      await assert.rejects(
        signIn(issuer, login, { redirectUri: TEST_REDIRECT_URI }),
        /unexpected page from the provider \(500\)/,
        login,
      );
    }
  });

  describe("the gateway's claim map", () => {
    let server: Server;
    let issuer: string;
    let sign: (groups: unknown) => Promise<string>;

    before(async () => {
      // An identity provider of the test's own, whose tokens may carry any claim value.
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((req, res) => {
        const body =
          req.url === '/jwks'
            ? { keys: [jwk] }
            : { issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['ES256'] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      sign = (groups) =>
        new SignJWT({ groups })
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('urn:frontier-review:api')
          .setSubject('someone')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const verifier = () =>
      new OidcVerifier({ issuer, audience: 'urn:frontier-review:api', principalMap: DEV_PRINCIPAL_MAP });

    it('maps a group it names', async () => {
      const checked = await verifier().verify(await sign(['nsa-reviewers']));
      assert.deepEqual(checked.ok && checked.caller.principal, 'agency:NSA');
    });

    for (const value of PROTOTYPE_NAMES) {
      it(`finds no role for the claim value ${value}, alone or beside a real group`, async () => {
        const v = verifier();
        assert.deepEqual(await v.verify(await sign([value])), {
          ok: false,
          detail: 'signed in, but no role here for this person (claim groups)',
        });
        assert.deepEqual(await v.verify(await sign(value)), {
          ok: false,
          detail: 'signed in, but no role here for this person (claim groups)',
        });
        const beside = await v.verify(await sign([value, 'review-chair']));
        assert.deepEqual(beside.ok && beside.caller.principal, 'chair');
      });
    }
  });
});
