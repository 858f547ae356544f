import { z } from 'zod';
import { addDays } from '../../calendar';
import { Id, SupplementFields } from '../../submission';
import * as callbacks from '../callbacks';
import { openOffer, respondToOffer } from '../extensions';
import { answerInformation, openRequest } from '../information';
import { applySupplement, changesFiling } from '../intake';
import * as actions from '../lab-actions';
import { withinBudget } from './budgets';
import { defineMessage } from './define';

const lab = ['lab'] as const;

export const supplement = defineMessage({
  name: 'supplement',
  summary: 'Supplement a deficient filing',
  senders: lab,
  body: () => ({ fields: SupplementFields }),
  rejects: ['NOT_DEFICIENT', 'NO_CHANGE', 'MESSAGE_BUDGET_EXHAUSTED'],
  check: ({ c, msg, reject }) => {
    if (c.stage !== 'DEFICIENT') reject('NOT_DEFICIENT', `the case is in ${c.stage}`);
    if (!changesFiling(c, msg.fields)) reject('NO_CHANGE', 'the filing already holds every field supplied');
    withinBudget(c, msg.actor, 'supplements', reject);
  },
  apply: ({ c, now, msg }) => applySupplement(c, msg.fields, now),
});

export const answerInformationRequest = defineMessage({
  name: 'answerInformationRequest',
  summary: "Answer an agency's information request",
  senders: lab,
  body: () => ({ requestId: Id, answer: z.string().min(1).max(20000) }),
  rejects: ['INFORMATION_REQUEST_NOT_OPEN'],
  target: ({ c, msg, reject }) =>
    openRequest(c, msg.requestId) ??
    reject('INFORMATION_REQUEST_NOT_OPEN', `no open information request ${msg.requestId}`),
  apply: ({ c, now, msg, target }) => answerInformation(c, target, msg.answer, msg.actor, now),
});

export const amendReleaseDate = defineMessage({
  name: 'amendReleaseDate',
  summary: 'Amend the planned release date',
  description:
    "A date before the window's end flags SHORT_NOTICE and compresses the open government deadlines.",
  senders: lab,
  body: () => ({ plannedReleaseDate: z.iso.datetime() }),
  rejects: ['RELEASE_DATE_INVALID', 'NO_CHANGE', 'MESSAGE_BUDGET_EXHAUSTED'],
  check: ({ c, now, msg, reject }) => {
    const release = new Date(msg.plannedReleaseDate);
    if (release.getTime() === Date.parse(c.submission.plannedReleaseDate)) {
      reject('NO_CHANGE', `the release is already planned for ${c.submission.plannedReleaseDate}`);
    }
    if (release <= now) reject('RELEASE_DATE_INVALID', 'the planned release date must be in the future');
    const minimum = c.policy?.minimumNoticeDays ?? null;
    if (minimum !== null && release < addDays(now, minimum, 'CALENDAR_DAYS')) {
      reject('RELEASE_DATE_INVALID', `the policy requires at least ${minimum} days' notice`);
    }
    withinBudget(c, msg.actor, 'amendments', reject);
  },
  apply: ({ c, now, msg }) => actions.amendReleaseDate(c, msg.plannedReleaseDate, msg.actor, now),
});

export const respondToExtensionOffer = defineMessage({
  name: 'respondToExtensionOffer',
  summary: 'Consent to or decline a window extension',
  senders: lab,
  body: () => ({ offerId: Id, accept: z.boolean() }),
  rejects: ['NO_EXTENSION_OFFER'],
  target: ({ c, msg, reject }) =>
    openOffer(c, msg.offerId) ??
    reject('NO_EXTENSION_OFFER', `no open window-extension offer ${msg.offerId}`),
  apply: ({ c, now, msg, target }) => respondToOffer(c, target, msg.accept, msg.actor, now),
});

export const withdraw = defineMessage({
  name: 'withdraw',
  summary: 'Withdraw the submission (the record is kept)',
  senders: lab,
  body: () => ({ reason: z.string().max(2000).optional() }),
  rejects: [],
  apply: ({ c, now, msg }) => actions.withdraw(c, msg.reason, msg.actor, now),
});

export const reportRelease = defineMessage({
  name: 'reportRelease',
  summary: 'Report the public release',
  senders: lab,
  body: () => ({ releasedAt: z.iso.datetime().optional() }),
  rejects: ['RELEASE_DATE_INVALID'],
  check: ({ now, msg, reject }) => {
    if (msg.releasedAt !== undefined && Date.parse(msg.releasedAt) > now.getTime()) {
      reject('RELEASE_DATE_INVALID', 'a release is reported once it has happened, not before');
    }
  },
  apply: ({ c, now, msg }) => actions.reportRelease(c, msg.releasedAt, msg.actor, now),
});

export const changeCallbackEndpoint = defineMessage({
  name: 'changeCallbackEndpoint',
  summary: 'Change the status-callback endpoint',
  description:
    'Pending callbacks, and one that is failing, go to the new endpoint. Allowed after the case closed ' +
    'while callbacks are still undelivered.',
  senders: lab,
  body: () => ({ callbackUrl: z.url().max(2000) }),
  rejects: ['NO_CHANGE', 'MESSAGE_BUDGET_EXHAUSTED'],
  whileClosed: true,
  check: ({ c, msg, reject }) => {
    if (msg.callbackUrl === c.submission.callbackUrl) reject('NO_CHANGE', 'that is already the endpoint');
    withinBudget(c, msg.actor, 'endpointChanges', reject);
  },
  apply: ({ c, now, msg }) => callbacks.changeCallbackEndpoint(c, msg.callbackUrl, msg.actor, now),
});
