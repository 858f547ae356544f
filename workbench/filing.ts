import { CreateSubmissionBody } from '../shared/api/requests';
import { FileFindingBody } from '../shared/api/findings';
import { SupplementFields } from '../shared/domain/submission';
import { z } from 'zod';
import { numberOf, one, optional, washingtonInstant, type Field, type FormValues } from './form-values';

/**
 * What a lab's or an operator's people file in the portal, each as a form (issue 38). A filing: the fields of `POST /v1/submissions`, checked by the API's own shape, the
 * refusals beside their fields; and the supplement of a deficient filing, the same fields that intake may find
 * missing. One set of fields for both, so the two forms cannot drift apart.
 */

const ACCESS_KINDS = [
  { value: 'API', label: 'An API (gated endpoint)' },
  { value: 'WEIGHTS', label: 'The weights' },
  { value: 'HOSTED_ENVIRONMENT', label: 'A hosted environment' },
] as const;

const MODEL_VERSION: Field = {
  name: 'modelVersion',
  label: 'Version',
  kind: 'text',
  paths: ['model.version'],
};
const COMPUTE: Field = {
  name: 'trainingComputeFlop',
  label: 'Training compute (FLOP)',
  hint: 'A number, such as 3e26.',
  kind: 'number',
  paths: ['model.trainingComputeFlop'],
};
const ACCESS_KIND: Field = {
  name: 'accessKind',
  label: 'Access the government gets',
  kind: 'select',
  options: ACCESS_KINDS,
  paths: ['access.kind', 'access'],
};
const ACCESS_DETAILS: Field = {
  name: 'accessDetails',
  label: 'How that access works',
  kind: 'textarea',
  paths: ['access.details'],
};
const CALLBACK: Field = {
  name: 'callbackUrl',
  label: 'Status callback endpoint (https)',
  hint: 'Left empty, you follow the case here or through the API.',
  kind: 'text',
  paths: ['callbackUrl'],
};

/** The model's fields and the access as typed: what was left empty is left out. */
function filed(v: FormValues) {
  const version = optional(one(v.modelVersion));
  const compute = numberOf(one(v.trainingComputeFlop));
  const [kind, details] = [optional(one(v.accessKind)), optional(one(v.accessDetails))];
  const callbackUrl = optional(one(v.callbackUrl));
  return {
    model: {
      ...(version === undefined ? {} : { version }),
      ...(compute === undefined ? {} : { trainingComputeFlop: compute }),
    },
    ...(kind === undefined && details === undefined ? {} : { access: { kind, details } }),
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
  };
}

export const FILING = {
  name: 'submit',
  title: 'File a submission',
  subject: 'filing',
  effect:
    'Filing starts the review of your model: intake checks the filing at once (what it lacks, you supplement), NSA designates whether the model is covered, and acceptance starts the pre-release window.',
  fields: [
    { name: 'modelName', label: 'Model name', kind: 'text', required: true, paths: ['model.name', 'model'] },
    MODEL_VERSION,
    { name: 'modelDescription', label: 'Description', kind: 'textarea', paths: ['model.description'] },
    COMPUTE,
    ACCESS_KIND,
    ACCESS_DETAILS,
    CALLBACK,
    {
      name: 'plannedReleaseDate',
      label: 'Planned public release',
      hint: 'Washington time (ET): a date and a time of day.',
      kind: 'washington-time',
      required: true,
      paths: ['plannedReleaseDate'],
    },
    {
      name: 'previousSubmissionId',
      label: 'The submission this one follows',
      hint: 'Only when you refile after a withdrawal: the earlier submission’s id.',
      kind: 'text',
      paths: ['previousSubmissionId'],
    },
  ] satisfies Field[],
  schema: () => CreateSubmissionBody,
  body: (v: FormValues): Record<string, unknown> => {
    const { model, ...rest } = filed(v);
    const description = optional(one(v.modelDescription));
    const previous = optional(one(v.previousSubmissionId));
    return {
      model: { name: one(v.modelName), ...model, ...(description === undefined ? {} : { description }) },
      ...rest,
      plannedReleaseDate: washingtonInstant(one(v.plannedReleaseDate)),
      ...(previous === undefined ? {} : { previousSubmissionId: previous }),
    };
  },
};

/** The supplement's fields: those intake may find missing (IntakeGap), each under `fields` in the API's body. */
export const SUPPLEMENT_FIELDS: Field[] = [MODEL_VERSION, COMPUTE, ACCESS_KIND, ACCESS_DETAILS, CALLBACK].map(
  (f) => ({ ...f, paths: f.paths.map((p) => `fields.${p}`) }),
);

export const supplementBody = (v: FormValues): Record<string, unknown> => {
  const { model, ...rest } = filed(v);
  return { fields: { ...(Object.keys(model).length === 0 ? {} : { model }), ...rest } };
};

export const supplementSchema = () => z.strictObject({ fields: SupplementFields });

const TLP_CHOICES = [
  { value: 'RED', label: 'TLP:RED: the clearinghouse’s agencies alone' },
  { value: 'AMBER', label: 'TLP:AMBER: those who must act on it' },
  { value: 'GREEN', label: 'TLP:GREEN: the community' },
  { value: 'CLEAR', label: 'TLP:CLEAR: anyone' },
] as const;

/**
 * An operator's finding about a model it was granted early access to (issue 38): the fields of
 * `POST /v1/findings`, the case chosen among its grants (the API refuses any other, NOT_ENTITLED).
 */
export const FINDING_FILING = {
  name: 'fileFinding',
  title: 'File a finding',
  subject: 'filing',
  effect:
    'The clearinghouse validates or rejects your finding; validated, the lab remediates it by a deadline, and the finding is disclosed by the rule unless remediated. The title and description are sealed; who reads them is set by the TLP you choose.',
  fields: [
    {
      name: 'caseId',
      label: 'The model (one you were granted)',
      kind: 'select',
      required: true,
      paths: ['caseId'],
    },
    { name: 'title', label: 'Title', kind: 'text', required: true, paths: ['title'] },
    {
      name: 'description',
      label: 'What you found',
      kind: 'textarea',
      required: true,
      paths: ['description'],
    },
    {
      name: 'cvssVector',
      label: 'Severity (a CVSS base vector)',
      hint: 'Such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.',
      kind: 'text',
      required: true,
      paths: ['cvssVector'],
    },
    {
      name: 'tlp',
      label: 'Who may read it',
      kind: 'select',
      required: true,
      options: TLP_CHOICES,
      paths: ['tlp'],
    },
  ] satisfies Field[],
  schema: () => FileFindingBody,
  body: (v: FormValues): Record<string, unknown> => ({
    caseId: one(v.caseId),
    title: one(v.title),
    description: one(v.description),
    cvssVector: one(v.cvssVector),
    tlp: one(v.tlp),
  }),
};
