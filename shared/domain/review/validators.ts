import { addDays } from '../calendar';
import { rejection } from '../errors';
import type * as M from '../messages';
import { agencyOf } from '../principal';
import { REVIEW_STAGES } from '../policy';
import { isDue, key } from './clock';
import { openStage, slotOf } from './stages';
import type { AgencySlot, CaseState } from './state';

/**
 * The state checks behind every update's validator, after its payload has been parsed. Each throws a
 * rejection with a stable code; nothing here changes the case. Order: is the case open, is this principal
 * entitled to this case, is this the moment for it.
 */
const open = (c: CaseState) => {
  if (c.stage === 'CLOSED') throw rejection('CASE_CLOSED', `the case closed (${c.closedReason})`);
};

const theLab = (c: CaseState, actor: string) => {
  if (actor !== `lab:${c.submission.labId}`)
    throw rejection('NOT_ENTITLED', 'only the submitting lab may do this');
  open(c);
};

const accepted = (c: CaseState) => {
  if (c.acceptedAt === undefined) throw rejection('NOT_ACCEPTED');
};

/** The acting agency's slot in the stage open now, or the precise reason it has none. */
function agencySlot(c: CaseState, actor: string, now: Date): AgencySlot {
  const agency = agencyOf(actor);
  if (agency === undefined) throw rejection('NOT_ENTITLED', 'only a reviewing agency may do this');
  open(c);
  accepted(c);
  const onRoster = REVIEW_STAGES.filter((s) => slotOf(c, s, agency) !== undefined);
  if (onRoster.length === 0)
    throw rejection('NOT_ENTITLED', `${agency} is not on this case's review rosters`);
  const stage = openStage(c);
  const slot = stage === undefined ? undefined : slotOf(c, stage, agency);
  if (slot === undefined) {
    throw rejection('WRONG_STAGE', `${agency} reviews in ${onRoster.join(', ')}; the case is in ${c.stage}`);
  }
  if (slot.decision?.kind === 'NO_RESPONSE')
    throw rejection('DEADLINE_PASSED', `${agency}'s deadline passed without a response`);
  if (slot.decision !== undefined)
    throw rejection(
      'ALREADY_DECIDED',
      `${agency} recorded ${slot.decision.kind} at ${slot.decision.recordedAt}`,
    );
  if (isDue(c, key.agency(slot.stage, agency), now)) throw rejection('DEADLINE_PASSED');
  return slot;
}

