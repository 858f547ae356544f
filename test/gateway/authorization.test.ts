import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  AnyCaseView,
  ArchivedCases,
  CaseCounts,
  CaseSummary,
  ClosureReport,
  FanOutReport,
  GovernmentView,
  LabCaseSummary,
  Me,
  page,
  Projection,
  Receipt,
  SubmissionCreated,
} from '../../shared/api/responses';
import { DAY_MS } from '../helpers/review';
import {
  assertProblem,
  decision,
  determinedNoConcerns,
  determinedWithCommitments,
  eventually,
  untilLabRecord,
  file,
  filing,
  findingFiling,
  ok,
  openGateway,
  readRecord,
  untilStage,
  withGateway,
  type Gateway,
  type Parties,
} from './support';
import { futureWashingtonDate } from '../helpers/washington';
import { uniqueId } from '../helpers/workers';
import { tokenOf } from '../helpers/sign-in';
import { personSigns } from './signing';
import { AccessLogPage } from '../../shared/api/access-log';
import { EnrolledPerson, PeopleList } from '../../shared/api/people';
import { CallbackSecretRotated, CallbackSecretState } from '../../shared/api/callback-secrets';
import { IssuedKey, KeyList, LabAdded } from '../../shared/api/admin';
import { CommitmentListItem, CommitmentReceiptView, CommitmentView } from '../../shared/api/commitments';
import { LabListItem, LabReceiptView, LabView } from '../../shared/api/labs';
import { GrantListItem, GrantReceiptView, GrantView } from '../../shared/api/grants';
import { operatorOf } from '../../shared/domain/principal';
import { FindingFiled, FindingListItem, FindingReceiptView, FindingView } from '../../shared/api/findings';

/** People signed in through the suite's OpenID provider: each is entitled exactly as the key of its principal. */
const PEOPLE = {
  'NSA person': ['nsa', 'NSA'],
  'chair person': ['chair', 'chair'],
  'ops person': ['ops', 'ops'],
} as const;
type Person = keyof typeof PEOPLE;
type Party = keyof Parties | 'anonymous' | 'unknownKey' | Person;
const isPerson = (p: Party): p is Person => p in PEOPLE;
/** The key party whose entitlements a party has. */
const asKeyParty = (p: Party): Exclude<Party, Person> => (isPerson(p) ? PEOPLE[p][1] : p);

/**
 * What a party gets: a refusal (status and problem code); a read (200 and the body's schema); or an action
 * the party is entitled to, which would change the case (its status and schema: it is sent to a fresh case of
 * its own, in a namespace of its own, so that the matrix's case stays as it was).
 */
type Expected =
  | { refused: [status: number, code: string] }
  | { reads: z.ZodType }
  | { acts: [status: number, schema: z.ZodType] };

interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** The body, or a function making it when the request is sent. */
  body?: unknown;
  expect: Partial<Record<Party, Expected>>;
}

/**
 * Who reads the matrix's case (another party's: the lab's, in the national-security stage), and who reads the
 * restricted note NSA recorded there, written out from docs/reviewers.md "What is sealed from whom" and
 * domain.md section 2 rather than read from the gateway's view policy: a lab its own cases only, never a
 * restricted note; an agency the
 * cases whose rosters name it (NSA and CAISI review this model, FBI does not), with its own stage's notes (NSA's
 * stage is the national-security one, CAISI's the civilian); the chair everything; operations staff everything
 * but the text of restricted notes. Anyone else (an operator, an administrator) reads no case.
 */
const READS_CASE = { lab: true, otherLab: false, NSA: true, CAISI: true, FBI: false, chair: true, ops: true };
const READS_NOTE: Partial<Record<Party, boolean>> = {
  lab: false,
  otherLab: false,
  NSA: true,
  CAISI: false,
  FBI: false,
  chair: true,
  ops: false,
};
/** Whether a party reads the note NSA recorded in the national-security stage. */
const readsNationalSecurityNote = (party: Party): boolean => READS_NOTE[party] === true;

const refused = (status: number, code: string): Expected => ({ refused: [status, code] });
const reads = (schema: z.ZodType): Expected => ({ reads: schema });
const acts = (schema: z.ZodType, status = 200): Expected => ({ acts: [status, schema] });
const FORBIDDEN = refused(403, 'FORBIDDEN');
const NOT_FOUND = refused(404, 'CASE_NOT_FOUND');
const FINDING_NOT_FOUND = refused(404, 'FINDING_NOT_FOUND');
const COMMITMENT_NOT_FOUND = refused(404, 'COMMITMENT_NOT_FOUND');
const LAB_NOT_FOUND = refused(404, 'LAB_NOT_FOUND');
const GRANT_NOT_FOUND = refused(404, 'GRANT_NOT_FOUND');

