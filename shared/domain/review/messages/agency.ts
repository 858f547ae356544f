import { z } from 'zod';
import { DecisionInput, SealedRestrictedNote } from '../../decisions';
import { REVIEW_STAGES } from '../../policy-names';
import { agencyOf } from '../../principal';
import { isDue, key } from '../clock';
import * as designation from '../designation';
import * as extensions from '../extensions';
import * as grants from '../grants';
import { OperatorId } from '../../grants/grant';
import * as information from '../information';
import * as stages from '../stages';
import type { AgencySlot, CaseState } from '../state';
import { withinBudget } from './budgets';
import { defineMessage, type Reject } from './define';

const agency = ['agency'] as const;

/** Why an agency's action in a stage may be refused. */
const SLOT_REJECTIONS = ['NOT_ACCEPTED', 'WRONG_STAGE', 'ALREADY_DECIDED', 'DEADLINE_PASSED'] as const;
type SlotRejection = (typeof SLOT_REJECTIONS)[number] | 'NOT_ENTITLED';

/** The acting agency's slot in the stage open now, or the precise reason it has none. */
function slotInOpenStage(c: CaseState, actor: string, reject: Reject<SlotRejection>): AgencySlot {
  const id = agencyOf(actor) ?? reject('NOT_ENTITLED', 'only a reviewing agency may do this');
  if (c.acceptedAt === undefined) reject('NOT_ACCEPTED');
  const onRoster = REVIEW_STAGES.filter((s) => stages.slotOf(c, s, id) !== undefined);
  if (onRoster.length === 0) reject('NOT_ENTITLED', `${id} is not on this case's review rosters`);
  const stage = stages.openStage(c);
  const slot = stage === undefined ? undefined : stages.slotOf(c, stage, id);
  return slot ?? reject('WRONG_STAGE', `${id} reviews in ${onRoster.join(', ')}; the case is in ${c.stage}`);
}

/** The slot still owes a decision, and its deadline has not passed. */
function undecided(c: CaseState, now: Date, slot: AgencySlot, reject: Reject<SlotRejection>): void {
  if (slot.decision?.kind === 'NO_RESPONSE') {
    reject('DEADLINE_PASSED', `${slot.agency}'s deadline passed without a response`);
  }
  if (slot.decision !== undefined) {
    reject('ALREADY_DECIDED', `${slot.agency} recorded ${slot.decision.kind} at ${slot.decision.recordedAt}`);
  }
  if (isDue(c, key.agency(slot.stage, slot.agency), now)) reject('DEADLINE_PASSED');
}

export const recordDecision = defineMessage({
  name: 'recordDecision',
  summary: "Record this agency's decision in the open stage",
  description:
    'The first decision stands: a second one is 409 ALREADY_DECIDED. The restricted note is read only by ' +
    "the agencies on this stage's roster and the chair.",
  senders: agency,
  body: () => ({ decision: DecisionInput }),
  rejects: SLOT_REJECTIONS,
  target: ({ c, msg, reject }) => slotInOpenStage(c, msg.actor, reject),
  check: ({ c, now, target, reject }) => undecided(c, now, target, reject),
  apply: ({ c, now, msg, target }) => stages.recordDecision(c, target, msg.decision, msg.actor, now),
});

export const requestInformation = defineMessage({
  name: 'requestInformation',
  summary: "Ask the lab for information (tolls only this agency's deadline)",
  senders: agency,
  body: () => ({ questions: z.array(z.string().min(1).max(4000)).min(1).max(50) }),
  rejects: [...SLOT_REJECTIONS, 'INFORMATION_REQUEST_OPEN', 'MESSAGE_BUDGET_EXHAUSTED'],
  target: ({ c, msg, reject }) => slotInOpenStage(c, msg.actor, reject),
  check: ({ c, now, msg, target, reject }) => {
    undecided(c, now, target, reject);
    if (information.openRequestOf(c, target.stage, target.agency) !== undefined)
      reject('INFORMATION_REQUEST_OPEN');
    withinBudget(c, msg.actor, 'informationRequests', reject);
  },
  apply: ({ c, now, msg, target }) =>
    information.requestInformation(c, target.stage, target.agency, msg.questions, now),
});