export const validate = {
  supplement: (c: CaseState, _now: Date, msg: M.Supplement) => {
    theLab(c, msg.actor);
    if (c.stage !== 'DEFICIENT') throw rejection('NOT_DEFICIENT', `the case is in ${c.stage}`);
  },
  answerInformationRequest: (c: CaseState, _now: Date, msg: M.AnswerInformationRequest) => {
    theLab(c, msg.actor);
    const r = c.informationRequests.find((x) => x.id === msg.requestId);
    if (r?.status !== 'OPEN')
      throw rejection('INFORMATION_REQUEST_NOT_OPEN', `no open information request ${msg.requestId}`);
  },
  amendReleaseDate: (c: CaseState, now: Date, msg: M.AmendReleaseDate) => {
    theLab(c, msg.actor);
    const release = new Date(msg.plannedReleaseDate);
    if (release <= now)
      throw rejection('RELEASE_DATE_INVALID', 'the planned release date must be in the future');
    const minimum = c.policy?.minimumNoticeDays ?? null;
    if (minimum !== null && release < addDays(now, minimum, 'CALENDAR_DAYS')) {
      throw rejection('RELEASE_DATE_INVALID', `the policy requires at least ${minimum} days' notice`);
    }
  },
  respondToExtensionOffer: (c: CaseState, _now: Date, msg: M.RespondToExtensionOffer) => {
    theLab(c, msg.actor);
    const offer = c.extensionOffers.find((o) => o.id === msg.offerId);
    if (offer === undefined || offer.response !== undefined) {
      throw rejection('NO_EXTENSION_OFFER', `no open window-extension offer ${msg.offerId}`);
    }
  },
  withdraw: (c: CaseState, _now: Date, msg: M.Withdraw) => {
    theLab(c, msg.actor);
  },
  reportRelease: (c: CaseState, now: Date, msg: M.ReportRelease) => {
    theLab(c, msg.actor);
    if (msg.releasedAt !== undefined && Date.parse(msg.releasedAt) > now.getTime()) {
      throw rejection('RELEASE_DATE_INVALID', 'a release is reported once it has happened, not before');
    }
  },
  /** Allowed after closing too, while undelivered callbacks keep the workflow open. */
  changeCallbackEndpoint: (c: CaseState, _now: Date, msg: M.ChangeCallbackEndpoint) => {
    if (msg.actor !== `lab:${c.submission.labId}`)
      throw rejection('NOT_ENTITLED', 'only the submitting lab may do this');
    if (msg.callbackUrl === c.submission.callbackUrl)
      throw rejection('VALIDATION_FAILED', 'that is already the endpoint');
  },
  recordDecision: (c: CaseState, now: Date, msg: M.RecordDecision) => {
    agencySlot(c, msg.actor, now);
  },
  requestInformation: (c: CaseState, now: Date, msg: M.RequestInformation) => {
    const slot = agencySlot(c, msg.actor, now);
    if (
      c.informationRequests.some(
        (r) => r.agency === slot.agency && r.stage === slot.stage && r.status === 'OPEN',
      )
    ) {
      throw rejection('INFORMATION_REQUEST_OPEN');
    }
  },
  requestExtension: (c: CaseState, now: Date, msg: M.RequestExtension) => {
    const slot = agencySlot(c, msg.actor, now);
    const limits = c.policy!.extension;
    if (slot.extensionsUsed >= limits.maxPerAgency) {
      throw rejection(
        'EXTENSION_ALREADY_USED',
        `${slot.agency} may extend its deadline ${limits.maxPerAgency} time(s) per case`,
      );
    }
    if (msg.days > limits.maxDays) throw rejection('EXTENSION_TOO_LONG', `at most ${limits.maxDays} days`);
  },
  resolveEscalation: (c: CaseState, _now: Date, msg: M.ResolveEscalation) => {
    if (msg.actor !== 'chair') throw rejection('NOT_ENTITLED', 'only the review chair resolves escalations');
    open(c);
    if (
      c.escalation === undefined ||
      c.escalation.resolvedAt !== undefined ||
      c.determination !== undefined
    ) {
      throw rejection('NOT_ESCALATED');
    }
  },
  tollClocks: (c: CaseState, _now: Date, msg: M.TollClocks) => {
    if (msg.actor !== 'ops') throw rejection('NOT_ENTITLED', 'only operations staff toll the clocks');
    open(c);
    accepted(c);
    if (c.fundingLapses.some((l) => l.to === undefined || l.id === msg.lapseId))
      throw rejection('FUNDING_LAPSE_ACTIVE');
  },
  redeliverCallbacks: (c: CaseState, _now: Date, msg: M.RedeliverCallbacks) => {
    if (msg.actor !== 'ops') throw rejection('NOT_ENTITLED', 'only operations staff redeliver callbacks');
    const blocked = c.callbacks.blockedOn;
    if (msg.eventId === undefined && blocked === undefined)
      throw rejection('NOTHING_TO_REDELIVER', 'no callback is failing');
    if (msg.eventId !== undefined) {
      const index = c.labEvents.findIndex((e) => e.id === msg.eventId);
      if (index < 0) throw rejection('CALLBACK_EVENT_NOT_FOUND', `no event ${msg.eventId}`);
      if (msg.eventId !== blocked && index >= c.callbacks.cursor) {
        throw rejection('NOTHING_TO_REDELIVER', `${msg.eventId} has not been attempted yet`);
      }
    }
  },
  resumeClocks: (c: CaseState, _now: Date, msg: M.ResumeClocks) => {
    if (msg.actor !== 'ops') throw rejection('NOT_ENTITLED', 'only operations staff resume the clocks');
    open(c);
    if (!c.fundingLapses.some((l) => l.id === msg.lapseId && l.to === undefined))
      throw rejection('FUNDING_LAPSE_NOT_ACTIVE');
  },
};
