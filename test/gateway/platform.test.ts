import { rm } from 'node:fs/promises';
import { TEST_NOTE_RING, TEST_PAYLOAD_RING } from '../helpers/sealing';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { noteErrorAsserted } from '../helpers/ledger';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { buildApp } from '../../gateway/app';
import { newApiKey } from '../../shared/node/api-keys';
import { freePort } from '../../shared/node/dev-server';
import { assertProblem, filing, gatewayFiles, withGateway } from './support';

describe('gateway: the platform around the API', () => {
  it('answers health and readiness without a key', async () => {
    await withGateway(async (gw) => {
      assert.deepEqual((await gw.call(undefined, 'GET', '/health')).body, { status: 'ok' });
      assert.deepEqual((await gw.call(undefined, 'GET', '/ready')).body, { status: 'ready' });
    });
  });

  it('serves an OpenAPI 3.1 document of every route, and a docs page', async () => {
    await withGateway(async (gw) => {
      const doc = (await gw.call(undefined, 'GET', '/openapi.json')).body as {
        openapi: string;
        paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
      };
      assert.equal(doc.openapi, '3.1.0');
      const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      );
      assert.equal(routes.length, 84);
      for (const r of [
        'POST /v1/submissions',
        'GET /v1/ops/cases',
        'GET /v1/ops/counts',
        'GET /v1/ops/government',
        'POST /v1/admin/keys/{keyId}/revocation',
        'POST /v1/admin/keys/{keyId}/signing-keys',
        'POST /v1/admin/signing-keys/{signingKeyId}/revocation',
        'POST /v1/submissions/{caseId}/statements',
        'POST /v1/findings/{findingId}/statements',
        'POST /v1/labs/{labId}/statements',
        'GET /v1/records/signing-keys',
        'GET /v1/access-log',
        'POST /v1/ops/closures',
        'POST /v1/submissions/{caseId}/designation',
        'POST /v1/submissions/{caseId}/decisions',
        'GET /metrics',
        'POST /codec/decode',
        'POST /codec/encode',
        'GET /v1/submissions/{caseId}/record',
        'GET /v1/archive/cases',
        'GET /v1/records/verifying-key',
        'POST /v1/findings',
        'GET /v1/findings',
        'GET /v1/findings/{findingId}',
        'POST /v1/findings/{findingId}/validation',
        'POST /v1/findings/{findingId}/rejection',
        'POST /v1/findings/{findingId}/extension',
        'POST /v1/findings/{findingId}/remediation',
        'POST /v1/findings/{findingId}/disclosure',
        'GET /v1/commitments',
        'GET /v1/commitments/{commitmentId}',
        'POST /v1/commitments/{commitmentId}/attestation',
        'POST /v1/commitments/{commitmentId}/confirmation',
        'POST /v1/commitments/{commitmentId}/dispute',
        'GET /v1/labs',
        'GET /v1/labs/{labId}',
        'POST /v1/labs/{labId}/designation',
        'POST /v1/labs/{labId}/revocation',
        'POST /v1/submissions/{caseId}/early-access',
        'GET /v1/grants',
        'GET /v1/grants/{grantId}',
        'POST /v1/grants/{grantId}/approval',
        'POST /v1/grants/{grantId}/declination',
        'POST /v1/grants/{grantId}/revocation',
        'POST /v1/grants/{grantId}/uses',
      ]) {
        assert.ok(routes.includes(r), r);
      }
      assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
        type: 'http',
        scheme: 'bearer',
        description: "An API key, or a person's access token from the identity provider (OpenID Connect)",
      });
      // Request bodies are their input schemas; schemas no operation refers to are left out.
      for (const schema of [
        'CaseView',
        'LabCaseView',
        'Problem',
        'CreateSubmissionInput',
        'RecordDecisionBodyInput',
      ]) {
        assert.ok(schema in doc.components.schemas, schema);
      }
      const decide = doc.paths['/v1/submissions/{caseId}/decisions'].post;
      assert.deepEqual(decide.security, [{ bearerAuth: [] }]);
      assert.deepEqual(Object.keys(decide.responses).sort(), [
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        // A signed decision whose signature does not hold (issue 36).
        '422',
        '503',
      ]);

      const docs = await gw.app.inject({ method: 'GET', url: '/docs/' });
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger-ui/i);
    });
  });

  it('answers an unknown route with a problem document', async () => {
    await withGateway(async (gw) => {
      const res = await gw.call(gw.parties.ops, 'GET', '/v1/nothing-here');
      assert.equal(assertProblem(res, 404, 'NOT_FOUND').detail, 'no route GET /v1/nothing-here');
    });
  });

  it('answers an unexpected failure with 500 INTERNAL and a request id, never the failure itself', async () => {
    await withGateway(async (gw) => {
      gw.app.get('/v1/explodes', () => {
        throw new Error('secret internals at /srv/frontier-review');
      });
      const res = await gw.call(gw.parties.ops, 'GET', '/v1/explodes');
      const problem = assertProblem(res, 500, 'INTERNAL');
      assert.equal(problem.detail, `see request ${problem.requestId} in the server log`);
      assert.equal(res.headers['x-request-id'], problem.requestId);
      assert.ok(!res.text.includes('secret internals'));
    });
  });

  it('answers headers too large for the server to read with 431 HEADERS_TOO_LARGE, as a problem document', async () => {
    await withGateway(
      async (gw) => {
        const { port } = new URL(gw.baseUrl!);
        const raw = await new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () => {
            socket.write(`GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`);
          });
          let text = '';
          socket.on('data', (d: Buffer) => (text += d.toString()));
          socket.on('end', () => resolve(text));
          socket.on('error', reject);
        });
        const [head, body] = raw.split('\r\n\r\n');
        assert.match(head, /^HTTP\/1\.1 431 /);
        assert.match(head, /Content-Type: application\/problem\+json/);
        noteErrorAsserted('HEADERS_TOO_LARGE');
        assert.deepEqual(JSON.parse(body), {
          type: 'urn:frontier-review:error:HEADERS_TOO_LARGE',
          title: 'The request headers are too large',
          status: 431,
          code: 'HEADERS_TOO_LARGE',
          detail: 'the request headers are too large',
        });
      },
      { listen: true },
    );
  });

  it('answers a method a path does not answer with 405 and Allow, and a path segment too long with 414', async () => {
    await withGateway(async (gw) => {
      for (const method of ['PUT', 'DELETE', 'QUERY']) {
        const res = await gw.app.inject({
          method: method as never,
          url: '/v1/submissions/abc',
          headers: { authorization: `Bearer ${gw.keys[gw.parties.ops]}` },
        });
        assertProblem(
          { status: res.statusCode, body: res.json(), text: res.body, headers: res.headers },
          405,
          'METHOD_NOT_ALLOWED',
        );
        assert.equal(res.headers.allow, 'GET');
      }
      const long = await gw.call(gw.parties.ops, 'GET', `/v1/submissions/${'x'.repeat(300)}`);
      assertProblem(long, 414, 'URI_TOO_LONG');
    });
  });

  it('answers 503 with Retry-After while Temporal is unreachable', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const { key, record } = newApiKey('lab:acme', 'acme');
    const files = await gatewayFiles([record]);
    const app = buildApp({
      logger: pino({ level: 'silent' }),
      temporal: new Client({ connection }),
      ...files,
      config: {
        TEMPORAL_TASK_QUEUE: 'unreachable',
        HTTP_BODY_LIMIT: 64 * 1024,
        RATE_LIMIT_PER_MINUTE: 600,
        RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: 600,
      },
      // The suite's lab receiver listens on loopback, as development mode allows.
      callbackUrls: { allowInsecure: true },
      policyInForce: () => 'draft-2026-90d',
      notes: TEST_NOTE_RING,
      payloads: TEST_PAYLOAD_RING,
      callTimeoutMs: 300,
    });
    try {
      const auth = { authorization: `Bearer ${key}` };
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.headers['retry-after'], '5');
      for (const req of [
        { method: 'GET' as const, url: '/v1/submissions/sub-1' },
        { method: 'POST' as const, url: '/v1/submissions', payload: filing() },
        { method: 'POST' as const, url: '/v1/submissions/sub-1/withdrawal', payload: {} },
      ]) {
        const res = await app.inject({ ...req, headers: auth });
        const body = {
          status: res.statusCode,
          body: JSON.parse(res.body) as unknown,
          text: res.body,
          headers: res.headers,
        };
        assertProblem(body, 503, 'TEMPORAL_UNAVAILABLE');
        assert.equal(res.headers['retry-after'], '5');
      }
      // The scrape's visibility counts have a deadline too: no counts ever answered, so 503, not 500.
      const ops = newApiKey('ops', 'prometheus');
      await files.apiKeys.add(ops.record);
      const scrape = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${ops.key}` },
      });
      assert.equal(scrape.statusCode, 503, scrape.body);
      assert.equal(JSON.parse(scrape.body).code, 'TEMPORAL_UNAVAILABLE');
      assert.equal(scrape.headers['retry-after'], '5');
    } finally {
      await app.close();
      await connection.close();
      await rm(files.dir, { recursive: true, force: true });
    }
  });

  it('never writes an API key to its logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    await withGateway(
      async (gw) => {
        const key = gw.keys[gw.parties.ops];
        await gw.call(gw.parties.ops, 'GET', '/v1/me');
        await gw.call(gw.parties.ops, 'GET', '/v1/ops/cases?stage=LIMBO');
        await gw.call(undefined, 'GET', '/v1/me', undefined, { authorization: 'Bearer frk_wrong-key-123' });
        const log = lines.join('');
        assert.ok(log.includes('"principal":"ops"'), 'requests are logged with their principal');
        assert.ok(!log.includes(key), 'no API key in the logs');
        assert.ok(!log.includes('frk_wrong-key-123'), 'no presented key either');
      },
      { logger: pino({ level: 'trace' }, sink) },
    );
  });
});
