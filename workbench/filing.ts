import { CreateSubmissionBody } from '../shared/api/requests';
import { SupplementFields } from '../shared/domain/submission';
import { z } from 'zod';
import { numberOf, one, optional, washingtonInstant, type Field, type FormValues } from './form-values';

/**
 * A filing as a form (issue 38): the fields of `POST /v1/submissions`, checked by the API's own shape, the
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
