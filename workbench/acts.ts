import { z } from 'zod';
import { DesignateCoverageRequest, RecordDecisionRequest } from '../shared/api/requests';
import { findingMessageBody } from '../shared/api/findings';
import { LabStatusBody } from '../shared/api/labs';
import { MESSAGES } from '../shared/domain/review/messages';
import {
  lines,
  noteOf,
  numberOf,
  one,
  optional,
  takes,
  type Act,
  type Field,
  type Subject,
} from './form-values';
import { LAB_ACTS } from './lab-acts';

export type { Act, Field, FormValues, Subject } from './form-values';

/**
 * The acts the people who decide take in the workbench, each a form: its fields, how the form's values become
 * the API's body (the API validates it, and its refusals come back beside the field they concern), and the
 * what-if that shows which deadlines move before it is taken.
 */

const DECISIONS = [
  { value: 'NO_CONCERNS', label: 'No concerns' },
  { value: 'CONCERNS_MITIGATED', label: 'Concerns mitigated (with commitments)' },
  { value: 'CONCERNS_UNRESOLVED', label: 'Concerns unresolved' },
  { value: 'UNABLE_TO_ASSESS', label: 'Unable to assess' },
] as const;

const OUTCOMES = [
  { value: 'NO_CONCERNS_IDENTIFIED', label: 'No concerns identified' },
  { value: 'PROCEED_WITH_COMMITMENTS', label: 'Proceed with commitments' },
  { value: 'DEFERRAL_RECOMMENDED', label: 'Deferral recommended' },
  { value: 'INSUFFICIENT_ACCESS', label: 'Insufficient access' },
] as const;

/** The chair's reason for a lab's status, which the lab is told. */
const REASON_TOLD: Field = {
  name: 'reason',
  label: 'Reason (the lab is told)',
  kind: 'textarea',
  required: true,
  paths: ['reason'],
};
/** A clearinghouse step's optional note, sealed like every note. */
const NOTE: Field = { name: 'note', label: 'Note (sealed)', kind: 'textarea', paths: ['note'] };

const DAY_MS = 86_400_000;
/** An information request stops the asking agency's clock for at most this long (the tolling cap). */
const TOLL_CAP_DAYS = 7;

