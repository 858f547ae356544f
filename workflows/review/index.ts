import { filedBy } from '../filed-by';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ArchiveActivities } from '../../activities/archive';
import type { GovernmentActivities } from '../../activities/government';
import type { IntakeActivities } from '../../activities/intake';
import type { GrantActivities } from '../../activities/grants';
import type { LabActivities } from '../../activities/labs';
import { labFactsDue, pinStanding } from '../../shared/domain/review/lab-record';
import { advance } from '../../shared/domain/review/advance';
import { nextWake } from '../../shared/domain/review/wake';
import { closeNotCovered, markDeficient, accept, openCase } from '../../shared/domain/review/intake';
import {
  awaitingAcceptance,
  designatedBy,
  proposeDesignation,
  settleDesignation,
} from '../../shared/domain/review/designation';
import { commitmentFiling, untrackedCommitments } from '../../shared/domain/review/commitments';
import {
  corrected,
  countsPrecisely,
  designates,
  keepsLabRecord,
  tracksCommitments,
  type RulesVersion,
} from '../../shared/domain/review/rules';
import { awaitingDueOf, rendered, searchAttributesOf } from '../../shared/domain/review/search-attributes';
import type { CaseState } from '../../shared/domain/review/state';
import {
  DEFAULT_RUN_LIMITS,
  type ReviewInput,
  type ReviewResult,
  type RunLimits,
  caseIdOfWorkflow,
} from '../../shared/domain/review/workflow';
import { asRecorded, isUnsealed, type Unsealed } from '../../shared/domain/sealed';
import { Submission } from '../../shared/domain/submission';
import { PATCHES } from './patches';
import { createAlarm, type Alarm } from './alarm';
import { startCommitment } from './commitments';
import { startGrant } from './grants';
import { caseClosing, grantFiling, grantsToStart, grantsToTell } from '../../shared/domain/review/grants';
import { createCourier } from './courier';
import { handleMessages } from './messages';
import { allDelivered } from '../../shared/domain/review/callbacks';

/** How long a closed case waits for its last callbacks before it completes with them marked undelivered. */
const CALLBACK_GRACE = '7 days';

const intake = proxyActivities<IntakeActivities>({
  startToCloseTimeout: '1 minute',
  // Intake waits for its checks, but not forever: after a day the workflow fails visibly for operations.
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['UnknownPolicy'],
  },
});

