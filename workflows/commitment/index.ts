import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ArchiveActivities } from '../../activities/archive';
import { commitmentCallbackBody } from '../../shared/domain/commitments/callbacks';
import type { LabActivities } from '../../activities/labs';
import {
  CommitmentFiling,
  standingOf,
  type CommitmentRecord,
} from '../../shared/domain/commitments/commitment';
import { iso } from '../../shared/domain/time';
import {
  COMMITMENT_MESSAGES,
  commitmentQuery,
  type CommitmentMessage,
} from '../../shared/domain/commitments/messages';
import {
  advanceCommitment,
  isCommitmentClosed,
  nextCommitmentDeadline,
  nextCommitmentWake,
  openCommitment,
} from '../../shared/domain/commitments/rules';
import type { CommitmentInput, CommitmentResult } from '../../shared/domain/commitments/workflow';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded, isUnsealed } from '../../shared/domain/sealed';
import { boundUpdate } from '../binding';
import { SA } from '../../shared/domain/search-attributes';
import { createAlarm } from '../review/alarm';
import { callbacksDone, createRecordCourier } from '../record-courier';

/** A run hands its state on after this long, so no wait is without a deadline and the history stays short. */
const RUN_LENGTH_MS = 30 * 86_400_000;
/**
 * Release 6: a message accepted while the loop told the lab's record wakes the next wait at once (before, it
 * waited for the next message or deadline, up to a 30-day run, with the commitment's lists stale).
 */
const MESSAGES_MEANWHILE = 'release-6-commitment-messages-meanwhile';
/** How long a closed commitment keeps trying to reach the lab before it ends with what is undelivered marked. */
const CALLBACK_GRACE = '3 days';

const labs = proxyActivities<LabActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const archive = proxyActivities<Pick<ArchiveActivities, 'archiveCommitment'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * One commitment of a determination (issue 14), from the determination to kept or broken
 * (shared/domain/commitments/commitment.ts draws the states). Started by its review, which abandons it on
 * closing, so it outlives the case:
 *
 *   open ─> wait for attest | the due date          (30 days: then OVERDUE, flagged, told to the lab)
 *        ─> wait for confirm | dispute | the owner's deadline (10 business days: silence confirms)
 *        ─> last callbacks ─> permanent record
 *   an overdue commitment waits for the lab's (late) attestation, run after run.
 *
 * Every wait ends at the next deadline or at the end of the run (30 days), whichever is first.
 */
export async function commitment(input: CommitmentInput): Promise<CommitmentResult> {
  // Only the review (through the worker's codec) or the gateway seals: anything else starts nothing.
  if (isUnsealed(input) || isUnsealed(input.filing)) {
    throw ApplicationFailure.nonRetryable(
      'the commitment was not sealed with a key of this deployment',
      'PAYLOAD_NOT_SEALED',
    );
  }
  const r: CommitmentRecord = input.continued ?? openCommitment(filingOf(input.filing), new Date());
  const runStarted = Date.now();
  setHandler(commitmentQuery, () => r);
  for (const m of Object.values(COMMITMENT_MESSAGES) as CommitmentMessage[]) {
    setHandler(m.update, (raw) => m.apply(r, new Date(), asRecorded(withoutBinding(raw))), {
      validator: (raw: unknown) => m.check(r, new Date(), boundUpdate(raw, m.name)),
    });
  }
  const courier = createRecordCourier({
    labId: r.filing.labId,
    url: r.filing.callbackUrl ?? '',
    callbacks: () => r.callbacks,
    body: (cb) => commitmentCallbackBody(r, cb),
  });
  const delivering = courier.run();
  let published = publish(r, '');
  // The commitment as this loop last advanced and published it: a message accepted after that, while the
  // loop tells the lab's record, is news for the next wait.
  let looked = r.events.length;
  if (standingToTell(r)) await tellStanding(r);

  const alarm = createAlarm();
  const runEnds = runStarted + RUN_LENGTH_MS;
  while (!isCommitmentClosed(r)) {
    const meanwhile = r.events.length !== looked && patched(MESSAGES_MEANWHILE);
    if (!meanwhile) {
      const seen = r.events.length;
      alarm.setFor(new Date(Math.min(runEnds, nextCommitmentWake(r) ?? runEnds)));
      await condition(() => r.events.length !== seen || alarm.rung());
    }
    advanceCommitment(r, new Date());
    published = publish(r, published);
    looked = r.events.length;
    // Awaited only when there is news: an await with none would let the courier's commands go first, and a
    // release-4 commitment replays its commands in their recorded order.
    if (standingToTell(r)) await tellStanding(r);
    if (!isCommitmentClosed(r) && (Date.now() >= runEnds || workflowInfo().continueAsNewSuggested)) {
      alarm.clear();
      // Not in the task that accepted a message; the fresh run carries the commitment and its callback queue.
      await sleep(1);
      courier.stop();
      await delivering;
      await condition(allHandlersFinished);
      return continueAsNew<typeof commitment>({ filing: input.filing, continued: r });
    }
  }
  alarm.clear();
  await condition(() => callbacksDone(r.callbacks), CALLBACK_GRACE);
  courier.stop();
  await delivering;
  courier.giveUpPending();
  publish(r, published);
  await archive.archiveCommitment({ commitmentId: r.filing.commitmentId, record: r });
  await condition(allHandlersFinished);
  return { commitmentId: r.filing.commitmentId, state: r.state, closedAt: r.closedAt! };
}

/**
 * Release 5: tells the lab's record the commitment's standing when it changed (pending, overdue, kept,
 * broken), so the record counts what the lab kept and broke. A record out of reach for a week is logged, and
 * told at the next change.
 */
async function tellStanding(r: CommitmentRecord): Promise<void> {
  const standing = standingOf(r);
  const f = r.filing;
  try {
    await labs.reportToLab({
      labId: f.labId,
      fact: {
        kind: 'COMMITMENT_STANDING',
        commitmentId: f.commitmentId,
        caseId: f.caseId,
        owner: f.owner,
        standing,
        at: iso(new Date()),
      },
    });
    r.reportedStanding = standing;
  } catch (err) {
    log.error("the lab's record could not be told of the commitment", { standing, error: String(err) });
  }
}

/** A commitment of a rules-5 case (its filing says so) whose standing changed since the record was told. */
const standingToTell = (r: CommitmentRecord): boolean =>
  r.filing.tellsLabRecord === true && r.reportedStanding !== standingOf(r);

/** The filing, or a failure of the workflow (not of its task, which would retry forever) naming what is wrong. */
function filingOf(raw: unknown): CommitmentFiling {
  const parsed = CommitmentFiling.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(filing)'}: ${i.message}`);
  throw ApplicationFailure.nonRetryable(issues.join('; '), 'VALIDATION_FAILED');
}

/** The search attributes lists filter on; upserted only when they change (each upsert is billed). */
function publish(r: CommitmentRecord, before: string): string {
  const next = nextCommitmentDeadline(r);
  const pairs = [
    { key: SA.itemState, value: r.state },
    { key: SA.itemOwner, value: r.filing.owner },
    { key: SA.lab, value: r.filing.labId },
    { key: SA.submission, value: r.filing.submissionId },
    { key: SA.overdue, value: r.state === 'OVERDUE' },
    { key: SA.flags, value: [...r.flags] },
    { key: SA.nextDeadline, value: next === undefined ? null : new Date(next.at) },
    { key: SA.nextParty, value: next?.party ?? null },
  ] as SearchAttributeUpdatePair[];
  const key = JSON.stringify(pairs.map((p) => p.value));
  if (key !== before) upsertSearchAttributes(pairs);
  return key;
}