/**
 * Every endpoint, with a valid body, against the lab's case in the national-security stage where NSA has
 * already decided with a restricted note. A party not listed gets 403 FORBIDDEN; without a key or with an
 * unknown one, 401.
 */
function endpoints(
  id: string,
  f: MatrixFindings,
  k: MatrixCommitments,
  g: MatrixGrants,
): Record<string, Endpoint> {
  const c = `/v1/submissions/${id}`;
  /** The owner's answers: NSA owns them; CAISI reviewed the model; FBI did not and does not know of them. */
  const owner = (nsa: Expected): Endpoint['expect'] => ({
    NSA: nsa,
    CAISI: refused(403, 'NOT_ENTITLED'),
    FBI: COMMITMENT_NOT_FOUND,
    chair: refused(403, 'NOT_ENTITLED'),
  });
  const received = `/v1/findings/${f.received}`;
  const validated = `/v1/findings/${f.validated}`;
  /** The clearinghouse's messages: NSA is of it; CAISI reviews the model but is not; FBI does not know of it. */
  const clearinghouse = (nsa: Expected): Endpoint['expect'] => ({
    NSA: nsa,
    CAISI: refused(403, 'NOT_ENTITLED'),
    FBI: FINDING_NOT_FOUND,
  });
  const lab = (own: Expected): Endpoint['expect'] => ({ lab: own, otherLab: NOT_FOUND });
  const slot = (nsa: Expected): Endpoint['expect'] => ({
    NSA: nsa,
    CAISI: refused(409, 'WRONG_STAGE'),
    FBI: refused(403, 'NOT_ENTITLED'),
  });
  const everyone: Endpoint['expect'] = Object.fromEntries(
    (['lab', 'otherLab', 'NSA', 'CAISI', 'FBI', 'operator', 'chair', 'ops', 'admin'] as const).map((p) => [
      p,
      reads(Me),
    ]),
  );
  return {
    'GET /v1/me': { method: 'GET', path: '/v1/me', expect: everyone },
    'POST /v1/submissions': {
      method: 'POST',
      path: '/v1/submissions',
      body: () => filing(),
      expect: { lab: acts(SubmissionCreated, 201), otherLab: acts(SubmissionCreated, 201) },
    },
    'GET /v1/submissions': {
      method: 'GET',
      path: '/v1/submissions',
      expect: { lab: reads(page(LabCaseSummary)), otherLab: reads(page(LabCaseSummary)) },
    },
    'GET /v1/submissions/{id}': {
      method: 'GET',
      path: c,
      // Who reads the case at all: docs/reviewers.md "What is sealed from whom" (READS_CASE).
      expect: Object.fromEntries(
        Object.entries(READS_CASE).map(([p, readsIt]) => [p, readsIt ? reads(AnyCaseView) : NOT_FOUND]),
      ),
    },
    'POST supplement': {
      method: 'POST',
      path: `${c}/supplement`,
      body: { fields: { access: { kind: 'API', details: 'more' } } },
      expect: lab(refused(409, 'NOT_DEFICIENT')),
    },
    'POST information-requests/{requestId}/answer': {
      method: 'POST',
      path: `${c}/information-requests/req-none/answer`,
      body: { answer: 'an answer' },
      expect: lab(refused(409, 'INFORMATION_REQUEST_NOT_OPEN')),
    },
    'POST release-date': {
      method: 'POST',
      path: `${c}/release-date`,
      body: { plannedReleaseDate: new Date(Date.now() + 400 * DAY_MS).toISOString() },
      expect: lab(acts(Receipt)),
    },
    'POST extension-offers/{offerId}/response': {
      method: 'POST',
      path: `${c}/extension-offers/offer-none/response`,
      body: { accept: true },
      expect: lab(refused(409, 'NO_EXTENSION_OFFER')),
    },
    'POST withdrawal': { method: 'POST', path: `${c}/withdrawal`, body: {}, expect: lab(acts(Receipt)) },
    'POST release': { method: 'POST', path: `${c}/release`, body: {}, expect: lab(acts(Receipt)) },
    'POST callback-endpoint': {
      method: 'POST',
      path: `${c}/callback-endpoint`,
      body: { callbackUrl: 'https://new.acme.example/callbacks' },
      expect: lab(acts(Receipt)),
    },
    'GET /v1/agency/cases': {
      method: 'GET',
      path: '/v1/agency/cases',
      expect: {
        NSA: reads(page(CaseSummary)),
        CAISI: reads(page(CaseSummary)),
        FBI: reads(page(CaseSummary)),
      },
    },
    'POST designation': {
      method: 'POST',
      path: `${c}/designation`,
      body: { covered: false, reason: 'not covered after all', benchmarkScore: 0.2 },
      // NSA designated this case on its way to acceptance; no other agency designates.
      expect: {
        NSA: refused(409, 'ALREADY_DECIDED'),
        CAISI: refused(403, 'NOT_ENTITLED'),
        FBI: refused(403, 'NOT_ENTITLED'),
      },
    },
    'POST decisions': {
      method: 'POST',
      path: `${c}/decisions`,
      body: decision('NO_CONCERNS'),
      expect: slot(refused(409, 'ALREADY_DECIDED')),
    },
    'POST information-requests': {
      method: 'POST',
      path: `${c}/information-requests`,
      body: { questions: ['Which evals ran?'] },
      expect: slot(refused(409, 'ALREADY_DECIDED')),
    },
    'POST extensions': {
      method: 'POST',
      path: `${c}/extensions`,
      body: { days: 2, reason: 'more time' },
      expect: slot(refused(409, 'ALREADY_DECIDED')),
    },
    'GET /v1/chair/escalations': {
      method: 'GET',
      path: '/v1/chair/escalations',
      expect: { chair: reads(page(CaseSummary)) },
    },
    'POST escalation/resolution': {
      method: 'POST',
      path: `${c}/escalation/resolution`,
      body: { outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'resolved' },
      expect: { chair: refused(409, 'NOT_ESCALATED') },
    },
    'GET /v1/ops/cases': { method: 'GET', path: '/v1/ops/cases', expect: { ops: reads(page(CaseSummary)) } },
    'GET /v1/ops/counts': { method: 'GET', path: '/v1/ops/counts', expect: { ops: reads(CaseCounts) } },
    'POST deadline-projections': {
      method: 'POST',
      path: `${c}/deadline-projections`,
      body: { change: { kind: 'EXTENSION', party: 'agency:CISA', days: 3 } },
      // An agency projects the cases it may read (its workbench shows what an act moves), no other; a lab its
      // own case's release date only (another change is 403, another lab's case 404).
      expect: {
        ops: reads(Projection),
        chair: reads(Projection),
        NSA: reads(Projection),
        CAISI: reads(Projection),
        FBI: NOT_FOUND,
        otherLab: NOT_FOUND,
      },
    },
    'POST /v1/ops/funding-lapses': {
      method: 'POST',
      path: '/v1/ops/funding-lapses',
      body: { lapseId: 'lapse-authz', reason: 'appropriations lapse' },
      expect: { ops: acts(FanOutReport) },
    },
    'POST /v1/ops/funding-lapses/{lapseId}/resume': {
      method: 'POST',
      path: '/v1/ops/funding-lapses/lapse-none/resume',
      expect: { ops: refused(409, 'FUNDING_LAPSE_NOT_ACTIVE') },
    },
    'GET /v1/ops/government': {
      method: 'GET',
      path: '/v1/ops/government',
      expect: { ops: reads(GovernmentView) },
    },
    'POST /v1/ops/closures': {
      method: 'POST',
      path: '/v1/ops/closures',
      body: { closureId: 'closure-authz', dates: [futureWashingtonDate(60)], reason: 'OPM closure' },
      expect: { ops: acts(ClosureReport) },
    },
    'GET /v1/admin/keys': { method: 'GET', path: '/v1/admin/keys', expect: { admin: reads(KeyList) } },
    'POST /v1/admin/keys': {
      method: 'POST',
      path: '/v1/admin/keys',
      // Another lab's key: a lab key needs the lab's callback secret first (test/security/door-checks.test.ts).
      body: { principal: 'agency:DOE', holder: 'DOE pipeline' },
      expect: { admin: acts(IssuedKey, 201) },
    },
    'POST /v1/admin/keys/{keyId}/rotation': {
      method: 'POST',
      path: '/v1/admin/keys/key_nosuchkey/rotation',
      body: {},
      expect: { admin: refused(404, 'KEY_NOT_FOUND') },
    },
    'POST /v1/admin/keys/{keyId}/expiry': {
      method: 'POST',
      path: '/v1/admin/keys/key_nosuchkey/expiry',
      body: { expiresAt: '2099-01-01T00:00:00.000Z' },
      expect: { admin: refused(404, 'KEY_NOT_FOUND') },
    },
    'POST /v1/admin/keys/{keyId}/revocation': {
      method: 'POST',
      path: '/v1/admin/keys/key_nosuchkey/revocation',
      body: {},
      expect: { admin: refused(404, 'KEY_NOT_FOUND') },
    },
    'POST /v1/admin/labs': {
      method: 'POST',
      path: '/v1/admin/labs',
      body: () => ({ labId: uniqueId('lab'), holder: 'lab CI' }),
      expect: { admin: acts(LabAdded, 201) },
    },
    // The labs' and operators' people (issue 38): an operator needs no callback secret, so any one is enrolled.
    'GET /v1/admin/people': {
      method: 'GET',
      path: '/v1/admin/people',
      expect: { admin: reads(PeopleList) },
    },
    'POST /v1/admin/people': {
      method: 'POST',
      path: '/v1/admin/people',
      body: () => ({
        issuer: 'https://login.example',
        subject: uniqueId('person'),
        principal: 'operator:grid',
      }),
      expect: { admin: acts(EnrolledPerson, 201) },
    },
    'POST /v1/admin/people/removal': {
      method: 'POST',
      path: '/v1/admin/people/removal',
      body: { issuer: 'https://login.example', subject: 'nobody-enrolled', principal: 'operator:grid' },
      expect: { admin: refused(404, 'PERSON_NOT_ENROLLED') },
    },
    'GET /v1/access-log': {
      method: 'GET',
      path: `/v1/access-log?caseId=${id}&pageSize=10`,
      expect: { admin: reads(AccessLogPage), chair: reads(AccessLogPage) },
    },
    'POST callbacks/redeliver': {
      method: 'POST',
      path: `${c}/callbacks/redeliver`,
      body: { eventId: 'no-such-event' },
      expect: {
        ops: refused(404, 'CALLBACK_EVENT_NOT_FOUND'),
        ...lab(refused(404, 'CALLBACK_EVENT_NOT_FOUND')),
      },
    },
    // A lab's own callback secret (issue 38): the lab is the caller's own, so each lab acts on its own.
    'GET /v1/callback-secret': {
      method: 'GET',
      path: '/v1/callback-secret',
      expect: { lab: reads(CallbackSecretState), otherLab: reads(CallbackSecretState) },
    },
    'POST /v1/callback-secret/rotation': {
      method: 'POST',
      path: '/v1/callback-secret/rotation',
      body: {},
      expect: { lab: acts(CallbackSecretRotated, 201), otherLab: acts(CallbackSecretRotated, 201) },
    },
    'POST /v1/callback-secret/rotation/completion': {
      method: 'POST',
      path: '/v1/callback-secret/rotation/completion',
      body: {},
      expect: {
        lab: refused(409, 'CALLBACK_SECRET_NOT_ROTATING'),
        otherLab: refused(409, 'CALLBACK_SECRET_NOT_ROTATING'),
      },
    },
    // The case is open: it has no permanent record yet (test/gateway/permanent-record.test.ts exports one).
    'GET record': {
      method: 'GET',
      path: `${c}/record`,
      expect: { chair: refused(404, 'RECORD_NOT_FOUND'), ops: refused(404, 'RECORD_NOT_FOUND') },
    },
    'GET /v1/archive/cases': {
      method: 'GET',
      path: '/v1/archive/cases',
      expect: { chair: reads(ArchivedCases), ops: reads(ArchivedCases) },
    },
    'POST /v1/findings': {
      method: 'POST',
      path: '/v1/findings',
      body: () => redFinding({ labId: id.split(':')[0] }),
      expect: {
        lab: acts(FindingFiled, 201),
        otherLab: refused(422, 'FINDING_LAB_MISMATCH'),
        NSA: acts(FindingFiled, 201),
        CAISI: acts(FindingFiled, 201),
        FBI: acts(FindingFiled, 201),
        // An operator names a case it was granted early access on (test/gateway/grants.test.ts).
        operator: refused(422, 'FINDING_SUBJECT_MISSING'),
      },
    },
    'GET /v1/findings': {
      method: 'GET',
      path: '/v1/findings',
      expect: {
        lab: reads(page(FindingListItem)),
        otherLab: reads(page(FindingListItem)),
        NSA: reads(page(FindingListItem)),
        chair: reads(page(FindingListItem)),
        ops: reads(page(FindingListItem)),
      },
    },
    // A TLP:RED finding NSA filed about the lab's model: the detail for NSA (the clearinghouse) alone here.
    'GET /v1/findings/{findingId}': {
      method: 'GET',
      path: received,
      expect: {
        lab: reads(FindingView),
        otherLab: FINDING_NOT_FOUND,
        NSA: reads(FindingView),
        CAISI: reads(FindingView),
        FBI: FINDING_NOT_FOUND,
        operator: FINDING_NOT_FOUND,
        chair: reads(FindingView),
        ops: reads(FindingView),
      },
    },
    'POST findings validation': {
      method: 'POST',
      path: `${received}/validation`,
      body: {},
      expect: clearinghouse(acts(FindingReceiptView)),
    },
    'POST findings rejection': {
      method: 'POST',
      path: `${received}/rejection`,
      body: { reason: 'not reproducible' },
      expect: clearinghouse(acts(FindingReceiptView)),
    },
    'POST findings extension': {
      method: 'POST',
      path: `${validated}/extension`,
      body: { reason: 'the fix needs a retraining run' },
      expect: { lab: acts(FindingReceiptView), otherLab: FINDING_NOT_FOUND },
    },
    'POST findings remediation': {
      method: 'POST',
      path: `${validated}/remediation`,
      body: {},
      expect: clearinghouse(acts(FindingReceiptView)),
    },
    'POST findings disclosure': {
      method: 'POST',
      path: `${validated}/disclosure`,
      body: {},
      expect: clearinghouse(acts(FindingReceiptView)),
    },
    'GET /v1/commitments': {
      method: 'GET',
      path: '/v1/commitments',
      expect: Object.fromEntries(
        (['lab', 'otherLab', 'NSA', 'CAISI', 'FBI', 'chair', 'ops'] as const).map((p) => [
          p,
          reads(page(CommitmentListItem)),
        ]),
      ),
    },
    // A commitment of another case of the lab's, NSA's to confirm; CAISI reviewed that model too.
    'GET /v1/commitments/{commitmentId}': {
      method: 'GET',
      path: `/v1/commitments/${k.open}`,
      expect: {
        lab: reads(CommitmentView),
        otherLab: COMMITMENT_NOT_FOUND,
        NSA: reads(CommitmentView),
        CAISI: reads(CommitmentView),
        FBI: COMMITMENT_NOT_FOUND,
        chair: reads(CommitmentView),
        ops: reads(CommitmentView),
      },
    },
    'POST commitments attestation': {
      method: 'POST',
      path: `/v1/commitments/${k.open}/attestation`,
      body: { statement: 'kept' },
      expect: { lab: acts(CommitmentReceiptView), otherLab: COMMITMENT_NOT_FOUND },
    },
    'POST commitments confirmation': {
      method: 'POST',
      path: `/v1/commitments/${k.attested}/confirmation`,
      body: {},
      expect: owner(acts(CommitmentReceiptView)),
    },
    'POST commitments dispute': {
      method: 'POST',
      path: `/v1/commitments/${k.attested}/dispute`,
      body: { reason: 'not kept' },
      expect: owner(acts(CommitmentReceiptView)),
    },
    'GET /v1/labs': {
      method: 'GET',
      path: '/v1/labs',
      expect: Object.fromEntries(
        (['lab', 'otherLab', 'chair', 'ops'] as const).map((p) => [p, reads(page(LabListItem))]),
      ),
    },
    // The matrix case's lab: its own record, the chair's and operations staff's to read; no one else's.
    'GET /v1/labs/{labId}': {
      method: 'GET',
      path: `/v1/labs/${labOf(id)}`,
      expect: { lab: reads(LabView), otherLab: LAB_NOT_FOUND, chair: reads(LabView), ops: reads(LabView) },
    },
    'POST labs designation': {
      method: 'POST',
      path: `/v1/labs/${labOf(id)}/designation`,
      body: { reason: 'trusted' },
      expect: { chair: acts(LabReceiptView) },
    },
    // Sent to a fresh lab the chair designated first (see actOnFreshCase).
    'POST labs revocation': {
      method: 'POST',
      path: `/v1/labs/${labOf(id)}/revocation`,
      body: { reason: 'no longer trusted' },
      expect: { chair: acts(LabReceiptView) },
    },
    // Early access (issue 14, part 4): only the nominating agency (CISA, see test/gateway/grants.test.ts)
    // nominates; any other agency is refused whatever the stage.
    'POST early-access': {
      method: 'POST',
      path: `${c}/early-access`,
      body: { operatorId: 'grid-x', reason: 'a grid operator' },
      expect: {
        NSA: refused(403, 'NOT_ENTITLED'),
        CAISI: refused(403, 'NOT_ENTITLED'),
        FBI: refused(403, 'NOT_ENTITLED'),
      },
    },
    'GET /v1/grants': {
      method: 'GET',
      path: '/v1/grants',
      expect: Object.fromEntries(
        (['lab', 'otherLab', 'NSA', 'CAISI', 'FBI', 'operator', 'chair', 'ops'] as const).map((p) => [
          p,
          reads(page(GrantListItem)),
        ]),
      ),
    },
    // A grant on another case of the lab's, for the matrix's operator; CISA nominated it.
    'GET /v1/grants/{grantId}': {
      method: 'GET',
      path: `/v1/grants/${g.nominated}`,
      expect: {
        lab: reads(GrantView),
        otherLab: GRANT_NOT_FOUND,
        NSA: GRANT_NOT_FOUND,
        CAISI: GRANT_NOT_FOUND,
        FBI: GRANT_NOT_FOUND,
        operator: reads(GrantView),
        chair: reads(GrantView),
        ops: reads(GrantView),
      },
    },
    'POST grants approval': {
      method: 'POST',
      path: `/v1/grants/${g.nominated}/approval`,
      body: {},
      expect: { lab: acts(GrantReceiptView), otherLab: GRANT_NOT_FOUND },
    },
    'POST grants declination': {
      method: 'POST',
      path: `/v1/grants/${g.nominated}/declination`,
      body: {},
      expect: { lab: acts(GrantReceiptView), otherLab: GRANT_NOT_FOUND },
    },
    'POST grants revocation': {
      method: 'POST',
      path: `/v1/grants/${g.active}/revocation`,
      body: { reason: 'ends now' },
      expect: {
        lab: acts(GrantReceiptView),
        otherLab: GRANT_NOT_FOUND,
        NSA: GRANT_NOT_FOUND,
        CAISI: GRANT_NOT_FOUND,
        FBI: GRANT_NOT_FOUND,
        operator: acts(GrantReceiptView),
      },
    },
    'POST grants uses': {
      method: 'POST',
      path: `/v1/grants/${g.active}/uses`,
      body: { note: 'used it' },
      expect: { operator: acts(GrantReceiptView) },
    },
  };
}

