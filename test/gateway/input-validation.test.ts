import assert from 'node:assert/strict';
import { DAY_MS } from '../helpers/review';
import {
  assertProblem,
  decision,
  file,
  filing,
  openGateway,
  readGov,
  untilLabListed,
  untilStage,
  type Gateway,
  type Parties,
} from './support';

interface BodyEndpoint {
  as: keyof Parties;
  path: (id: string) => string;
  valid: Record<string, unknown>;
  /** The same body with one field of the wrong type. */
  wrongType: Record<string, unknown>;
  /** Whether the endpoint takes an Idempotency-Key (the others are idempotent by their body). */
  keyed?: false;
}

const future = () => new Date(Date.now() + 400 * DAY_MS).toISOString();

/** Every endpoint that reads a body, called by the party entitled to it, so only the input can be at fault. */
const BODY_ENDPOINTS: Record<string, BodyEndpoint> = {
  'POST /v1/submissions': {
    as: 'lab',
    path: () => '/v1/submissions',
    valid: filing(),
    wrongType: filing({ plannedReleaseDate: 20270101 }),
  },
  'POST supplement': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/supplement`,
    valid: { fields: { access: { kind: 'API', details: 'more' } } },
    wrongType: { fields: { access: { kind: 'CARRIER_PIGEON', details: 'more' } } },
  },
  'POST answer': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/information-requests/req-1/answer`,
    valid: { answer: 'an answer' },
    wrongType: { answer: ['an answer'] },
  },
  'POST release-date': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/release-date`,
    valid: { plannedReleaseDate: future() },
    wrongType: { plannedReleaseDate: 'next spring' },
  },
  'POST extension-offer response': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/extension-offers/offer-1/response`,
    valid: { accept: true },
    wrongType: { accept: 'yes' },
  },
  'POST withdrawal': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/withdrawal`,
    valid: { reason: 'changed plans' },
    wrongType: { reason: 42 },
  },
  'POST release': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/release`,
    valid: {},
    wrongType: { releasedAt: true },
  },
  'POST callback-endpoint': {
    as: 'lab',
    path: (id) => `/v1/submissions/${id}/callback-endpoint`,
    valid: { callbackUrl: 'https://new.acme.example/callbacks' },
    wrongType: { callbackUrl: 'not a url' },
  },
  'POST decisions': {
    as: 'CISA',
    path: (id) => `/v1/submissions/${id}/decisions`,
    valid: decision('NO_CONCERNS'),
    wrongType: decision('CONCERNS_MITIGATED', { commitments: [] }),
  },
  'POST information-requests': {
    as: 'CISA',
    path: (id) => `/v1/submissions/${id}/information-requests`,
    valid: { questions: ['Which evals ran?'] },
    wrongType: { questions: 'Which evals ran?' },
  },
  'POST extensions': {
    as: 'CISA',
    path: (id) => `/v1/submissions/${id}/extensions`,
    valid: { days: 2, reason: 'more time' },
    wrongType: { days: 2.5, reason: 'more time' },
  },
  'POST escalation/resolution': {
    as: 'chair',
    path: (id) => `/v1/submissions/${id}/escalation/resolution`,
    valid: { outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'resolved' },
    wrongType: { outcome: 'REVIEW_INCOMPLETE', rationale: 'resolved' },
  },
  'POST deadline-projections': {
    as: 'ops',
    path: (id) => `/v1/submissions/${id}/deadline-projections`,
    valid: { change: { kind: 'EXTENSION', party: 'agency:CISA', days: 3 } },
    wrongType: { change: { kind: 'EXTENSION', party: 'agency:CISA', days: '3' } },
    keyed: false,
  },
  'POST /v1/ops/funding-lapses': {
    as: 'ops',
    path: () => '/v1/ops/funding-lapses',
    valid: { lapseId: 'lapse-1', reason: 'appropriations lapse' },
    wrongType: { lapseId: 'lapse 1 with spaces', reason: 'appropriations lapse' },
    keyed: false,
  },
  'POST callbacks/redeliver': {
    as: 'ops',
    path: (id) => `/v1/submissions/${id}/callbacks/redeliver`,
    valid: {},
    wrongType: { eventId: 7 },
  },
};

const BODY_LIMIT = 32 * 1024;
const json = { 'content-type': 'application/json' };