export const ACTS: Readonly<Record<string, Act>> = {
  ...LAB_ACTS,
  designateCoverage: {
    name: 'designateCoverage',
    title: 'Designate the model',
    subject: 'case',
    role: 'agency',
    only: 'NSA',
    path: 'designation',
    schema: () => DesignateCoverageRequest,
    effect:
      'Your designation replaces the screen’s proposal. Acceptance follows at once: that moment is day 0 of the review.',
    fields: [
      {
        name: 'covered',
        label: 'Designation',
        kind: 'select',
        required: true,
        options: [
          { value: 'true', label: 'Covered' },
          { value: 'false', label: 'Not covered' },
        ],
        paths: ['covered'],
      },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] },
      {
        name: 'benchmarkScore',
        label: 'Benchmark score (0 to 1; sealed, the lab never sees it)',
        kind: 'number',
        paths: ['benchmarkScore'],
      },
    ],
    body: (v) => ({
      covered: one(v.covered) === 'true' ? true : one(v.covered) === 'false' ? false : one(v.covered),
      reason: one(v.reason),
      ...(numberOf(one(v.benchmarkScore)) === undefined
        ? {}
        : { benchmarkScore: numberOf(one(v.benchmarkScore)) }),
    }),
  },
  recordDecision: {
    name: 'recordDecision',
    title: 'Record your decision',
    subject: 'case',
    role: 'agency',
    path: 'decisions',
    schema: () => RecordDecisionRequest,
    effect:
      'Your decision closes your part of this stage. The stage closes when every required agency has decided; an unresolved concern from a required agency escalates the case to the chair.',
    fields: [
      {
        name: 'kind',
        label: 'Decision',
        kind: 'select',
        required: true,
        options: DECISIONS,
        paths: ['decision.kind'],
      },
      {
        name: 'summary',
        label: 'Summary (the lab reads it)',
        kind: 'textarea',
        required: true,
        paths: ['decision.summary'],
      },
      {
        name: 'restrictedNote',
        label: 'Restricted note (government only; sealed)',
        kind: 'textarea',
        paths: ['decision.restrictedNote'],
      },
      {
        name: 'commitments',
        label: 'Commitments the lab must keep (one per line)',
        hint: 'Required when the concerns are mitigated.',
        kind: 'lines',
        paths: ['decision.commitments'],
      },
    ],
    body: (v) => {
      const commitments = lines(v.commitments);
      const note = optional(one(v.restrictedNote));
      return {
        decision: {
          kind: one(v.kind),
          summary: one(v.summary),
          ...(note === undefined ? {} : { restrictedNote: note }),
          ...(commitments.length === 0 ? {} : { commitments }),
        },
      };
    },
  },
  requestInformation: {
    name: 'requestInformation',
    title: 'Ask the lab',
    subject: 'case',
    role: 'agency',
    path: 'information-requests',
    schema: () => z.strictObject(MESSAGES.requestInformation.body),
    effect:
      'While your question is open your deadline stops, and no one else’s. The lab has 3 business days to answer; your deadline stops for at most 7 days in all.',
    fields: [
      {
        name: 'questions',
        label: 'Questions (one per line)',
        kind: 'lines',
        required: true,
        paths: ['questions'],
      },
    ],
    body: (v) => ({ questions: lines(v.questions) }),
    // At most: the toll ends when the lab answers, or at its cap.
    projection: (_v, caller, now) => ({
      kind: 'TOLL',
      // A deadline names its party as the principal: `agency:CAISI`.
      parties: [caller.principal],
      from: new Date(now).toISOString(),
      to: new Date(now + TOLL_CAP_DAYS * DAY_MS).toISOString(),
      reason: 'INFORMATION_REQUEST',
    }),
  },
  requestExtension: {
    name: 'requestExtension',
    title: 'Extend your deadline',
    subject: 'case',
    role: 'agency',
    path: 'extensions',
    schema: () => z.strictObject(MESSAGES.requestExtension.body),
    effect: 'Your deadline moves later by the days you give, once per case, within what the policy allows.',
    fields: [
      { name: 'days', label: 'Days', kind: 'number', required: true, paths: ['days'] },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] },
    ],
    body: (v) => ({ days: numberOf(one(v.days)), reason: one(v.reason) }),
    projection: (v, caller) => {
      const days = Number(one(v.days));
      return !Number.isInteger(days) || days < 1 || days > 365
        ? undefined
        : { kind: 'EXTENSION', party: caller.principal, days };
    },
  },
  nominateOperator: {
    name: 'nominateOperator',
    title: 'Nominate an operator for early access',
    subject: 'case',
    role: 'agency',
    path: 'early-access',
    schema: () => z.strictObject(MESSAGES.nominateOperator.body),
    effect:
      'The lab approves or declines the operator’s early access within 5 business days, and its silence declines. The grant then runs on its own: the operator reports its use, and access ends 30 days after the release.',
    fields: [
      {
        name: 'operatorId',
        label: 'Operator (its id, as operator:<id> without the prefix)',
        kind: 'text',
        required: true,
        paths: ['operatorId'],
      },
      { name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] },
    ],
    body: (v) => ({ operatorId: one(v.operatorId), reason: one(v.reason) }),
  },
  resolveEscalation: {
    name: 'resolveEscalation',
    title: 'Resolve the escalation',
    subject: 'case',
    role: 'chair',
    path: 'escalation/resolution',
    schema: () => z.strictObject(MESSAGES.resolveEscalation.body),
    effect: 'Your resolution is the determination: the case closes with it and the lab is told the outcome.',
    fields: [
      {
        name: 'outcome',
        label: 'Outcome',
        kind: 'select',
        required: true,
        options: OUTCOMES,
        paths: ['outcome'],
      },
      { name: 'rationale', label: 'Rationale', kind: 'textarea', required: true, paths: ['rationale'] },
      {
        name: 'commitments',
        label: 'Commitments the lab must keep (one per line)',
        kind: 'lines',
        paths: ['commitments'],
      },
    ],
    body: (v) => {
      const commitments = lines(v.commitments);
      return {
        outcome: one(v.outcome),
        rationale: one(v.rationale),
        ...(commitments.length === 0 ? {} : { commitments }),
      };
    },
  },
  designateTrustedPartner: {
    name: 'designateTrustedPartner',
    title: 'Designate a trusted partner',
    subject: 'lab',
    role: 'chair',
    path: 'designation',
    schema: () => LabStatusBody,
    effect:
      'The lab becomes a trusted partner, and is told so with your reason. The policy’s proposal is advice: you decide. A case pins the status at its acceptance, so the lab’s cases already accepted do not change.',
    fields: [REASON_TOLD],
    body: (v) => ({ reason: one(v.reason) }),
  },
  revokeTrustedPartner: {
    name: 'revokeTrustedPartner',
    title: 'Revoke the trusted partnership',
    subject: 'lab',
    role: 'chair',
    path: 'revocation',
    schema: () => LabStatusBody,
    effect:
      'The lab is a participant again, and is told so with your reason. Its cases already accepted keep the status they pinned.',
    fields: [REASON_TOLD],
    body: (v) => ({ reason: one(v.reason) }),
  },
  validateFinding: {
    name: 'validateFinding',
    title: 'Validate the finding',
    subject: 'finding',
    role: 'agency',
    path: 'validation',
    schema: () => findingMessageBody('validate'),
    effect:
      'The finding is confirmed: the lab’s remediation deadline starts now, and the lab and the filer are told.',
    fields: [NOTE],
    body: (v) => noteOf(v.note),
  },
  rejectFinding: {
    name: 'rejectFinding',
    title: 'Reject the finding',
    subject: 'finding',
    role: 'agency',
    path: 'rejection',
    schema: () => findingMessageBody('reject'),
    effect: 'The finding closes as rejected, and the lab and the filer are told with your reason.',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] }],
    body: (v) => ({ reason: one(v.reason) }),
  },
  remediateFinding: {
    name: 'remediateFinding',
    title: 'Confirm the remediation',
    subject: 'finding',
    role: 'agency',
    path: 'remediation',
    schema: () => findingMessageBody('remediated'),
    effect: 'The finding closes as remediated, and nothing more is disclosed by the disclosure rule.',
    fields: [NOTE],
    body: (v) => noteOf(v.note),
  },
  discloseFinding: {
    name: 'discloseFinding',
    title: 'Disclose the finding',
    subject: 'finding',
    role: 'agency',
    path: 'disclosure',
    schema: () => findingMessageBody('disclose'),
    effect: 'The finding closes as disclosed: its detail becomes TLP:CLEAR, readable by anyone with a key.',
    fields: [NOTE],
    body: (v) => noteOf(v.note),
  },
};

/** The acts a caller may see offered on a subject of this kind. */
export const actsFor = (caller: { role: string; id?: string }, subject: Subject = 'case'): Act[] =>
  Object.values(ACTS).filter((a) => a.subject === subject && takes(a, caller));

/** The field a refusal at an API body path concerns (its own path, or the nearest enclosing one). */
export function fieldOfPath(
  act: Pick<Act, 'fields'>,
  path: readonly (string | number)[],
): string | undefined {
  for (let n = path.length; n > 0; n -= 1) {
    const at = path.slice(0, n).join('.');
    const field = act.fields.find((f) => f.paths.includes(at));
    if (field !== undefined) return field.name;
  }
  return undefined;
}
