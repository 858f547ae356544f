import assert from 'node:assert/strict';
import {
  assertProblem,
  decision,
  file,
  findingFiling,
  openGateway,
  readRecord,
  untilLabListed,
  untilStage,
  type Gateway,
} from './support';
import { BODY_ENDPOINTS } from './endpoints';
import { DEFAULT_POLICY_ID } from '../../shared/domain/policy-names';

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

  const unchanged = () => readRecord(gw, id);

  for (const [name, e] of Object.entries(BODY_ENDPOINTS)) {
    it(`${name}: refuses every bad body with a 4xx problem and changes nothing`, async () => {
      const as = gw.parties[e.as];
      const send = (payload: string, headers: Record<string, string> = json) =>
        gw.call(as, 'POST', e.path(id), payload, headers);

      assertProblem(await send('{"truncated": '), 400, 'VALIDATION_FAILED');
      assertProblem(await send(''), 400, 'VALIDATION_FAILED');
      assertProblem(await send('[1, 2, 3]'), 400, 'VALIDATION_FAILED');
      // Invalid UTF-8 is refused, never read as replacement characters.
      const text = JSON.stringify(e.valid);
      const broken = Buffer.concat([
        Buffer.from(text.slice(0, -1)),
        Buffer.from(',"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]);
      assert.equal(
        assertProblem(await send(broken as never), 400, 'VALIDATION_FAILED').detail,
        'the body is not valid UTF-8',
      );
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
    ] as const) {
      const problem = assertProblem(await gw.call(as, 'GET', url), 400, 'VALIDATION_FAILED');
      assert.equal(problem.issues?.[0].in, 'querystring', url);
    }
    // A cursor of the right shape that this list never gave out: the schema cannot say so, the answer does.
    assertProblem(
      await gw.call(ops, 'GET', '/v1/ops/cases?cursor=AAAAAAAA.0123456789abcdef'),
      422,
      'CURSOR_NOT_VALID',
    );
  });

  it("leaves the policy out of a filing's OpenAPI schema: it is the government's choice (issue 14)", async () => {
    type Doc = { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    const doc = (await gw.call(undefined, 'GET', '/openapi.json')).body as Doc;
    assert.equal(doc.components.schemas.CreateSubmissionInput.properties.policyId, undefined);
  });

  it('refuses a finding whose text is only spaces, and its OpenAPI schema says so with a pattern', async () => {
    type Doc = {
      components: { schemas: Record<string, { properties: Record<string, { pattern?: string }> }> };
    };
    const doc = (await gw.call(undefined, 'GET', '/openapi.json')).body as Doc;
    for (const field of ['title', 'description', 'cvssVector']) {
      assert.equal(doc.components.schemas.FileFindingInput.properties[field].pattern, '\\S', field);
    }
    for (const blank of [' ', '\f', '\u00a0']) {
      const filing = findingFiling({ labId: 'acme-blank', title: blank });
      const problem = assertProblem(
        await gw.call(gw.parties.NSA, 'POST', '/v1/findings', filing),
        400,
        'VALIDATION_FAILED',
      );
      assert.ok((problem.issues?.length ?? 0) > 0, JSON.stringify(blank));
      assert.ok(
        problem.issues!.every((i) => i.path === '/title'),
        JSON.stringify(problem.issues),
      );
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
    // The policy is the government's choice: a filing naming any, even the one in force, is refused.
    const namedPolicy = assertProblem(
      await send(JSON.stringify({ ...create.valid, policyId: DEFAULT_POLICY_ID })),
      400,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      namedPolicy.issues?.map((i) => [i.in, i.code, i.message.includes('policyId')]),
      [['body', 'unrecognized_keys', true]],
    );
    const listed = await untilLabListed(gw, (p) => p.items.some((c) => c.caseId === id));
    assert.deepEqual(
      listed.items.map((c) => c.caseId),
      [id],
    );
  });
});
