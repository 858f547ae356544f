import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { FindingFiling, type FindingRecord } from '../../shared/domain/clearinghouse/finding';
import {
  FINDING_MESSAGES,
  findingQuery,
  type FindingMessage,
} from '../../shared/domain/clearinghouse/messages';
import {
  advanceFinding,
  isFindingClosed,
  nextFindingDeadline,
  nextFindingWake,
  receiveFinding,
} from '../../shared/domain/clearinghouse/rules';
import type { FindingInput, FindingResult } from '../../shared/domain/clearinghouse/workflow';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded, isUnsealed } from '../../shared/domain/sealed';
import { boundUpdate } from '../binding';
import { SA } from '../../shared/domain/search-attributes';
import { createAlarm } from '../review/alarm';
import { archive } from './archive';
import { createFindingCourier, findingCallbacksDone } from './courier';

/** A run hands its state on after this long, so no wait is without a deadline and the history stays short. */
const RUN_LENGTH_MS = 30 * 86_400_000;
/** How long a closed finding keeps trying to reach the lab before it ends with what is undelivered marked. */
const CALLBACK_GRACE = '3 days';

/**
 * One finding of the AI cybersecurity clearinghouse (issue 15), from filing to remediated, rejected or
 * disclosed (shared/domain/clearinghouse/finding.ts draws the states):
 *
 *   receive ─> wait for validate | reject         (validation due in 5 business days: flagged when late)
 *           ─> wait for remediated | disclose | the lab's one extension
 *                                                 (remediation due in 90 days: flagged, then disclosed by rule)
 *           ─> last callbacks ─> permanent record
 *
 * Every wait ends at the next deadline or at the end of the run (30 days), whichever is first.
 */
export async function finding(input: FindingInput): Promise<FindingResult> {
  // Only the gateway seals with this deployment's keys: a filing from anywhere else starts nothing.
  if (isUnsealed(input) || isUnsealed(input.filing)) {
    throw ApplicationFailure.nonRetryable(
      'the filing was not sealed with a key of this deployment',
      'PAYLOAD_NOT_SEALED',
    );
  }
  const r: FindingRecord = input.continued ?? receiveFinding(filingOf(input.filing), new Date());
  const runStarted = Date.now();
  setHandler(findingQuery, () => r);
  for (const m of Object.values(FINDING_MESSAGES) as FindingMessage[]) {
    setHandler(m.update, (raw) => m.apply(r, new Date(), asRecorded(withoutBinding(raw))), {
      validator: (raw) => m.check(r, new Date(), boundUpdate(raw, m.name)),
    });
  }
  const courier = createFindingCourier(r);
  const delivering = courier.run();
  let published = publish(r, '');

  // One timer per wake-up, kept across messages that leave it where it was (as the review's: ../review/alarm).
  const alarm = createAlarm();
  const runEnds = runStarted + RUN_LENGTH_MS;
  while (!isFindingClosed(r)) {
    const seen = r.events.length;
    alarm.setFor(new Date(Math.min(runEnds, nextFindingWake(r) ?? runEnds)));
    await condition(() => r.events.length !== seen || alarm.rung());
    advanceFinding(r, new Date());
    published = publish(r, published);
    if (!isFindingClosed(r) && (Date.now() >= runEnds || workflowInfo().continueAsNewSuggested)) {
      alarm.clear();
      // Not in the task that accepted a message; the fresh run carries the finding and its callback queue.
      await sleep(1);
      courier.stop();
      await delivering;
      await condition(allHandlersFinished);
      return continueAsNew<typeof finding>({ filing: input.filing, continued: r });
    }
  }
  alarm.clear();
  await condition(() => findingCallbacksDone(r), CALLBACK_GRACE);
  courier.stop();
  await delivering;
  courier.giveUpPending();
  publish(r, published);
  await archive.archiveFinding({ findingId: r.filing.findingId, record: r });
  await condition(allHandlersFinished);
  return { findingId: r.filing.findingId, state: r.state, closedAt: r.closedAt! };
}

/** The filing, or a failure of the workflow (not of its task, which would retry forever) naming what is wrong. */
function filingOf(raw: unknown): FindingFiling {
  const parsed = FindingFiling.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(filing)'}: ${i.message}`);
  throw ApplicationFailure.nonRetryable(issues.join('; '), 'VALIDATION_FAILED');
}

/** The search attributes lists filter on; upserted only when they change (each upsert is billed). */
function publish(r: FindingRecord, before: string): string {
  const due = nextFindingDeadline(r);
  const pairs = [
    { key: SA.findingState, value: r.state },
    { key: SA.lab, value: r.filing.labId },
    { key: SA.findingCase, value: r.filing.caseId ?? null },
    { key: SA.overdue, value: r.flags.length > 0 },
    { key: SA.flags, value: [...r.flags] },
    { key: SA.nextDeadline, value: due === undefined ? null : new Date(due) },
  ] as SearchAttributeUpdatePair[];
  const key = JSON.stringify(pairs.map((p) => p.value));
  if (key !== before) upsertSearchAttributes(pairs);
  return key;
}
