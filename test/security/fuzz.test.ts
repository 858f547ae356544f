import assert from 'node:assert/strict';
import { ERRORS } from '../../shared/domain/errors';
import { decision, file, ok, openGateway, readRecord, untilStage, type Gateway } from '../gateway/support';
import { Receipt } from '../../shared/api/responses';
import { malformedRequests } from './fuzz';

/**
 * npm test runs 10,000; `npm run fuzz` runs 100,000 (FUZZ_REQUESTS chooses). The seed: FUZZ_SEED, else the
 * run's TEST_SEED, else 42.
 */
const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? process.env.TEST_SEED ?? 42);
const BODY_LIMIT = 16 * 1024;

describe(`fuzz: ${COUNT} malformed requests across every route (seed ${SEED})`, function () {
  this.timeout(30 * 60_000);
  let gw: Gateway;
  let close: () => Promise<void>;

  before(async () => {
    ({ gw, close } = await openGateway({ bodyLimit: BODY_LIMIT }));
  });
  after(async () => close());

  it('answers every one with a problem document below 500, and changes no case', async () => {
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    // NSA has decided, with a restricted note: the case has something every kind of request could disturb.
    const d = decision('CONCERNS_MITIGATED', { restrictedNote: 'fuzz' });
    ok(await gw.call(gw.parties.NSA, 'POST', `/v1/submissions/${id}/decisions`, d), Receipt);
    const unchanged = () => readRecord(gw, id);
    const before = await unchanged();

    const statuses = new Map<number, number>();
    for (const r of malformedRequests(id, COUNT, SEED, BODY_LIMIT)) {
      const key =
        r.as === 'nobody' ? undefined : r.as === 'unknownKey' ? 'frk_not-a-key' : gw.keys[gw.parties[r.as]];
      const res = await gw.app.inject({
        method: r.method as never,
        url: r.url,
        headers: { ...r.headers, ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
        ...(r.body === undefined ? {} : { payload: r.body }),
      });
      const what = `${r.what} as ${r.as}: ${res.statusCode} ${res.body.slice(0, 300)}`;
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, what);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, what);
      const problem = JSON.parse(res.body) as { code: string; status: number };
      assert.ok(problem.code in ERRORS, what);
      assert.equal(problem.status, res.statusCode, what);
      if (res.statusCode === 405) assert.ok(res.headers.allow !== undefined, `405 without Allow: ${what}`);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    assert.deepEqual(await unchanged(), before, 'no malformed request changed the case');
    // Every kind of refusal was reached, not just the first check of each route.
    assert.deepEqual(
      [...statuses.keys()].sort(),
      [400, 401, 403, 404, 405, 413, 414, 415, 422],
      JSON.stringify(Object.fromEntries(statuses)),
    );
  });
});
