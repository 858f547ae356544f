import assert from 'node:assert/strict';
import { Receipt } from '../../shared/api/responses';
import { DAY_MS } from '../helpers/review';
import {
  assertProblem,
  decision,
  file,
  filing,
  ok,
  openGateway,
  readGov,
  untilStage,
  type Gateway,
  type Parties,
} from './support';

type Party = keyof Parties | 'anonymous' | 'unknownKey';
/** What a party gets: a status and problem code, 'ok' (a 2xx, checked elsewhere), or 'skip' (it would change the case). */
type Expected = [status: number, code: string] | 'ok' | 'skip';

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  expect: Partial<Record<Party, Expected>>;
}

const FORBIDDEN: Expected = [403, 'FORBIDDEN'];
const NOT_FOUND: Expected = [404, 'CASE_NOT_FOUND'];

/**
 * Every endpoint, with a valid body, against the lab's case in the national-security stage where NSA has
 * already decided with a restricted note. A party not listed gets 403 FORBIDDEN; without a key or with an
 * unknown one, 401. Requests that an entitled party would use to change the case are skipped here (the
 * life-of-a-case tests drive them); everything else asserts its exact status.
 */
function endpoints(id: string): Record<string, Endpoint> {
  const c = `/v1/submissions/${id}`;
  const lab = (own: Expected): Endpoint['expect'] => ({ lab: own, otherLab: NOT_FOUND });
  const slot = (nsa: Expected): Endpoint['expect'] => ({
    NSA: nsa,
    CAISI: [409, 'WRONG_STAGE'],
    FBI: [403, 'NOT_ENTITLED'],
  });
  const everyone = {
    lab: 'ok',
    otherLab: 'ok',
    NSA: 'ok',
    CAISI: 'ok',
    FBI: 'ok',
    chair: 'ok',
    ops: 'ok',
  } as const;
  return {
    'GET /v1/me': { method: 'GET', path: '/v1/me', expect: everyone },
    'POST /v1/submissions': {
      method: 'POST',
      path: '/v1/submissions',
      body: filing(),
      expect: { lab: 'skip', otherLab: 'skip' },
    },
    'GET /v1/submissions': { method: 'GET', path: '/v1/submissions', expect: { lab: 'ok', otherLab: 'ok' } },
    'GET /v1/submissions/{id}': {
      method: 'GET',
      path: c,
      expect: {
        lab: 'ok',
        otherLab: NOT_FOUND,
        NSA: 'ok',
        CAISI: 'ok',
        FBI: [403, 'FORBIDDEN'],
        chair: 'ok',
        ops: 'ok',
      },
    },
    'POST supplement': {
      method: 'POST',
      path: `${c}/supplement`,
      body: { fields: { access: { kind: 'API', details: 'more' } } },
      expect: lab([409, 'NOT_DEFICIENT']),
    },
    'POST information-requests/{requestId}/answer': {
      method: 'POST',
      path: `${c}/information-requests/req-none/answer`,
      body: { answer: 'an answer' },
      expect: lab([409, 'INFORMATION_REQUEST_NOT_OPEN']),
    },
    'POST release-date': {
      method: 'POST',
      path: `${c}/release-date`,
      body: { plannedReleaseDate: new Date(Date.now() + 400 * DAY_MS).toISOString() },
      expect: lab('skip'),
    },
    'POST extension-offers/{offerId}/response': {
      method: 'POST',
      path: `${c}/extension-offers/offer-none/response`,
      body: { accept: true },
      expect: lab([409, 'NO_EXTENSION_OFFER']),
    },
    'POST withdrawal': { method: 'POST', path: `${c}/withdrawal`, body: {}, expect: lab('skip') },
    'POST release': { method: 'POST', path: `${c}/release`, body: {}, expect: lab('skip') },
    'POST callback-endpoint': {
      method: 'POST',
      path: `${c}/callback-endpoint`,
      body: { callbackUrl: 'https://new.acme.example/callbacks' },
      expect: lab('skip'),
    },
    'GET /v1/agency/cases': {
      method: 'GET',
      path: '/v1/agency/cases',
      expect: { NSA: 'ok', CAISI: 'ok', FBI: 'ok' },
    },
    'POST decisions': {
      method: 'POST',
      path: `${c}/decisions`,
      body: decision('NO_CONCERNS'),
      expect: slot([409, 'ALREADY_DECIDED']),
    },
    'POST information-requests': {
      method: 'POST',
      path: `${c}/information-requests`,
      body: { questions: ['Which evals ran?'] },
      expect: slot([409, 'ALREADY_DECIDED']),
    },
    'POST extensions': {
      method: 'POST',
      path: `${c}/extensions`,
      body: { days: 2, reason: 'more time' },
      expect: slot([409, 'ALREADY_DECIDED']),
    },
    'GET /v1/chair/escalations': { method: 'GET', path: '/v1/chair/escalations', expect: { chair: 'ok' } },
    'POST escalation/resolution': {
      method: 'POST',
      path: `${c}/escalation/resolution`,
      body: { outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'resolved' },
      expect: { chair: [409, 'NOT_ESCALATED'] },
    },
    'GET /v1/ops/cases': { method: 'GET', path: '/v1/ops/cases', expect: { ops: 'ok' } },
    'POST deadline-projections': {
      method: 'POST',
      path: `${c}/deadline-projections`,
      body: { change: { kind: 'EXTENSION', party: 'agency:CISA', days: 3 } },
      expect: { ops: 'ok', chair: 'ok' },
    },
    'POST /v1/ops/funding-lapses': {
      method: 'POST',
      path: '/v1/ops/funding-lapses',
      body: { lapseId: 'lapse-authz', reason: 'appropriations lapse' },
      expect: { ops: 'skip' },
    },
    'POST /v1/ops/funding-lapses/{lapseId}/resume': {
      method: 'POST',
      path: '/v1/ops/funding-lapses/lapse-none/resume',
      expect: { ops: 'ok' },
    },
    'POST callbacks/redeliver': {
      method: 'POST',
      path: `${c}/callbacks/redeliver`,
      body: { eventId: 'no-such-event' },
      expect: { ops: [404, 'CALLBACK_EVENT_NOT_FOUND'] },
    },
  };
}