const NO_GRANTS: MatrixGrants = { nominated: 'x~y~z', active: 'x~y~z' };

/** Two grants of the matrix's operator, each on another case of the lab's in PRE_RELEASE: one nominated, one approved. */
interface MatrixGrants {
  nominated: string;
  active: string;
}
async function makeGrants(g: Gateway, only?: keyof MatrixGrants): Promise<MatrixGrants> {
  const operatorId = operatorOf(g.parties.operator)!;
  const grantOnAFreshCase = async () => {
    const caseId = await file(g);
    await untilStage(g, caseId, 'NATIONAL_SECURITY', g.parties.ops);
    await determinedNoConcerns(g, caseId);
    const body = { operatorId, reason: 'a grid operator' };
    ok(await g.call(g.parties.CISA, 'POST', `/v1/submissions/${caseId}/early-access`, body), Receipt);
    const grantId = `${caseId.replace(':', '~')}~${operatorId}`;
    await eventually(
      () => g.call(g.parties.ops, 'GET', `/v1/grants/${grantId}`),
      (res) => res.status === 200,
      `grant ${grantId} started`,
    );
    return grantId;
  };
  // An act on one grant needs only that one (each grant is a case taken to its determination).
  const nominated = only === 'active' ? NO_GRANTS.nominated : await grantOnAFreshCase();
  const active = only === 'nominated' ? NO_GRANTS.active : await grantOnAFreshCase();
  if (only !== 'nominated')
    ok(await g.call(g.parties.lab, 'POST', `/v1/grants/${active}/approval`, {}), GrantReceiptView);
  return { nominated, active };
}

