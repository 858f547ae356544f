import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createCallbackActivities,
  parseRetryAfter,
  type DeliverCallbackInput,
  type DeliverCallbackResult,
  type DeliverCallbacksInput,
  type DeliverCallbacksResult,
} from '../../activities/callbacks';
import { createReceiver } from '../../examples/callback-receiver';
import { Webhook } from 'standardwebhooks';
import {
  newCallbackSecret,
  signCallback,
  type CallbackEventBody,
} from '../../shared/node/callback-signature';

const LAB_ID = 'lab-1';
const SECRETS = [newCallbackSecret(), newCallbackSecret()];

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const { deliverCallback, deliverCallbacks } = createCallbackActivities({
  secretsFor: (labId) => (labId === LAB_ID ? SECRETS : []),
  requestTimeoutMs: 200,
  userAgent: 'frontier-review-test',
});

function newEvent(): CallbackEventBody {
  return {
    id: randomUUID(),
    submissionId: 'sub-1',
    sequence: 1,
    type: 'RECEIVED',
    occurredAt: '2025-01-02T03:04:05.000Z',
    payload: { note: 'received' },
  };
}

function deliver(url: string, event: CallbackEventBody, attempt = 1, labId = LAB_ID) {
  const env = new MockActivityEnvironment({ attempt }, { logger: quiet });
  return env.run<[DeliverCallbackInput], DeliverCallbackResult, typeof deliverCallback>(deliverCallback, {
    labId,
    url,
    event,
  });
}

