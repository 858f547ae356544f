import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import { project } from '../../shared/domain/deadlines';
import { rejection } from '../../shared/domain/errors';
import * as M from '../../shared/domain/messages';
import { agencyOf } from '../../shared/domain/principal';
import { tollCapMs } from '../../shared/domain/review/clock';
import { resolveEscalation } from '../../shared/domain/review/determination';
import { requestExtension, respondToOffer } from '../../shared/domain/review/extensions';
import { resumeAfterLapse, tollForLapse } from '../../shared/domain/review/funding';
import { answerInformation, requestInformation } from '../../shared/domain/review/information';
import { applySupplement } from '../../shared/domain/review/intake';
import { amendReleaseDate, reportRelease, withdraw } from '../../shared/domain/review/lab-actions';
import { openStage, recordDecision, slotOf } from '../../shared/domain/review/stages';
import type { AgencySlot, CaseState } from '../../shared/domain/review/state';
import { toStatus } from '../../shared/domain/review/status';
import { validate } from '../../shared/domain/review/validators';
import { changeCallbackEndpoint, redeliverCallbacks } from '../../shared/domain/review/callbacks';
import type { Courier } from './courier';

/** Parses a payload with its shared schema; a bad payload is rejected before anything is written. */
function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
  throw rejection('VALIDATION_FAILED', issues.join('; '));
}

/**
 * Registers one update: the validator parses the payload and checks the case's state (a rejection leaves no
 * trace in history); the handler applies it and wakes the main loop.
 */
function onUpdate<T>(
  c: CaseState,
  def: UpdateDefinition<M.Receipt, [T]>,
  schema: z.ZodType<T>,
  check: (c: CaseState, now: Date, msg: T) => void,
  apply: (msg: T, now: Date) => M.Receipt,
): void {
  setHandler(
    def,
    (raw: T) => {
      const receipt = apply(parse(schema, raw), new Date());
      c.version += 1;
      return receipt;
    },
    { validator: (raw: T) => check(c, new Date(), parse(schema, raw)) },
  );
}

/** The acting agency's slot in the open stage; the validator has already established it exists. */
const slotFor = (c: CaseState, actor: string): AgencySlot => slotOf(c, openStage(c)!, agencyOf(actor)!)!;

/** Every message the review accepts, in one table: who sends it, how it is checked, what it does. */
export function handleMessages(c: CaseState, courier: Courier): void {
  // Lab
  onUpdate(c, M.supplementUpdate, M.Supplement, validate.supplement, (m, now) =>
    applySupplement(c, m.fields, now),
  );
  onUpdate(
    c,
    M.answerInformationRequestUpdate,
    M.AnswerInformationRequest,
    validate.answerInformationRequest,
    (m, now) => answerInformation(c, m, now),
  );
  onUpdate(c, M.amendReleaseDateUpdate, M.AmendReleaseDate, validate.amendReleaseDate, (m, now) =>
    amendReleaseDate(c, m, now),
  );
  onUpdate(
    c,
    M.respondToExtensionOfferUpdate,
    M.RespondToExtensionOffer,
    validate.respondToExtensionOffer,
    (m, now) => respondToOffer(c, m.offerId, m.accept, m.actor, now),
  );
  onUpdate(c, M.withdrawUpdate, M.Withdraw, validate.withdraw, (m, now) => withdraw(c, m, now));
  onUpdate(c, M.reportReleaseUpdate, M.ReportRelease, validate.reportRelease, (m, now) =>
    reportRelease(c, m, now),
  );
  onUpdate(
    c,
    M.changeCallbackEndpointUpdate,
    M.ChangeCallbackEndpoint,
    validate.changeCallbackEndpoint,
    (m, now) => {
      const receipt = changeCallbackEndpoint(c, m, now);
      courier.redirect();
      return receipt;
    },
  );
  // Agencies
  onUpdate(c, M.recordDecisionUpdate, M.RecordDecision, validate.recordDecision, (m, now) =>
    recordDecision(c, slotFor(c, m.actor), m.decision, m.actor, now),
  );
  onUpdate(c, M.requestInformationUpdate, M.RequestInformation, validate.requestInformation, (m, now) => {
    const slot = slotFor(c, m.actor);
    return requestInformation(c, slot.stage, slot.agency, m.questions, now);
  });
  onUpdate(c, M.requestExtensionUpdate, M.RequestExtension, validate.requestExtension, (m, now) =>
    requestExtension(c, slotFor(c, m.actor), m.days, m.reason, m.actor, now),
  );
  // Chair
  onUpdate(c, M.resolveEscalationUpdate, M.ResolveEscalation, validate.resolveEscalation, (m, now) =>
    resolveEscalation(c, m, now),
  );
  // Operations
  onUpdate(c, M.tollClocksUpdate, M.TollClocks, validate.tollClocks, (m, now) => tollForLapse(c, m, now));
  onUpdate(c, M.redeliverCallbacksUpdate, M.RedeliverCallbacks, validate.redeliverCallbacks, (m, now) =>
    redeliverCallbacks(c, m, now),
  );
  onUpdate(c, M.resumeClocksUpdate, M.ResumeClocks, validate.resumeClocks, (m, now) =>
    resumeAfterLapse(c, m, now),
  );

  setHandler(M.statusQuery, () => toStatus(c, new Date()));
  setHandler(M.projectDeadlinesQuery, (raw) => {
    const { change } = parse(M.ProjectDeadlines, raw);
    return project(Object.values(c.deadlines), change, new Date(), tollCapMs(c.policy));
  });
}