const labOf = (caseId: string): string => caseId.split(':')[0];

/** Two commitments NSA asked for on another case of the lab's, determined: one open, one the lab attested. */
interface MatrixCommitments {
  open: string;
  attested: string;
}
async function makeCommitments(g: Gateway): Promise<MatrixCommitments> {
  const caseId = await file(g);
  await untilStage(g, caseId, 'NATIONAL_SECURITY', g.parties.ops);
  const [open, attested] = await determinedWithCommitments(g, caseId, ['kept one', 'kept two']);
  const statement = { statement: 'kept' };
  ok(
    await g.call(g.parties.lab, 'POST', `/v1/commitments/${attested}/attestation`, statement),
    CommitmentReceiptView,
  );
  return { open, attested };
}
const NO_COMMITMENTS: MatrixCommitments = { open: 'x', attested: 'x' };

/** The findings of the matrix's case: one just received, one validated (both TLP:RED, filed by NSA). */
interface MatrixFindings {
  received: string;
  validated: string;
}
const FINDING_TITLE = 'red finding title';
const redFinding = (extra: Record<string, unknown>) =>
  findingFiling({ title: FINDING_TITLE, tlp: 'RED', ...extra });
async function fileFindings(g: Gateway, caseId: string): Promise<MatrixFindings> {
  const fileOne = async () =>
    ok(await g.call(g.parties.NSA, 'POST', '/v1/findings', redFinding({ caseId })), FindingFiled, 201)
      .findingId;
  const received = await fileOne();
  const validated = await fileOne();
  ok(await g.call(g.parties.NSA, 'POST', `/v1/findings/${validated}/validation`, {}), FindingReceiptView);
  return { received, validated };
}
const NO_FINDINGS: MatrixFindings = { received: 'x', validated: 'x' };
/** Whether a party reads the matrix's TLP:RED findings in detail (NSA is of the clearinghouse, and filed them). */
const readsFindingDetail = (party: Party): boolean => asKeyParty(party) === 'NSA';

