import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../gateway/app';
import { clientAddressKey, RateLimiter } from '../../gateway/rate-limits';
import { newApiKey, type KeyPrincipal } from '../../shared/node/api-keys';
import { freePort } from '../../shared/node/dev-server';
import { assertProblem, gatewayFiles, type GatewayFiles, type Response } from '../gateway/support';
import { TEST_NOTE_RING, TEST_PAYLOAD_RING } from '../helpers/sealing';

/**
 * Issue 34, item 7: rate limits per credential on /v1 and on /codec, and per client address for requests
 * without a valid credential, applied before the body is read. None of these requests reaches Temporal: the
 * gateway here has none.
 */

const LIMIT = 5;
const NAMESPACE = 'default';
/** An unsealed payload, as the Temporal CLI sends one to decode. */
const PAYLOADS = {
  payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'e30=' }],
};

describe('rate limits everywhere it matters (issue 34)', function () {
  this.timeout(30_000);
  let app: FastifyInstance;
  let files: GatewayFiles;
  let connection: Connection;
  let keys: Record<string, string>;

  beforeEach(async () => {
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const made = (['ops', 'chair', 'lab:acme'] as KeyPrincipal[]).map((p) => newApiKey(p, `test ${p}`));
    keys = Object.fromEntries(made.map((m) => [m.record.principal, m.key]));
    files = await gatewayFiles(made.map((m) => m.record));
    app = buildApp({
      logger: pino({ level: 'silent' }),
      temporal: new Client({ connection, namespace: NAMESPACE }),
      ...files,
      config: {
        TEMPORAL_TASK_QUEUE: 'unreachable',
        HTTP_BODY_LIMIT: 64 * 1024,
        RATE_LIMIT_PER_MINUTE: LIMIT,
        RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: LIMIT,
      },
      callbackUrls: { allowInsecure: false },
      policyInForce: () => 'draft-2026-90d',
      notes: TEST_NOTE_RING,
      payloads: TEST_PAYLOAD_RING,
    });
  });
  afterEach(async () => {
    await app.close();
    await connection.close();
    await rm(files.dir, { recursive: true, force: true });
  });

  const send = async (opts: {
    as?: string;
    url: string;
    method?: 'GET' | 'POST';
    from?: string;
    body?: string;
  }): Promise<Response> => {
    const res = await app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      remoteAddress: opts.from ?? '203.0.113.7',
      headers: {
        ...(opts.as === undefined ? {} : { authorization: `Bearer ${keys[opts.as] ?? opts.as}` }),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json', 'x-namespace': NAMESPACE }),
      },
      ...(opts.body === undefined ? {} : { payload: opts.body }),
    });
    const json = /json/.test(String(res.headers['content-type'] ?? '')) ? res.json<unknown>() : undefined;
    return { status: res.statusCode, body: json, text: res.body, headers: res.headers };
  };
  const decode = (as: string, body = JSON.stringify(PAYLOADS)) =>
    send({ as, method: 'POST', url: '/codec/decode', body });

  const limited = (res: Response) => {
    const problem = assertProblem(res, 429, 'RATE_LIMITED');
    assert.match(String(res.headers['retry-after']), /^[1-9]\d*$/);
    return problem;
  };

  it('answers a flood of /codec/decode with 429 RATE_LIMITED, before reading the body', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await decode('ops')).status, 200);
    assert.match(limited(await decode('ops')).detail ?? '', /for this credential/);
    // Past the limit the body is not even parsed: a malformed one is refused for the rate, not its syntax.
    limited(await decode('ops', '{"payloads": [nonsense'));
  });

  it("holds back only the credential that sent too much: another key, and the same key's /v1, go on", async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await decode('ops')).status, 200);
    limited(await decode('ops'));
    assert.equal((await decode('chair')).status, 200, 'another key decodes');
    assert.equal((await send({ as: 'ops', url: '/v1/me' })).status, 200, '/v1 keeps its own budget');
    for (let i = 0; i < LIMIT; i++) assert.equal((await send({ as: 'lab:acme', url: '/v1/me' })).status, 200);
    limited(await send({ as: 'lab:acme', url: '/v1/me' }));
    assert.equal((await decode('chair')).status, 200, "the lab's limit holds back no one else");
    // A valid key is not counted against its address: requests without one from there are still 401.
    assertProblem(await send({ url: '/v1/me' }), 401, 'UNAUTHENTICATED');
  });

  it('answers a flood of /v1 past the limit with 429 before reading the body', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await send({ as: 'lab:acme', url: '/v1/me' })).status, 200);
    limited(await send({ as: 'lab:acme', method: 'POST', url: '/v1/submissions', body: '{"model": [' }));
  });

  it('limits requests without a valid credential per client address: none, a bad key, a bad token', async () => {
    const attacker = '198.51.100.9';
    const refusals = [
      () => send({ url: '/v1/me', from: attacker }),
      () => send({ as: 'frk_not-a-key-at-all', url: '/v1/me', from: attacker }),
      () => send({ as: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', url: '/v1/me', from: attacker }),
      () =>
        send({
          as: 'frk_not-a-key-at-all',
          method: 'POST',
          url: '/codec/decode',
          from: attacker,
          body: '{}',
        }),
      () => send({ url: '/v1/me', from: attacker }),
    ];
    for (const refuse of refusals) assertProblem(await refuse(), 401, 'UNAUTHENTICATED');
    assert.match(limited(await send({ url: '/v1/me', from: attacker })).detail ?? '', /from this address/);
    limited(
      await send({
        as: 'frk_not-a-key-at-all',
        method: 'POST',
        url: '/codec/decode',
        from: attacker,
        body: '{',
      }),
    );
    // Another address is not held back, nor a valid key from the same address.
    assertProblem(await send({ url: '/v1/me', from: '192.0.2.44' }), 401, 'UNAUTHENTICATED');
    assert.equal((await send({ as: 'ops', url: '/v1/me', from: attacker })).status, 200);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped one by its IPv4 address', async () => {
    for (let i = 0; i < LIMIT; i++)
      assertProblem(await send({ url: '/v1/me', from: `2001:db8:1:2::${i + 1}` }), 401, 'UNAUTHENTICATED');
    limited(await send({ url: '/v1/me', from: '2001:db8:1:2:ffff:ffff:ffff:ffff' }));
    assertProblem(await send({ url: '/v1/me', from: '2001:db8:1:3::1' }), 401, 'UNAUTHENTICATED');
    assert.equal(clientAddressKey('::ffff:192.0.2.1'), clientAddressKey('192.0.2.1'));
  });
});

describe('RateLimiter', () => {
  it('allows `max` in a window, says how long to wait, and allows again in the next window', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(2, 60_000, () => now);
    assert.deepEqual(
      [limiter.take('a'), limiter.take('a'), limiter.take('b')],
      [undefined, undefined, undefined],
    );
    now += 15_000;
    assert.equal(limiter.take('a'), 45);
    now += 45_000;
    assert.equal(limiter.take('a'), undefined);
  });
});