describe('gateway: malformed, oversized and wrongly typed input', function () {
  this.timeout(120_000);
  let gw: Gateway;
  let close: () => Promise<void>;
  let id: string;
  let before_: unknown;

  before(async () => {
    ({ gw, close } = await openGateway({ bodyLimit: BODY_LIMIT }));
    id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    before_ = await unchanged();
  });
  after(async () => close());

  const unchanged = async () => {
    const { asOf, callbacks, ...rest } = await readGov(gw, gw.parties.chair, id);
    return rest;
  };

  for (const [name, e] of Object.entries(BODY_ENDPOINTS)) {
    it(`${name}: refuses every bad body with a 4xx problem and changes nothing`, async () => {
      const as = gw.parties[e.as];
      const send = (payload: string, headers: Record<string, string> = json) =>
        gw.call(as, 'POST', e.path(id), payload, headers);

      assertProblem(await send('{"truncated": '), 400, 'VALIDATION_FAILED');
      assertProblem(await send(''), 400, 'VALIDATION_FAILED');
      assertProblem(await send('[1, 2, 3]'), 400, 'VALIDATION_FAILED');
      assertProblem(
        await send(JSON.stringify(e.valid), { 'content-type': 'text/plain' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const oversized = JSON.stringify({ ...e.valid, padding: 'x'.repeat(BODY_LIMIT) });
      assertProblem(await send(oversized), 413, 'PAYLOAD_TOO_LARGE');

      const wrong = assertProblem(await send(JSON.stringify(e.wrongType)), 400, 'VALIDATION_FAILED');
      assert.ok((wrong.issues?.length ?? 0) > 0, 'the problem lists the zod issues');
      assert.ok(wrong.issues!.every((i) => i.in === 'body'));
      // The actor comes from the API key; a body cannot name one.
      const impersonating = assertProblem(
        await send(JSON.stringify({ ...e.valid, actor: 'chair' })),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        impersonating.issues?.map((i) => i.code),
        ['unrecognized_keys'],
      );
      if (e.keyed !== false) {
        const badKey = { ...json, 'idempotency-key': 'k'.repeat(201) };
        assertProblem(await send(JSON.stringify(e.valid), badKey), 400, 'VALIDATION_FAILED');
      }
      assert.deepEqual(await unchanged(), before_);
    });
  }

  it('refuses malformed path parameters on every case route', async () => {
    const { lab, CISA, chair, ops } = gw.parties;
    const badIds = ['has space', 'x'.repeat(65), "quote'd"];
    for (const bad of badIds) {
      const at = `/v1/submissions/${encodeURIComponent(bad)}`;
      const res = await gw.call(ops, 'GET', at);
      assert.equal(assertProblem(res, 400, 'VALIDATION_FAILED').issues?.[0].in, 'params');
      assertProblem(await gw.call(lab, 'POST', `${at}/withdrawal`, {}), 400, 'VALIDATION_FAILED');
      assertProblem(
        await gw.call(CISA, 'POST', `${at}/decisions`, decision('NO_CONCERNS')),
        400,
        'VALIDATION_FAILED',
      );
      assertProblem(
        await gw.call(chair, 'POST', `${at}/escalation/resolution`, {
          outcome: 'NO_CONCERNS_IDENTIFIED',
          rationale: 'r',
        }),
        400,
        'VALIDATION_FAILED',
      );
    }
    const badRequestId = `/v1/submissions/${id}/information-requests/${'r'.repeat(65)}/answer`;
    assertProblem(await gw.call(lab, 'POST', badRequestId, { answer: 'a' }), 400, 'VALIDATION_FAILED');
    assertProblem(
      await gw.call(ops, 'POST', '/v1/ops/funding-lapses/bad%20id/resume'),
      400,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(await unchanged(), before_);
  });

  it('refuses malformed list queries', async () => {
    const { lab, NSA, chair, ops } = gw.parties;
    for (const [as, url] of [
      [lab, '/v1/submissions?pageSize=0'],
      [lab, '/v1/submissions?pageSize=abc'],
      [NSA, '/v1/agency/cases?pageSize=101'],
      [chair, '/v1/chair/escalations?cursor=not!base64'],
      [ops, '/v1/ops/cases?stage=LIMBO'],
      [ops, '/v1/ops/cases?atRisk=yes'],
      [ops, '/v1/ops/cases?nextDeadlineBefore=tomorrow'],
      [ops, '/v1/ops/cases?lab=a%27%20OR%20true'],
      [ops, '/v1/ops/cases?unknown=1'],
      [ops, '/v1/ops/cases?cursor=AAAAAAAA'],
      [ops, '/v1/ops/cases?cursor=AAAAAAAA.0123456789abcdef'],
    ] as const) {
      const problem = assertProblem(await gw.call(as, 'GET', url), 400, 'VALIDATION_FAILED');
      if (!url.includes('AAAA')) assert.equal(problem.issues?.[0].in, 'querystring', url);
    }
  });

  it('files no case for any refused create', async () => {
    const create = BODY_ENDPOINTS['POST /v1/submissions'];
    const send = (payload: string, headers: Record<string, string> = json) =>
      gw.call(gw.parties.lab, 'POST', '/v1/submissions', payload, headers);
    assertProblem(await send('{"truncated": '), 400, 'VALIDATION_FAILED');
    assertProblem(await send(JSON.stringify(create.wrongType)), 400, 'VALIDATION_FAILED');
    assertProblem(await send(JSON.stringify({ ...create.valid, actor: 'chair' })), 400, 'VALIDATION_FAILED');
    assertProblem(
      await send(JSON.stringify(create.valid), { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const listed = await untilLabListed(gw, (p) => p.items.some((c) => c.submissionId === id));
    assert.deepEqual(
      listed.items.map((c) => c.submissionId),
      [id],
    );
  });
});
