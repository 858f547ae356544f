import { z } from 'zod';
import { MESSAGES } from '../shared/domain/review/messages';
import { commitmentMessageBody } from '../shared/api/commitments';
import { grantMessageBody } from '../shared/api/grants';
import { findingMessageBody } from '../shared/api/findings';
import { washington } from './format';
import { noteOf, one, optional, washingtonInstant, type Act, type AnyCase } from './form-values';
import { SUPPLEMENT_FIELDS, supplementBody, supplementSchema } from './filing';

/**
 * The acts a lab's people take on their own cases (issue 38), each a form like the government's: answer a
 * question, move the release date (the page shows what moves first), answer a window-extension offer, withdraw,
 * report the release, and change where the status callbacks go. The API is the judge of each, as for the
 * government's acts: a refusal comes back beside the field it concerns.
 */

const openRequests = (c: AnyCase) =>
  c.informationRequests
    .filter((r) => r.status === 'OPEN')
    .map((r) => ({
      value: r.id,
      label: `${r.agency}, asked ${washington(r.askedAt)}, answer by ${washington(r.dueAt)}`,
    }));

const openOffers = (c: AnyCase) =>
  c.extensionOffers
    .filter((o) => o.response === undefined)
    .map((o) => ({
      value: o.id,
      label: `offered ${washington(o.offeredAt)}: the window would end ${washington(o.proposedWindowEnd)}`,
    }));

/** A note to the operator, optional. */
const NOTE_TO_OPERATOR = {
  name: 'note',
  label: 'Note to the operator',
  kind: 'textarea',
  paths: ['note'],
} as const;

const WHEN_HINT = 'Washington time (ET): a date and a time of day.';

