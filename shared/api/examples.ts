import type { MESSAGES } from '../domain/review/messages';

/**
 * One example of each request body, as the API reference shows it (and a test checks that each one is accepted
 * by its schema: test/docs/openapi-examples.test.ts). A message's example leaves out what its path names.
 */
export const MESSAGE_EXAMPLES: Record<keyof typeof MESSAGES, Record<string, unknown>> = {
  recordDecision: {
    decision: {
      kind: 'CONCERNS_MITIGATED',
      summary: 'Mitigations for the cyber-offense evaluations are adequate.',
      restrictedNote: 'Exploit chain reproduced in the classified range; mitigation verified on 2027-01-05.',
      commitments: ['Keep the exploit-generation refusal layer enabled at release'],
    },
  },
  requestInformation: { questions: ['Which cyber-offense evaluations ran on the release candidate?'] },
  requestExtension: { days: 5, reason: 'Red-team results arrive on Friday' },
  nominateOperator: {
    operatorId: 'grid-east',
    reason: 'Regional grid operator: to harden its control-room tooling before the release.',
  },
  designateCoverage: {
    covered: true,
    reason: 'The model meets the cyber-capability bar of the covered-model benchmark.',
    benchmarkScore: 0.83,
  },
  resolveEscalation: {
    outcome: 'PROCEED_WITH_COMMITMENTS',
    rationale: 'The civilian concerns are met by the lab’s staged rollout.',
    commitments: ['Stage the rollout over 30 days'],
  },
  supplement: { fields: { model: { trainingComputeFlop: 3e26 } } },
  answerInformationRequest: { answer: 'The full CyberSecEval 3 suite and our internal exploit benchmark.' },
  amendReleaseDate: { plannedReleaseDate: '2027-09-01T00:00:00Z' },
  respondToExtensionOffer: { accept: true },
  withdraw: { reason: 'Retraining before release' },
  reportRelease: { releasedAt: '2027-09-01T14:00:00Z' },
  changeCallbackEndpoint: { callbackUrl: 'https://callbacks.acme.example/frontier-review' },
  tollClocks: { lapseId: 'fy27-lapse-1', reason: 'Appropriations lapsed at midnight' },
  resumeClocks: {},
  declareClosure: {
    closureId: 'snow-2027-01-12',
    dates: ['2027-01-12'],
    reason: 'OPM: federal offices closed',
  },
  redeliverCallbacks: { eventId: 'frontier-2-rc1:7' },
};

/** The examples of the request bodies that are not a message's. */
export const REQUEST_EXAMPLES = {
  createSubmission: {
    submissionId: 'frontier-2-rc1',
    model: { name: 'Frontier-2', version: '2.0', trainingComputeFlop: 3e26 },
    access: { kind: 'API', details: 'Gated endpoint with evaluator keys' },
    callbackUrl: 'https://callbacks.acme.example/frontier-review',
    plannedReleaseDate: '2027-09-01T00:00:00Z',
  },
  projectDeadlines: { change: { kind: 'EXTENSION', party: 'agency:NSA', days: 5 } },
  issueKey: {
    principal: 'agency:NSA',
    holder: 'NSA review desk automation',
    expiresAt: '2030-12-31T00:00:00Z',
  },
  rotateKey: { overlapHours: 24 },
  setExpiry: { expiresAt: '2030-06-30T00:00:00Z' },
  revokeKey: {},
  rotateCallbackSecret: {},
  enrolPerson: {
    issuer: 'https://secure.login.gov',
    subject: 'b2d2d115-1d7e-4579-b9d6-f8e84f4f56ca',
    principal: 'lab:acme',
    name: 'Ada Filer',
  },
  removePerson: {
    issuer: 'https://secure.login.gov',
    subject: 'b2d2d115-1d7e-4579-b9d6-f8e84f4f56ca',
    principal: 'lab:acme',
  },
  endSessions: { issuer: 'https://login.agency.example', subject: 'reviewer-4711' },
  addLab: { labId: 'acme', holder: 'Acme integration team' },
  prepareStatement: {
    message: 'recordDecision',
    body: { decision: { kind: 'NO_CONCERNS', summary: 'No national-security concerns identified.' } },
  },
  prepareFindingStatement: { message: 'validateFinding', body: { note: 'Reproduced on the vendor build.' } },
  prepareLabStatement: {
    message: 'designateTrustedPartner',
    body: { reason: 'Two reviews completed on time.' },
  },
  // What startRegistration() answers (the attestation shortened: an example of the shape, not a passkey).
  registerPasskey: {
    id: 'Vq1hV3t0m0n4kZQ2d1lE9Q',
    rawId: 'Vq1hV3t0m0n4kZQ2d1lE9Q',
    type: 'public-key',
    response: {
      clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0',
      attestationObject: 'o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVg',
      transports: ['internal'],
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  },
  registerSigningKey: {
    publicKey: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  },
  codec: { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: 'AAAA' }] },
} as const;