const PARTIES: Party[] = [
  'anonymous',
  'unknownKey',
  'lab',
  'otherLab',
  'NSA',
  'CAISI',
  'FBI',
  'operator',
  'chair',
  'ops',
  'admin',
  'NSA person',
  'chair person',
  'ops person',
];
const NOTE = 'classified: exploit chain observed';

describe('gateway: authorization matrix (every endpoint × every role, on another party’s case)', function () {
  this.timeout(180_000);
  let gw: Gateway;
  let close: () => Promise<void>;
  let id: string;
  let findings: MatrixFindings;
  let commitments: MatrixCommitments;
  let grants: MatrixGrants;
  let before_: unknown;

  before(async () => {
    ({ gw, close } = await openGateway());
    id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const d = decision('CONCERNS_MITIGATED', { restrictedNote: NOTE });
    ok(await gw.call(gw.parties.NSA, 'POST', `/v1/submissions/${id}/decisions`, d), Receipt);
    findings = await fileFindings(gw, id);
    commitments = await makeCommitments(gw);
    grants = await makeGrants(gw);
    await untilLabRecord(gw, id);
    before_ = await unchanged();
  });
  after(async () => {
    await close();
    await (await actsGateway)?.close();
  });

  /** What no refused request or read may change (callback deliveries and attempts move on their own). */
  const unchanged = async () => ({
    case: await readRecord(gw, id),
    callbackSecrets: readFileSync(gw.files.callbackSecretsFile, 'utf8'),
    // The lab's status and its history (its facts arrive from its cases and commitments on their own).
    lab: await (async () => {
      const v = ok(await gw.call(gw.parties.ops, 'GET', `/v1/labs/${labOf(id)}`), LabView);
      return { status: v.status, statusHistory: v.statusHistory };
    })(),
    findings: await Promise.all(
      [findings.received, findings.validated].map(async (f) => {
        const { callbacks: _moving, ...rest } = ok(
          await gw.call(gw.parties.ops, 'GET', `/v1/findings/${f}`),
          FindingView,
        );
        return rest;
      }),
    ),
    commitments: await Promise.all(
      [commitments.open, commitments.attested].map(async (k) => {
        const { callbacks: _moving, ...rest } = ok(
          await gw.call(gw.parties.ops, 'GET', `/v1/commitments/${k}`),
          CommitmentView,
        );
        return rest;
      }),
    ),
    grants: await Promise.all(
      [grants.nominated, grants.active].map(async (k) => {
        const { callbacks: _moving, ...rest } = ok(
          await gw.call(gw.parties.ops, 'GET', `/v1/grants/${k}`),
          GrantView,
        );
        return rest;
      }),
    ),
  });

  /** A party's request; an entitled person's act that decides is signed with a passkey (policy 8). */
  const request = async (g: Gateway, party: Party, e: Endpoint, entitled = false) => {
    const as =
      party === 'anonymous'
        ? undefined
        : party === 'unknownKey'
          ? 'frk_not-a-key'
          : isPerson(party)
            ? await tokenOf(PEOPLE[party][0])
            : g.parties[party];
    const body = typeof e.body === 'function' ? (e.body as () => unknown)() : e.body;
    const signature =
      entitled && isPerson(party) && as !== undefined ? await personSigns(g, as, e.path, body as object) : {};
    return g.call(as, e.method, e.path, body, {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...signature,
    });
  };

  /**
   * An action an entitled party may take, sent in a namespace of its own (so that neither the matrix's case nor
   * anything else it reads changes), to fresh cases, findings, commitments or grants of its own.
   */
  const actOnFreshCase = (party: Party, name: string, expected: [number, z.ZodType]) =>
    withGateway((fresh) => act(fresh, party, name, expected));
  /**
   * The acts that change what is one per namespace (the government's lapse or closure, the lab's trust, the
   * keys and labs an administrator adds): each entitled party's goes to a namespace of its own. Every other
   * act goes to fresh cases, findings, commitments or grants of its own, so they all share one namespace
   * (itself apart from the matrix's).
   */
  const onePerNamespace = (name: string): boolean => /\/v1\/ops\/|\/v1\/admin\/|^POST labs /.test(name);
  /**
   * The namespace every other entitled party's act goes to, each to fresh cases, findings, commitments or grants
   * of its own: opened once for the file (a namespace, a worker and a gateway cost as much as many acts), its
   * workflows ended and replayed when the file ends.
   */
  let actsGateway: Promise<{ gw: Gateway; close: () => Promise<void> }> | undefined;
  const sharedActs = async (): Promise<Gateway> => (await (actsGateway ??= openGateway())).gw;
  const act = async (g: Gateway, party: Party, name: string, [status, schema]: [number, z.ZodType]) => {
    // A commitment's action goes to commitments of a case run to its determination; a grant's, to a grant of
    // the operator's on a case in PRE_RELEASE; each files its own. A filing, the government's lapse or closure,
    // an administrator's act and a lab's callback secret name no case. Any other goes to a fresh case in the national-security stage, with
    // findings of its own when it acts on one.
    const onItsOwnCases =
      name.includes('commitments ') ||
      name.includes('grants ') ||
      /^POST \/v1\/(submissions|ops\/funding-lapses|ops\/closures|admin\/|callback-secret)/.test(name);
    const freshId = onItsOwnCases ? 'none' : await file(g);
    if (!onItsOwnCases) await untilStage(g, freshId, 'NATIONAL_SECURITY', g.parties.ops);
    const f = name.includes('findings ') ? await fileFindings(g, freshId) : NO_FINDINGS;
    const k = name.includes('commitments ') ? await makeCommitments(g) : NO_COMMITMENTS;
    const grantsOfFresh = name.includes('grants ')
      ? await makeGrants(g, /approval|declination/.test(name) ? 'nominated' : 'active')
      : NO_GRANTS;
    // A lab's status changes need its record; a revocation, a trusted partner.
    if (name.includes('labs ')) await untilLabRecord(g, freshId);
    if (name.includes('labs revocation')) {
      const designation = { reason: 'trusted first' };
      ok(
        await g.call(g.parties.chair, 'POST', `/v1/labs/${labOf(freshId)}/designation`, designation),
        LabReceiptView,
      );
    }
    const res = await request(g, party, endpoints(freshId, f, k, grantsOfFresh)[name], true);
    assert.equal(res.status, status, `${party}: ${res.text}`);
    schema.parse(res.body);
  };

  for (const name of Object.keys(endpoints('x', NO_FINDINGS, NO_COMMITMENTS, NO_GRANTS))) {
    it(`${name}: answers each party exactly as entitled`, async () => {
      const e = endpoints(id, findings, commitments, grants)[name];
      const entitledActs: ((g: Gateway) => Promise<void>)[] = [];
      for (const party of PARTIES) {
        const keyParty = asKeyParty(party);
        const expected: Expected =
          keyParty === 'anonymous' || keyParty === 'unknownKey'
            ? refused(401, 'UNAUTHENTICATED')
            : (e.expect[keyParty] ?? FORBIDDEN);
        if ('acts' in expected) {
          const { acts: answer } = expected;
          if (onePerNamespace(name)) await actOnFreshCase(party, name, answer);
          else entitledActs.push((g) => act(g, party, name, answer));
          continue;
        }
        const res = await request(gw, party, e);
        if ('reads' in expected) {
          assert.equal(res.status, 200, `${party}: ${res.status} ${res.text}`);
          const body = expected.reads.parse(res.body) as { view?: string; principal?: string };
          const role =
            keyParty === 'otherLab'
              ? 'lab'
              : keyParty === 'NSA' || keyParty === 'CAISI'
                ? 'agency'
                : keyParty;
          if (e.path.endsWith(id)) assert.equal(body.view, role, `${party} reads the ${role} view`);
          if (e.path === '/v1/me') assert.equal(body.principal, gw.parties[keyParty as keyof Parties]);
          const readsNote = readsNationalSecurityNote(keyParty);
          if (!readsNote) assert.ok(!res.text.includes(NOTE), `${party} must not read the restricted note`);
          if (readsNote && e.path.endsWith(id)) assert.ok(res.text.includes(NOTE), `${party} reads the note`);
          if (e.path === '/v1/submissions' && party === 'otherLab') assert.ok(!res.text.includes(id));
          if (e.path.startsWith('/v1/findings/')) {
            const reads = readsFindingDetail(party);
            assert.equal(
              res.text.includes(FINDING_TITLE),
              reads,
              `${party} reads the TLP:RED finding's detail: ${reads}`,
            );
          }
        } else {
          assertProblem(res, expected.refused[0], expected.refused[1]);
          if (expected.refused[0] === 401)
            assert.equal(res.headers['www-authenticate'], 'Bearer realm="frontier-review"');
        }
      }
      if (entitledActs.length > 0) {
        // Each act is on fresh cases of its own, so the entitled parties act at once (at most one of them is a
        // person, who signs with a passkey).
        const g = await sharedActs();
        await Promise.all(entitledActs.map((each) => each(g)));
      }
      assert.deepEqual(await unchanged(), before_, 'no refused request or read changed the case');
    });
  }
});