const government = proxyActivities<Pick<GovernmentActivities, 'governmentNow'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const labs = proxyActivities<LabActivities>({
  startToCloseTimeout: '30 seconds',
  // A record that cannot be reached for a week fails the case visibly for operations.
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const grants = proxyActivities<GrantActivities>({
  startToCloseTimeout: '30 seconds',
  // A grant that cannot be told for a week fails the case visibly for operations.
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const archive = proxyActivities<ArchiveActivities>({
  startToCloseTimeout: '1 minute',
  // A store that stays down keeps the closed case open, then fails it visibly for operations after a week.
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * One submission's whole review (domain.md section 3):
 *
 *   INTAKE ─┬─> DEFICIENT ──supplement──> INTAKE      (or CLOSED when the supplement period ends)
 *           ├─> DESIGNATION ─> as designated (rules 3: the screen proposes, NSA designates or is silent)
 *           ├─> CLOSED (NOT_COVERED)
 *           └─> NATIONAL_SECURITY ─> CIVILIAN ─> DETERMINATION ─> PRE_RELEASE ─> CLOSED (WINDOW_ENDED)
 *   and from any open state: withdraw, release reported ─> CLOSED
 *   then, closed: the last callbacks (bounded by CALLBACK_GRACE), then the signed permanent record
 *
 * Messages (updates) change the case through handleMessages; time changes it through advance(). Both are
 * pure domain code in shared/domain/review; this loop only sleeps until the next message or the next
 * deadline the data says, so every wait has a deadline.
 */
export async function review(input: ReviewInput | Unsealed): Promise<ReviewResult> {
  // From release 2 every input is sealed by the gateway; one that is not never starts a review. Release 1's
  // cases replay without the marker, with their inputs as recorded.
  if (patched(PATCHES.sealedPayloads) && isUnsealed(input)) {
    throw ApplicationFailure.create({
      type: 'PAYLOAD_NOT_SEALED',
      message: 'the submission was not sealed with a key of this deployment: no review was started',
      nonRetryable: true,
    });
  }
  const { submission, continued, by, limits = DEFAULT_RUN_LIMITS } = asRecorded(input);
  // A new case runs under the current rules; one started before a release keeps the rules it started under.
  const c = continued ?? openCase(parsedSubmission(submission), new Date(), rulesForNewCase(), filedBy(by));
  const courier = createCourier(c, () => c.policy);
  const run = { messages: 0 };
  handleMessages(c, courier, () => (run.messages += 1));
  const delivering = courier.run();
  const alarm = createAlarm();
  // A run that started with the attributes it would upsert (a filing through the gateway, a continued run)
  // upserts only once they change.
  let published = publish(c, patched(PATCHES.startAttributes) ? startedWith(c) : '');
  // The case as this loop last advanced and published it: a message accepted after that, or a callback that
  // failed, while the loop awaits an activity below, is news for the next wait.
  let looked = lookAt(c);
  while (c.stage !== 'CLOSED') {
    if (c.stage === 'INTAKE') await runIntake(c);
    else if (awaitingAcceptance(c)) await runAcceptance(c);
    else await nextMessageOrDeadline(c, alarm, looked);
    advance(c, new Date());
    published = publish(c, published);
    looked = lookAt(c);
    // Rules 4: the determination's commitments go to workflows of their own, which outlive the case.
    if (tracksCommitments(c)) await trackCommitments(c);
    // Rules 5: the lab's record hears of the acceptance (and, below, the closing).
    if (keepsLabRecord(c)) await tellLabRecord(c);
    // Rules 6: each nomination's grant goes to a workflow of its own, which outlives the case.
    if (grantsToStart(c).length > 0) await startGrants(c);
    if (runIsFull(run.messages, limits) && patched(PATCHES.continueAsNew)) {
      alarm.clear();
      // Not in the workflow task that accepted a message: the server refuses to close a run in a task that
      // other events overtook, and the message's sender would see that refusal.
      await sleep(1);
      // A fresh run carries the case and its callback queue; a delivery cut short here is sent again.
      courier.stop();
      await delivering;
      await condition(allHandlersFinished);
      return continueAsNew<typeof review>({ submission: c.submission, continued: c, limits });
    }
  }
  alarm.clear();
  if (keepsLabRecord(c)) await tellLabRecord(c);
  // Rules 6: every grant hears how the case closed (withdrawn ends it; a release sets its end); one nominated
  // in the case's last turn starts first, so no accepted nomination is lost (it lapses when told).
  if (grantsToStart(c).length > 0) await startGrants(c);
  if (grantsToTell(c).length > 0) await tellGrants(c);
  // The last events still go out. A failing endpoint keeps the case open for a while so operations staff can
  // redeliver or the lab can change its endpoint; after that the undelivered events stay visible as failed.
  await condition(() => allDelivered(c) || c.submission.callbackUrl === undefined, CALLBACK_GRACE);
  courier.stop();
  await delivering;
  publish(c, published);
  // The record outlives the namespace's retention; written once, after the last callback attempt it records.
  if (patched(PATCHES.permanentRecord)) {
    await archive.archiveCase({ caseId: caseIdOfWorkflow(workflowInfo().workflowId), state: c });
  }
  await condition(allHandlersFinished);
  return {
    submissionId: c.submission.submissionId,
    closedReason: c.closedReason!,
    outcome: c.determination?.outcome,
    closedAt: c.closedAt!,
  };
}

async function runIntake(c: CaseState): Promise<void> {
  const seen = c.version;
  if (patched(PATCHES.oneIntakeActivity)) {
    const found = asRecorded(
      await intake.intakeChecks({
        submission: c.submission,
        government: corrected(c),
        ...(designates(c) ? { designation: true } : {}),
        ...(keepsLabRecord(c) ? { standing: true } : {}),
        // Rules 7: the designation's period is a government clock, which a lapse or closure in force reaches.
        ...(countsPrecisely(c) ? { designationClock: true } : {}),
      }),
    );
    if (c.version !== seen) return; // a withdrawal or amendment arrived meanwhile: look again
    if (found.kind === 'DEFICIENT') {
      return markDeficient(c, found.gaps, found.problems, found.policy, new Date());
    }
    // Rules 3: the screen is a proposal for the policy's designating agency (shared/domain/review/designation.ts).
    // Rules 5: a trusted partner's screen may stand without it, as the policy in force says.
    if (designatedBy(c, found.policy) && found.designationWaived !== true) {
      return proposeDesignation(c, found.policy, found.screen, new Date(), found.government);
    }
    if (!found.screen.covered) return closeNotCovered(c, found.screen, new Date());
    accept(c, found.policy, found.screen, new Date(), found.government);
    return pinStanding(c, found.standing);
  }
  const policy = asRecorded(await intake.policyInForce({ policyId: c.submission.policyId }));
  const { gaps, problems } = asRecorded(await intake.checkCompleteness({ submission: c.submission }));
  if (c.version !== seen) return; // a withdrawal or amendment arrived meanwhile: look again
  if (gaps.length > 0) return markDeficient(c, gaps, problems, policy, new Date());
  const screen = asRecorded(
    await intake.screenCoveredModel({ model: c.submission.model, thresholds: policy.covered }),
  );
  if (c.version !== seen) return;
  if (!screen.covered) return closeNotCovered(c, screen, new Date());
  // Rules 2: a funding lapse or closure in force now shapes the case from its first day.
  const state = corrected(c) ? asRecorded(await government.governmentNow()) : undefined;
  if (c.version !== seen) return;
  accept(c, policy, screen, new Date(), state);
}

/**
 * Rules 3: the designation is in; acceptance is day 0, under the policy and the government's state in force
 * now, or the case closes as not covered.
 */
async function runAcceptance(c: CaseState): Promise<void> {
  const seen = c.version;
  const facts = asRecorded(
    await intake.acceptanceFacts({
      policyId: c.submission.policyId,
      // Rules 5: the lab's status now chooses the policy and is pinned with it.
      ...(keepsLabRecord(c) ? { labId: c.submission.labId } : {}),
    }),
  );
  if (c.version !== seen) return; // a withdrawal or amendment arrived meanwhile: look again
  settleDesignation(c, facts.policy, new Date(), facts.government);
  pinStanding(c, facts.standing);
}

/** Rules 5: tells the lab's record what it has not heard from this case yet (./lab-record.ts). */
async function tellLabRecord(c: CaseState): Promise<void> {
  for (const { step, fact } of labFactsDue(c, caseIdOfWorkflow(workflowInfo().workflowId))) {
    try {
      await labs.reportToLab({ labId: c.submission.labId, fact });
      (c.labReported ??= []).push(step);
    } catch (err) {
      // After a week of retries: the case goes on (its own record is whole) and tries again at its next wake.
      log.error("the lab's record could not be told of the case", { step, error: String(err) });
      return;
    }
  }
}

/**
 * Rules 4: starts a workflow for each commitment of the determination not yet handed over (./commitments.ts).
 * The case abandons them when it closes, so they outlive it; one already started (a reset replayed past its
 * start) counts as handed over.
 */
async function trackCommitments(c: CaseState): Promise<void> {
  for (const owned of untrackedCommitments(c)) {
    await startCommitment(commitmentFiling(c, owned, caseIdOfWorkflow(workflowInfo().workflowId)));
    (c.commitmentsTracked ??= []).push(owned.commitmentId);
  }
}

/** Starts every nominated grant, also one nominated while an earlier one was starting. */
async function startGrants(c: CaseState): Promise<void> {
  for (let g = grantsToStart(c)[0]; g !== undefined; g = grantsToStart(c)[0]) {
    await startGrant(grantFiling(c, g, caseIdOfWorkflow(workflowInfo().workflowId)));
    g.started = true;
  }
}

/**
 * Tells every started grant how the case closed, by an activity (as the lab's record is told): a signal from
 * the workflow itself (SignalExternalWorkflowExecution) to a running grant left the Java time-skipping test
 * server's clock slow for every later test (README "Early access").
 */
async function tellGrants(c: CaseState): Promise<void> {
  const closing = caseClosing(c);
  for (const g of grantsToTell(c)) {
    await grants.tellGrant({ grantId: g.grantId, closing });
    g.told = true;
  }
}

/** The rules a case started now runs under: every release's marker is recorded, so a replay keeps its own. */
function rulesForNewCase(): RulesVersion {
  if (patched(PATCHES.rules7)) return 7;
  if (patched(PATCHES.rules6)) return 6;
  if (patched(PATCHES.rules5)) return 5;
  if (patched(PATCHES.rules4)) return 4;
  if (patched(PATCHES.rules3)) return 3;
  return patched(PATCHES.rules2) ? 2 : 1;
}

/**
 * What the loop saw of the case when it last published it: its version, the callback it was blocked on, and the
 * instant it advanced it to.
 */
interface Looked {
  version: number;
  blockedOn: string | undefined;
  at: number;
}

const lookAt = (c: CaseState): Looked => ({
  version: c.version,
  blockedOn: c.callbacks.blockedOn,
  at: Date.now(),
});

/** Waits for a message, a callback failing or recovering, or the next instant the case must act on its own. */
async function nextMessageOrDeadline(c: CaseState, alarm: Alarm, looked: Looked): Promise<void> {
  // Before release 6 a message accepted while the loop awaited an activity (the lab's record, the
  // commitments) waited for the next message or deadline, which left the case's lists and stages stale.
  const meanwhile = c.version !== looked.version && patched(PATCHES.messagesMeanwhile);
  if (meanwhile) return;
  // So did a callback the courier marked failed meanwhile (even in the await of a step with nothing to do, such
  // as the lab's record before acceptance): the wait below only wakes when the courier's state changes from
  // what it finds, so the case stayed listed as delivering fine (ReviewCallbackFailing false) until its next
  // deadline, days away.
  if (c.callbacks.blockedOn !== looked.blockedOn && patched(PATCHES.callbacksMeanwhile)) return;
  // And time itself: nextWake looks only ahead of now, so a deadline or threshold that fell while the loop
  // awaited an activity (retried for up to a week when a lab's record cannot be reached) waited for the wake
  // after it; the loop now advances to the present first.
  if (Date.now() !== looked.at && patched(PATCHES.timeMeanwhile)) return;
  const seen = c.version;
  const wake = nextWake(c, new Date());
  if (wake === undefined)
    throw new Error(`open case ${c.submission.submissionId} in ${c.stage} has no deadline to wait for`);
  const blocked = c.callbacks.blockedOn;
  const woken = () => c.version !== seen || c.callbacks.blockedOn !== blocked;
  if (patched(PATCHES.oneTimerPerWake)) {
    // The alarm is this wait's deadline; a message that leaves the wake-up where it was keeps its timer.
    alarm.setFor(wake);
    await condition(() => woken() || alarm.rung());
    return;
  }
  await condition(woken, wake.getTime() - Date.now());
}

/**
 * The filing as the gateway checked it. One that does not parse fails the workflow at once (a throw here
 * would fail the workflow task and retry it for ever instead).
 */
function parsedSubmission(raw: unknown): Submission {
  const parsed = Submission.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.create({
    type: 'VALIDATION_FAILED',
    message: `the submission is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    nonRetryable: true,
  });
}

/** Whether this run should hand the case to a fresh one, well before the server's limits on a run. */
const runIsFull = (messages: number, limits: RunLimits): boolean => {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= limits.events || messages >= limits.messages;
};

/** Upserts the search attributes when they changed (each upsert is a billable action). */
function publish(c: CaseState, previous: string): string {
  const pairs = searchAttributesOf(c, new Date(), patched(PATCHES.nextParty));
  const next = rendered(pairs);
  if (next !== previous) upsertSearchAttributes(pairs);
  if (patched(PATCHES.awaitingDue)) {
    const due = awaitingDueOf(c, new Date());
    if (JSON.stringify(due) !== JSON.stringify(workflowInfo().memo?.awaitingDue ?? {}))
      upsertMemo({ awaitingDue: due });
  }
  return next;
}

/** The attributes this run started with, rendered as publish renders the ones it upserts. */
function startedWith(c: CaseState): string {
  const started = workflowInfo().typedSearchAttributes;
  const pairs = searchAttributesOf(c, new Date(), patched(PATCHES.nextParty));
  return rendered(pairs.map((p) => ({ key: p.key, value: started.get(p.key) })));
}