const PARTIES: Party[] = [
  'anonymous',
  'unknownKey',
  'lab',
  'otherLab',
  'NSA',
  'CAISI',
  'FBI',
  'chair',
  'ops',
];
const NOTE = 'classified: exploit chain observed';

describe('gateway: authorization matrix (every endpoint × every role, on another party’s case)', function () {
  this.timeout(120_000);
  let gw: Gateway;
  let close: () => Promise<void>;
  let id: string;
  let before_: unknown;

  before(async () => {
    ({ gw, close } = await openGateway());
    id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const d = decision('CONCERNS_MITIGATED', { restrictedNote: NOTE });
    ok(await gw.call(gw.parties.NSA, 'POST', `/v1/submissions/${id}/decisions`, d), Receipt);
    before_ = await unchanged();
  });
  after(async () => close());

  /** What no refused request may change (callback deliveries move on their own). */
  const unchanged = async () => {
    const { asOf, callbacks, flags, ...rest } = await readGov(gw, gw.parties.chair, id);
    return rest;
  };

  const request = (party: Party, e: Endpoint) => {
    const as =
      party === 'anonymous' ? undefined : party === 'unknownKey' ? 'frk_not-a-key' : gw.parties[party];
    return gw.call(
      as,
      e.method,
      e.path,
      e.body,
      e.body === undefined ? {} : { 'content-type': 'application/json' },
    );
  };

  for (const name of Object.keys(endpoints('x'))) {
    it(`${name}: answers each party exactly as entitled`, async () => {
      const e = endpoints(id)[name];
      for (const party of PARTIES) {
        const expected: Expected =
          party === 'anonymous' || party === 'unknownKey'
            ? [401, 'UNAUTHENTICATED']
            : (e.expect[party] ?? FORBIDDEN);
        if (expected === 'skip') continue;
        const res = await request(party, e);
        if (expected === 'ok') {
          assert.ok(res.status >= 200 && res.status < 300, `${party}: ${res.status} ${res.text}`);
          const readsNote = party === 'NSA' || party === 'chair';
          if (!readsNote) assert.ok(!res.text.includes(NOTE), `${party} must not read the restricted note`);
          if (readsNote && e.path.endsWith(id)) assert.ok(res.text.includes(NOTE), `${party} reads the note`);
          if (e.path === '/v1/submissions' && party === 'otherLab') assert.ok(!res.text.includes(id));
        } else {
          assertProblem(res, expected[0], expected[1]);
          if (expected[0] === 401)
            assert.equal(res.headers['www-authenticate'], 'Bearer realm="frontier-review"');
        }
      }
      assert.deepEqual(await unchanged(), before_, 'no refused request changed the case');
    });
  }
});