function deliverMany(url: string, events: CallbackEventBody[], attempt = 1) {
  const env = new MockActivityEnvironment({ attempt }, { logger: quiet });
  return env.run<[DeliverCallbacksInput], DeliverCallbacksResult, typeof deliverCallbacks>(deliverCallbacks, {
    labId: LAB_ID,
    url,
    events,
  });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`;
}

async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

function failure(err: unknown) {
  assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
  const { type, nonRetryable, message, details, nextRetryDelay } = err;
  return { type, nonRetryable, message, details, nextRetryDelay };
}

describe('deliverCallback', () => {
  let server: http.Server;
  let url: string;
  let respond: (res: http.ServerResponse) => void;
  let received: { headers: http.IncomingHttpHeaders; body: string }[];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        respond(res);
      });
    });
    url = await listen(server);
  });

  after(() => stop(server));

  beforeEach(() => {
    received = [];
    respond = (res) => res.writeHead(200).end();
  });

  it('returns the status, the attempt number and when it was delivered on 200', async () => {
    const before = Date.now();
    const result = await deliver(url, newEvent(), 3);
    assert.deepEqual(
      { ...result, deliveredAt: undefined },
      { status: 200, attempt: 3, deliveredAt: undefined },
    );
    assert.ok(Date.parse(result.deliveredAt) >= before && Date.parse(result.deliveredAt) <= Date.now());
  });

  it('posts the event as JSON with the event id, content type and user agent', async () => {
    const event = newEvent();
    await deliver(url, event);
    assert.equal(received.length, 1);
    const { headers, body } = received[0];
    assert.deepEqual(
      {
        body,
        contentType: headers['content-type'],
        eventId: headers['webhook-id'],
        userAgent: headers['user-agent'],
      },
      {
        body: JSON.stringify(event),
        contentType: 'application/json',
        eventId: event.id,
        userAgent: 'frontier-review-test',
      },
    );
  });

  it('signs the request as Standard Webhooks: the reference library verifies it with either rotation secret', async () => {
    const event = newEvent();
    await deliver(url, event);
    const { headers, body } = received[0];
    assert.equal(headers['webhook-id'], event.id);
    for (const secret of SECRETS) {
      assert.deepEqual(new Webhook(secret).verify(body, headers as Record<string, string>), event);
    }
    assert.throws(
      () => new Webhook(newCallbackSecret()).verify(body, headers as Record<string, string>),
      /No matching signature/,
    );
  });

  it('fails permanently with CallbackRejected on 410', async () => {
    respond = (res) => res.writeHead(410).end('gone');
    await assert.rejects(deliver(url, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackRejected',
        nonRetryable: true,
        message: 'callback endpoint answered 410',
        details: [{ category: 'HTTP_4XX', status: 410 }],
        nextRetryDelay: undefined,
      });
      return true;
    });
  });

  it('fails permanently on a redirect instead of following it', async () => {
    respond = (res) => res.writeHead(302, { Location: 'http://169.254.169.254/' }).end();
    await assert.rejects(deliver(url, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackRejected',
        nonRetryable: true,
        message: 'callback endpoint answered 302; redirects are not followed',
        details: [{ category: 'HTTP_3XX', status: 302 }],
        nextRetryDelay: undefined,
      });
      return true;
    });
    assert.equal(received.length, 1);
  });

  it('fails retryably with CallbackUnavailable and no delay of its own on 500', async () => {
    respond = (res) => res.writeHead(500).end();
    await assert.rejects(deliver(url, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message: 'callback endpoint answered 500',
        details: [{ category: 'HTTP_5XX', status: 500 }],
        nextRetryDelay: undefined,
      });
      return true;
    });
  });

  it('asks for the next retry after the Retry-After seconds on 429, when that is longer than 10 s', async () => {
    respond = (res) => res.writeHead(429, { 'Retry-After': '11' }).end();
    await assert.rejects(deliver(url, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message: 'callback endpoint answered 429',
        details: [{ category: 'HTTP_4XX', status: 429 }],
        nextRetryDelay: 11_000,
      });
      return true;
    });
    assert.equal(received.length, 1, 'one request, then the attempt ends');
  });

  it('waits out a short Retry-After within the attempt, so it costs no attempt of its own', async function () {
    this.timeout(10_000);
    let answers = 0;
    respond = (res) =>
      ++answers <= 2 ? res.writeHead(503, { 'Retry-After': '1' }).end() : res.writeHead(204).end();
    const started = Date.now();
    const result = await deliver(url, newEvent(), 3);
    assert.deepEqual([result.status, result.attempt], [204, 3], 'delivered by the same attempt');
    assert.equal(received.length, 3, 'two refusals, then the delivery');
    assert.ok(Date.now() - started >= 2_000, 'each Retry-After was waited out');
  });

  it('fails retryably with CallbackUnavailable when the endpoint does not answer in time', async () => {
    respond = () => undefined;
    await assert.rejects(deliver(url, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message: 'callback endpoint did not answer within 200 ms',
        details: [{ category: 'TIMEOUT' }],
        nextRetryDelay: undefined,
      });
      return true;
    });
  });

  it('costs no heartbeat when the endpoint answers before the first one is due', async () => {
    const prompt = createCallbackActivities({
      secretsFor: () => SECRETS,
      heartbeatMs: 1_000,
    }).deliverCallback;
    const env = new MockActivityEnvironment({ attempt: 1 }, { logger: quiet });
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const result = await env.run(prompt, { labId: LAB_ID, url, event: newEvent() });
    assert.equal((result as DeliverCallbackResult).status, 200);
    assert.equal(beats, 0, 'the happy path pays no heartbeat');
  });

  it('heartbeats while a request is in flight, and a cancellation aborts the request at once', async () => {
    const patient = createCallbackActivities({
      secretsFor: () => SECRETS,
      requestTimeoutMs: 60_000,
      heartbeatMs: 100,
    }).deliverCallback;
    let aborted = false;
    respond = (res) => res.once('close', () => (aborted = true));
    const env = new MockActivityEnvironment({ attempt: 1 }, { logger: quiet });
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const attempt = env.run(patient, { labId: LAB_ID, url, event: newEvent() });
    setTimeout(() => env.cancel(), 300);
    // Cancelled long before its 60 s timeout could end it (the test's own timeout is far shorter).
    await assert.rejects(attempt, (err: Error) => err.name === 'CancelledFailure');
    assert.ok(beats >= 1, 'heartbeated');
    for (let i = 0; i < 50 && !aborted; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.ok(aborted, 'the request was abandoned, not left running');
  });

  it('fails retryably with CallbackUnavailable when nothing listens on the port', async () => {
    const closed = http.createServer();
    const closedUrl = await listen(closed);
    await stop(closed);
    await assert.rejects(deliver(closedUrl, newEvent()), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackUnavailable',
        nonRetryable: false,
        message: 'callback endpoint unreachable: ECONNREFUSED',
        details: [{ category: 'CONNECTION_FAILED' }],
        nextRetryDelay: undefined,
      });
      return true;
    });
  });

  it('fails permanently with CallbackSecretMissing, without a request, for a lab with no secret', async () => {
    await assert.rejects(deliver(url, newEvent(), 1, 'lab-unknown'), (err) => {
      assert.deepEqual(failure(err), {
        type: 'CallbackSecretMissing',
        nonRetryable: true,
        message: 'no callback secret is configured for lab lab-unknown',
        details: [{ category: 'NOT_CONFIGURED' }],
        nextRetryDelay: undefined,
      });
      return true;
    });
    assert.equal(received.length, 0);
  });

  describe('several events in one activity (deliverCallbacks)', () => {
    const events = () => [1, 2, 3].map((sequence) => ({ ...newEvent(), sequence }));
    const sequenceOf = (body: string) => (JSON.parse(body) as CallbackEventBody).sequence;

    it('sends each as its own signed request, in order, and reports each', async () => {
      const sent = events();
      const { delivered } = await deliverMany(url, sent, 2);
      assert.deepEqual(
        delivered.map((d) => [d.status, d.attempt]),
        [
          [200, 2],
          [200, 2],
          [200, 2],
        ],
      );
      assert.deepEqual(
        received.map((r) => [sequenceOf(r.body), r.headers['webhook-id']]),
        sent.map((e) => [e.sequence, e.id]),
      );
      for (const r of received) {
        new Webhook(SECRETS[0]).verify(r.body, r.headers as Record<string, string>);
      }
    });

    it('reports the events delivered before one that fails, and sends none after it', async () => {
      respond = (res) => res.writeHead(received.length === 2 ? 503 : 200).end();
      const { delivered } = await deliverMany(url, events());
      assert.equal(delivered.length, 1);
      assert.deepEqual(
        received.map((r) => sequenceOf(r.body)),
        [1, 2],
      );
    });

    it('fails as one event’s attempt does when the first fails', async () => {
      respond = (res) => res.writeHead(410).end();
      await assert.rejects(deliverMany(url, events()), (err) => {
        assert.equal(failure(err).type, 'CallbackRejected');
        return true;
      });
      assert.equal(received.length, 1);
    });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-01-02T03:04:05.000Z');

  it('returns undefined when the header is absent', () => {
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('reads delay-seconds as milliseconds', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
  });

  it('reads an HTTP-date as the time from now until then', () => {
    assert.equal(parseRetryAfter('Thu, 02 Jan 2025 03:04:35 GMT', now), 30_000);
  });

  it('raises a zero delay to one second', () => {
    assert.equal(parseRetryAfter('0', now), 1000);
  });

  it('raises an HTTP-date in the past to one second', () => {
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:00 GMT', now), 1000);
  });

  it('caps a delay at one hour', () => {
    assert.equal(parseRetryAfter('86400', now), 3_600_000);
  });

  it('returns undefined for a fractional number', () => {
    assert.equal(parseRetryAfter('7.5', now), undefined);
  });

  it('returns undefined for text that is not a date', () => {
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
});

describe('example callback receiver', () => {
  let server: http.Server;
  let url: string;
  let events: CallbackEventBody[];

  beforeEach(async () => {
    events = [];
    server = createReceiver({ secrets: [SECRETS[1]], onEvent: (e) => void events.push(e) });
    url = await listen(server);
  });

  afterEach(() => stop(server));

  it('accepts a delivery signed during rotation and hands the event on once', async () => {
    const event = newEvent();
    const result = await deliver(url, event);
    assert.equal(result.status, 204);
    assert.deepEqual(events, [event]);
  });

  it('answers a duplicate delivery with 204 without handing the event on again', async () => {
    const event = newEvent();
    const statuses = [(await deliver(url, event)).status, (await deliver(url, event, 2)).status];
    assert.deepEqual(statuses, [204, 204]);
    assert.deepEqual(events, [event]);
  });

  it('answers a tampered body with 401 and does not hand it on', async () => {
    const event = newEvent();
    const body = JSON.stringify(event);
    const headers = signCallback(event.id, body, [SECRETS[1]], Math.floor(Date.now() / 1000));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: body.replace('RECEIVED', 'ACCEPTED'),
    });
    assert.deepEqual(
      { status: response.status, body: await response.text() },
      { status: 401, body: 'signature not verified' },
    );
    assert.deepEqual(events, []);
  });
});
