import { DAY_MS } from '../helpers/review';
import { decision, filing, findingFiling, type Parties } from './support';
import { futureWashingtonDate } from '../helpers/washington';

/**
 * Every endpoint that reads a body, with a valid body and the same body with one field of the wrong type,
 * called by the party entitled to it (so only the input can be at fault). Shared by the input-validation
 * tests and the fuzz run.
 */
export interface BodyEndpoint {
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
export const BODY_ENDPOINTS: Record<string, BodyEndpoint> = {
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
  'POST designation': {
    as: 'NSA',
    path: (id) => `/v1/submissions/${id}/designation`,
    valid: { covered: true, reason: 'meets the bar', benchmarkScore: 0.8 },
    wrongType: { covered: 'yes', reason: 'meets the bar' },
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
  },
  'POST /v1/ops/closures': {
    as: 'ops',
    path: () => '/v1/ops/closures',
    valid: { closureId: 'closure-1', dates: [futureWashingtonDate(60)], reason: 'OPM closure' },
    wrongType: { closureId: 'closure-1', dates: ['next Tuesday'], reason: 'OPM closure' },
  },
  'POST /v1/admin/keys': {
    as: 'admin',
    path: () => '/v1/admin/keys',
    valid: { principal: 'agency:DOE', holder: 'DOE pipeline' },
    wrongType: { principal: 7, holder: 'acme CI' },
    keyed: false,
  },
  // An agency files about the case's lab; a lab would file about its own models only.
  'POST /v1/findings': {
    as: 'NSA',
    path: () => '/v1/findings',
    valid: findingFiling({ labId: 'acme-fuzz' }),
    wrongType: findingFiling({ labId: 'acme-fuzz', tlp: 'PURPLE' }),
  },
  // A commitment of the case (it need not exist: the body is refused before it is looked up).
  'POST commitments attestation': {
    as: 'lab',
    path: (id) => `/v1/commitments/${id.replace(':', '~')}~1/attestation`,
    valid: { statement: 'kept' },
    wrongType: { statement: ['kept'] },
  },
  'POST commitments confirmation': {
    as: 'NSA',
    path: (id) => `/v1/commitments/${id.replace(':', '~')}~1/confirmation`,
    valid: { note: 'verified' },
    wrongType: { note: 7 },
  },
  'POST commitments dispute': {
    as: 'NSA',
    path: (id) => `/v1/commitments/${id.replace(':', '~')}~1/dispute`,
    valid: { reason: 'not kept' },
    wrongType: { reason: false },
  },
  // The chair's messages to the case's lab's record (the body is refused before it is looked up).
  'POST labs designation': {
    as: 'chair',
    path: (id) => `/v1/labs/${id.split(':')[0]}/designation`,
    valid: { reason: 'trusted' },
    wrongType: { reason: 7 },
  },
  'POST labs revocation': {
    as: 'chair',
    path: (id) => `/v1/labs/${id.split(':')[0]}/revocation`,
    valid: { reason: 'no longer trusted' },
    wrongType: { reason: ['no'] },
  },
  // Early access (issue 14, part 4): CISA's nomination, and a grant of the case (it need not exist).
  'POST early-access': {
    as: 'CISA',
    path: (id) => `/v1/submissions/${id}/early-access`,
    valid: { operatorId: 'grid-east', reason: 'a grid operator' },
    wrongType: { operatorId: 7, reason: 'a grid operator' },
  },
  'POST grants approval': {
    as: 'lab',
    path: (id) => `/v1/grants/${id.replace(':', '~')}~grid-east/approval`,
    valid: { note: 'welcome' },
    wrongType: { note: 7 },
  },
  'POST grants declination': {
    as: 'lab',
    path: (id) => `/v1/grants/${id.replace(':', '~')}~grid-east/declination`,
    valid: {},
    wrongType: { note: ['no'] },
  },
  'POST grants revocation': {
    as: 'lab',
    path: (id) => `/v1/grants/${id.replace(':', '~')}~grid-east/revocation`,
    valid: { reason: 'ends now' },
    wrongType: { reason: false },
  },
  'POST grants uses': {
    as: 'operator',
    path: (id) => `/v1/grants/${id.replace(':', '~')}~grid-east/uses`,
    valid: { note: 'used it' },
    wrongType: { note: 7 },
  },
  'POST callbacks/redeliver': {
    as: 'ops',
    path: (id) => `/v1/submissions/${id}/callbacks/redeliver`,
    valid: {},
    wrongType: { eventId: 7 },
  },
};
