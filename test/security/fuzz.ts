import fc from 'fast-check';
import { BODY_ENDPOINTS, type BodyEndpoint } from '../gateway/endpoints';
import type { Parties } from '../gateway/support';

/**
 * Malformed requests, each malformed by construction (a valid request never comes out of here): for every
 * route, bodies that break JSON, types, the schema's closed shapes, UTF-8, the size limit or the media type;
 * path parameters no id can be; methods a path does not answer; bad Idempotency-Keys and list queries; and
 * valid bodies from principals the route is not for.
 */
export interface FuzzRequest {
  what: string;
  as: keyof Parties | 'nobody' | 'unknownKey';
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const GETS = [
  '/v1/me',
  '/v1/submissions',
  '/v1/agency/cases',
  '/v1/chair/escalations',
  '/v1/ops/cases',
  '/v1/admin/keys',
  '/v1/access-log',
  '/v1/findings',
];
const ROLES: FuzzRequest['as'][] = [
  'lab',
  'otherLab',
  'NSA',
  'CAISI',
  'FBI',
  'chair',
  'ops',
  'admin',
  'nobody',
  'unknownKey',
];

/** Adds an unknown field to the object at a random depth of `value`. */
function withUnknownField(value: unknown, pick: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const nested = entries.filter(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (nested.length > 0 && pick % 2 === 1) {
    const [k, v] = nested[pick % nested.length];
    return { ...value, [k]: withUnknownField(v, Math.floor(pick / 2)) };
  }
  return { ...value, unexpectedField: pick };
}

/** A valid body with a string field made of invalid UTF-8. */
function invalidUtf8(valid: object): Buffer {
  const text = JSON.stringify({ ...valid, note: 'INVALID' });
  const at = text.indexOf('INVALID');
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from(text.slice(at + 7)),
  ]);
}

const bodyRequest = (name: string, e: BodyEndpoint, id: string, bodyLimit: number) =>
  fc
    .oneof(
      fc.nat().map((n) => ({
        what: `${name}: truncated JSON`,
        body: JSON.stringify(e.valid).slice(0, n % Math.max(1, JSON.stringify(e.valid).length - 1)),
        headers: JSON_TYPE,
      })),
      fc.constant({
        what: `${name}: a field of the wrong type`,
        body: JSON.stringify(e.wrongType),
        headers: JSON_TYPE,
      }),
      fc.nat().map((n) => ({
        what: `${name}: an unknown field`,
        body: JSON.stringify(withUnknownField(e.valid, n)),
        headers: JSON_TYPE,
      })),
      fc.constant({ what: `${name}: invalid UTF-8`, body: invalidUtf8(e.valid), headers: JSON_TYPE }),
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x').map((type) => ({
        what: `${name}: media type ${type}`,
        body: JSON.stringify(e.valid),
        headers: { 'content-type': type },
      })),
      fc.constant({
        what: `${name}: over the size limit`,
        body: JSON.stringify({ ...e.valid, padding: 'x'.repeat(bodyLimit) }),
        headers: JSON_TYPE,
      }),
      fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer()), fc.constant(null)).map((v) => ({
        what: `${name}: a JSON ${Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v}`,
        body: JSON.stringify(v),
        headers: JSON_TYPE,
      })),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((bytes) => ({ what: `${name}: random bytes`, body: Buffer.from(bytes), headers: JSON_TYPE })),
      // Only routes that take an Idempotency-Key read it.
      e.keyed === false
        ? fc.constant({ what: `${name}: a JSON null`, body: 'null', headers: JSON_TYPE })
        : fc.string({ minLength: 201, maxLength: 260 }).map((key) => ({
            what: `${name}: an Idempotency-Key too long`,
            body: JSON.stringify(e.valid),
            headers: { ...JSON_TYPE, 'idempotency-key': key },
          })),
    )
    .map((r) => ({ ...r, as: e.as, method: 'POST', url: e.path(id) }));

/** Whether a valid body from this party would be accepted: every lab may file, the sender may act. */
const entitled = (name: string, e: BodyEndpoint, as: FuzzRequest['as']): boolean =>
  as === e.as ||
  (name === 'POST /v1/submissions' && as === 'otherLab') ||
  (name === 'POST deadline-projections' && (as === 'chair' || as === 'NSA' || as === 'CAISI')) ||
  (name === 'POST /v1/findings' && (as === 'CAISI' || as === 'FBI')) ||
  // A lab redelivers its own case's callbacks (issue 38): the fuzz's case is the lab's.
  (name === 'POST callbacks/redeliver' && as === 'lab') ||
  (e.as === 'CISA' && (as === 'NSA' || as === 'CAISI'));

const wrongParty = (name: string, e: BodyEndpoint, id: string) =>
  fc.constantFrom(...ROLES.filter((r) => !entitled(name, e, r))).map((as) => ({
    what: `${name}: a valid body from ${as}`,
    as,
    method: 'POST',
    url: e.path(id),
    headers: JSON_TYPE,
    body: JSON.stringify(e.valid),
  }));

const badPaths = (id: string) =>
  fc
    .oneof(
      fc
        .constantFrom(
          'has space',
          "quote'd",
          'x'.repeat(65),
          'x'.repeat(300),
          '%E0%A4%A',
          '..',
          '%00',
          'ümlaut',
        )
        .map((bad) => ({
          what: `a malformed id (${bad.slice(0, 12)})`,
          url: `/v1/submissions/${bad}`,
        })),
      fc.constantFrom('supplement', 'decisions', 'withdrawal', 'callbacks/redeliver').map((tail) => ({
        what: `a malformed id under /${tail}`,
        url: `/v1/submissions/bad%20id/${tail}`,
      })),
      fc.constant({ what: 'a malformed lapse id', url: '/v1/ops/funding-lapses/bad%20id/resume' }),
      fc
        .constantFrom('PUT', 'DELETE', 'PATCH', 'QUERY')
        .map((m) => ({ what: `method ${m}`, url: `/v1/submissions/${id}`, method: m })),
    )
    .map((r) => ({
      as: 'ops' as const,
      method: 'method' in r ? r.method : 'GET',
      headers: {},
      ...r,
    }));

const badQueries = fc
  .tuple(
    fc.constantFrom(...GETS),
    fc.constantFrom(
      'pageSize=0',
      'pageSize=101',
      'pageSize=abc',
      'cursor=AAAA',
      'cursor=x.0123456789abcdef',
      'unknown=1',
      'stage=LIMBO',
      'atRisk=yes',
      'nextDeadlineBefore=tomorrow',
      'lab=a%27%20OR%20true',
    ),
    fc.constantFrom(...ROLES),
  )
  .filter(([path, q]) => !(path === '/v1/me' && !q.startsWith('unknown')))
  .map(([path, q, as]) => ({
    what: `GET ${path}?${q}`,
    as,
    method: 'GET',
    url: `${path}?${q}`,
    headers: {},
  }));

/** `count` malformed requests against the case `id`, the same ones for the same seed. */
export function malformedRequests(id: string, count: number, seed: number, bodyLimit: number): FuzzRequest[] {
  const requests = fc.oneof(
    ...Object.entries(BODY_ENDPOINTS).flatMap(([name, e]) => [
      bodyRequest(name, e, id, bodyLimit),
      wrongParty(name, e, id),
    ]),
    badPaths(id),
    badQueries,
  ) as fc.Arbitrary<FuzzRequest>;
  return fc.sample(requests, { numRuns: count, seed });
}