export const LAB_ACTS = {
  supplement: {
    name: 'supplement',
    title: 'Supplement the filing',
    subject: 'case',
    role: 'lab',
    path: 'supplement',
    schema: supplementSchema,
    effect:
      'Intake checks the filing again with what you add: complete, it goes on to the designation; still lacking, the case says what remains.',
    fields: SUPPLEMENT_FIELDS,
    body: supplementBody,
  },
  answerInformationRequest: {
    name: 'answerInformationRequest',
    title: 'Answer a question',
    subject: 'case',
    role: 'lab',
    path: 'information-requests/{requestId}/answer',
    schema: () => z.strictObject(MESSAGES.answerInformationRequest.body),
    effect:
      'Your answer closes the question, and the asking agency’s deadline, stopped while it was open, runs again from now.',
    fields: [
      {
        name: 'requestId',
        label: 'Question',
        kind: 'select',
        required: true,
        choices: openRequests,
        paths: ['requestId'],
      },
      { name: 'answer', label: 'Your answer', kind: 'textarea', required: true, paths: ['answer'] },
    ],
    body: (v) => ({ requestId: one(v.requestId), answer: one(v.answer) }),
  },
  amendReleaseDate: {
    name: 'amendReleaseDate',
    title: 'Move the release date',
    subject: 'case',
    role: 'lab',
    path: 'release-date',
    schema: () => z.strictObject(MESSAGES.amendReleaseDate.body),
    effect:
      'An earlier release shortens the pre-release window: the government’s open deadlines are compressed to fit it, and the case is flagged short notice. The policy may set a minimum notice.',
    fields: [
      {
        name: 'plannedReleaseDate',
        label: 'New planned release',
        hint: WHEN_HINT,
        kind: 'washington-time',
        required: true,
        paths: ['plannedReleaseDate'],
      },
    ],
    body: (v) => ({ plannedReleaseDate: washingtonInstant(one(v.plannedReleaseDate)) }),
    // The window's end moves to an earlier release, and the government's open deadlines with it, by the case's own
    // rules; a later release moves the window's end no further than the case does (nothing is projected).
    projection: (v, _caller, _now, c) => {
      const release = Date.parse(washingtonInstant(one(v.plannedReleaseDate)));
      const end = c?.windowEnd;
      if (end === undefined || !Number.isFinite(release) || release >= Date.parse(end)) return undefined;
      return { kind: 'RELEASE_DATE', oldEnd: end, newEnd: new Date(release).toISOString() };
    },
  },
  respondToExtensionOffer: {
    name: 'respondToExtensionOffer',
    title: 'Answer the window-extension offer',
    subject: 'case',
    role: 'lab',
    path: 'extension-offers/{offerId}/response',
    schema: () => z.strictObject(MESSAGES.respondToExtensionOffer.body),
    effect:
      'Accepting moves the pre-release window’s end to the date offered, and your release with it; declining keeps both where they are.',
    fields: [
      {
        name: 'offerId',
        label: 'Offer',
        kind: 'select',
        required: true,
        choices: openOffers,
        paths: ['offerId'],
      },
      {
        name: 'accept',
        label: 'Your answer',
        kind: 'select',
        required: true,
        options: [
          { value: 'true', label: 'Accept: the window ends on the date offered' },
          { value: 'false', label: 'Decline' },
        ],
        paths: ['accept'],
      },
    ],
    body: (v) => ({
      offerId: one(v.offerId),
      accept: one(v.accept) === 'true' ? true : one(v.accept) === 'false' ? false : one(v.accept),
    }),
  },
  withdraw: {
    name: 'withdraw',
    title: 'Withdraw the submission',
    subject: 'case',
    role: 'lab',
    path: 'withdrawal',
    schema: () => z.strictObject(MESSAGES.withdraw.body),
    effect:
      'The review ends now and cannot be resumed: every open deadline and question closes, no determination is issued, and the record of the case is kept. To have the model reviewed again you file a new submission naming this one: a new case, linked to this, with a fresh window.',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', paths: ['reason'] }],
    body: (v) => {
      const reason = optional(one(v.reason));
      return reason === undefined ? {} : { reason };
    },
  },
  reportRelease: {
    name: 'reportRelease',
    title: 'Report the release',
    subject: 'case',
    role: 'lab',
    path: 'release',
    schema: () => z.strictObject(MESSAGES.reportRelease.body),
    effect:
      'The case records that the model is public, and closes. A release before the window’s end is an early release: a review not yet finished ends with what was recorded, and an early release counts against trusted-partner status.',
    fields: [
      {
        name: 'releasedAt',
        label: 'Released at',
        hint: `${WHEN_HINT} Left empty, now.`,
        kind: 'washington-time',
        paths: ['releasedAt'],
      },
    ],
    body: (v) => {
      const at = optional(one(v.releasedAt));
      return at === undefined ? {} : { releasedAt: washingtonInstant(at) };
    },
  },
  changeCallbackEndpoint: {
    name: 'changeCallbackEndpoint',
    title: 'Change the callback endpoint',
    subject: 'case',
    role: 'lab',
    path: 'callback-endpoint',
    schema: () => z.strictObject(MESSAGES.changeCallbackEndpoint.body),
    effect:
      'Status callbacks for this case go to the new address from now on, the pending ones and one that is failing among them.',
    fields: [
      {
        name: 'callbackUrl',
        label: 'New endpoint (https)',
        kind: 'text',
        required: true,
        paths: ['callbackUrl'],
      },
    ],
    body: (v) => ({ callbackUrl: one(v.callbackUrl) }),
  },
  redeliverCallbacks: {
    name: 'redeliverCallbacks',
    title: 'Redeliver callbacks',
    subject: 'case',
    role: 'lab',
    path: 'callbacks/redeliver',
    schema: () => z.strictObject(MESSAGES.redeliverCallbacks.body),
    effect:
      'The case sends again what you choose: one event already attempted, or, with none chosen, everything waiting from the failing one on. Receivers tell a repeat by its event id.',
    fields: [
      {
        name: 'eventId',
        label: 'Event',
        hint: 'Left unchosen: everything waiting from the failing event on.',
        kind: 'select',
        choices: (c) =>
          c.callbacks.deliveries.map((d) => ({
            value: d.eventId,
            label: `${d.eventId}: ${d.status === 'DELIVERED' ? 'delivered' : 'failed'} ${washington(d.at)}`,
          })),
        paths: ['eventId'],
      },
    ],
    body: (v) => {
      const eventId = optional(one(v.eventId));
      return eventId === undefined ? {} : { eventId };
    },
  },
  extendRemediation: {
    name: 'extendRemediation',
    title: 'Ask for more time to remediate',
    subject: 'finding',
    role: 'lab',
    path: 'extension',
    schema: () => findingMessageBody('extend'),
    effect:
      'The remediation deadline moves later by the policy’s one extension, and the clearinghouse is told your reason. A finding is extended once, and not after its deadline passed.',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] }],
    body: (v) => ({ reason: one(v.reason) }),
  },
  attestCommitment: {
    name: 'attestCommitment',
    title: 'Attest that it is kept',
    subject: 'commitment',
    role: 'lab',
    path: 'attestation',
    schema: () => commitmentMessageBody('attest'),
    effect:
      'Your statement goes to the agency that asked for the commitment, which confirms or disputes it. Attested after its due date, it is recorded as late.',
    fields: [
      {
        name: 'statement',
        label: 'Your statement (how the commitment is kept)',
        kind: 'textarea',
        required: true,
        paths: ['statement'],
      },
    ],
    body: (v) => ({ statement: one(v.statement) }),
  },
  approveGrant: {
    name: 'approveGrant',
    title: 'Approve early access',
    subject: 'grant',
    role: 'lab',
    path: 'approval',
    schema: () => grantMessageBody('approve'),
    effect:
      'The operator gets early access to the model until 30 days after its release, reports each use, and either of you may revoke it.',
    fields: [NOTE_TO_OPERATOR],
    body: (v) => noteOf(v.note),
  },
  declineGrant: {
    name: 'declineGrant',
    title: 'Decline early access',
    subject: 'grant',
    role: 'lab',
    path: 'declination',
    schema: () => grantMessageBody('decline'),
    effect:
      'The operator gets no early access: participation is voluntary, and the nominating agency is told.',
    fields: [NOTE_TO_OPERATOR],
    body: (v) => noteOf(v.note),
  },
  revokeGrant: {
    name: 'revokeGrant',
    title: 'Revoke early access',
    subject: 'grant',
    role: ['lab', 'operator'],
    path: 'revocation',
    schema: () => grantMessageBody('revoke'),
    effect: 'Access ends now, and the other side and the nominating agency are told with your reason.',
    fields: [{ name: 'reason', label: 'Reason', kind: 'textarea', required: true, paths: ['reason'] }],
    body: (v) => ({ reason: one(v.reason) }),
  },
  reportGrantUse: {
    name: 'reportGrantUse',
    title: 'Report a use',
    subject: 'grant',
    role: 'operator',
    path: 'uses',
    schema: () => grantMessageBody('reportUse'),
    effect: 'The use is recorded on the grant, and the lab and the nominating agency can read it.',
    fields: [
      {
        name: 'note',
        label: 'What you used the access for',
        kind: 'textarea',
        required: true,
        paths: ['note'],
      },
    ],
    body: (v) => ({ note: one(v.note) }),
  },
} satisfies Readonly<Record<string, Act>>;