export const requestExtension = defineMessage({
  name: 'requestExtension',
  summary: "Extend this agency's deadline (once, within the policy's limit)",
  senders: agency,
  body: () => ({ days: z.int().positive().max(365), reason: z.string().min(1).max(2000) }),
  rejects: [...SLOT_REJECTIONS, 'EXTENSION_ALREADY_USED', 'EXTENSION_TOO_LONG'],
  target: ({ c, msg, reject }) => slotInOpenStage(c, msg.actor, reject),
  check: ({ c, now, msg, target, reject }) => {
    undecided(c, now, target, reject);
    const limits = c.policy?.extension ?? reject('NOT_ACCEPTED');
    if (target.extensionsUsed >= limits.maxPerAgency) {
      reject(
        'EXTENSION_ALREADY_USED',
        `${target.agency} may extend its deadline ${limits.maxPerAgency} time(s) per case`,
      );
    }
    if (msg.days > limits.maxDays) reject('EXTENSION_TOO_LONG', `at most ${limits.maxDays} days`);
  },
  apply: ({ c, now, msg, target }) =>
    extensions.requestExtension(c, target, msg.days, msg.reason, msg.actor, now),
});

export const designateCoverage = defineMessage({
  name: 'designateCoverage',
  summary: "Designate whether the model is covered (the policy's designating agency, NSA)",
  description:
    "Intake's screen only proposes; the designating agency decides either way within its period (the presets: 5 " +
    "business days), and silence keeps the proposal. Acceptance, day 0, follows. The benchmark's score is a restricted " +
    'field: the lab never sees it.',
  senders: agency,
  body: () => ({
    covered: z.boolean(),
    reason: z.string().min(1).max(4000),
    /** The benchmark's result, sealed by the gateway. */
    benchmarkScore: SealedRestrictedNote.optional(),
  }),
  rejects: ['WRONG_STAGE', 'ALREADY_DECIDED', 'DEADLINE_PASSED'],
  target: ({ c, msg, reject }) => {
    const id = agencyOf(msg.actor) ?? reject('NOT_ENTITLED', 'only the designating agency may do this');
    const d =
      c.designation ?? reject('WRONG_STAGE', `the case is in ${c.stage}, not waiting for a designation`);
    if (d.agency !== id) reject('NOT_ENTITLED', `${d.agency} designates this case's model`);
    return d;
  },
  check: ({ c, now, target, reject }) => {
    if (target.decision !== undefined) {
      const way = target.decision.source === 'AGENCY' ? 'designated' : 'the proposal stood';
      reject(
        target.decision.source === 'AGENCY' ? 'ALREADY_DECIDED' : 'DEADLINE_PASSED',
        `${way} at ${target.decision.at}`,
      );
    }
    if (isDue(c, key.designation, now)) reject('DEADLINE_PASSED');
  },
  apply: ({ c, now, msg, target }) =>
    designation.designateCoverage(
      c,
      target,
      { covered: msg.covered, reason: msg.reason, benchmarkScore: msg.benchmarkScore },
      msg.actor,
      now,
    ),
});

export const nominateOperator = defineMessage({
  name: 'nominateOperator',
  summary: 'Nominate a critical-infrastructure operator for early access to the model (CISA, in PRE_RELEASE)',
  description:
    "Rules 6 (issue 14, part 4): the policy's nominating agency (the presets: CISA) nominates an operator for a " +
    'case whose determination allows it (the presets: NO_CONCERNS_IDENTIFIED, PROCEED_WITH_COMMITMENTS). The grant ' +
    'runs in a workflow of its own (`/v1/grants/{grantId}`): the lab approves or declines it within 5 business ' +
    'days, and its silence declines.',
  senders: agency,
  body: () => ({ operatorId: OperatorId, reason: z.string().trim().min(1).max(4000) }),
  rejects: ['WRONG_STAGE', 'EARLY_ACCESS_NOT_OFFERED', 'GRANT_ALREADY_NOMINATED'],
  check: ({ c, msg, reject }) => {
    // Who first, then when: an agency that never nominates is told so whatever the stage.
    const nominator = c.policy?.earlyAccess?.nominator;
    if (nominator !== undefined && agencyOf(msg.actor) !== nominator) {
      reject('NOT_ENTITLED', `${nominator} nominates operators for this case`);
    }
    if (c.stage !== 'PRE_RELEASE') reject('WRONG_STAGE', `the case is in ${c.stage}, not PRE_RELEASE`);
    const refusal = grants.earlyAccessRefusal(c);
    if (refusal !== undefined) reject('EARLY_ACCESS_NOT_OFFERED', refusal);
    const grantId = grants.grantIdFor(c, msg.operatorId);
    if ((c.grants ?? []).some((g) => g.grantId === grantId)) {
      reject(
        'GRANT_ALREADY_NOMINATED',
        `operator:${msg.operatorId} was nominated for this case: grant ${grantId}`,
      );
    }
  },
  apply: ({ c, now, msg }) => grants.nominateOperator(c, msg.operatorId, msg.reason, msg.actor, now),
});
