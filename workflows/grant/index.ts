import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ArchiveActivities } from '../../activities/archive';
import { grantCallbackBody } from '../../shared/domain/grants/callbacks';
import {
  grantFilingSchema,
  type CaseClosing,
  type GrantFiling,
  type GrantRecord,
} from '../../shared/domain/grants/grant';
import {
  CaseClosedPayload,
  caseClosedSignal,
  GRANT_MESSAGES,
  grantQuery,
  type GrantMessage,
} from '../../shared/domain/grants/messages';
import {
  advanceGrant,
  caseClosed,
  isGrantClosed,
  nextGrantDeadline,
  nextGrantWake,
  openGrant,
} from '../../shared/domain/grants/rules';
import type { GrantInput, GrantResult } from '../../shared/domain/grants/workflow';
import { asRecorded, isUnsealed } from '../../shared/domain/sealed';
import { SA } from '../../shared/domain/search-attributes';
import { createAlarm } from '../review/alarm';
import { callbacksDone, createRecordCourier } from '../record-courier';

/** A run hands its state on after this long, so no wait is without a deadline and the history stays short. */
const RUN_LENGTH_MS = 30 * 86_400_000;
/** How long a closed grant keeps trying to reach the lab before it ends with what is undelivered marked. */
const CALLBACK_GRACE = '3 days';

const archive = proxyActivities<Pick<ArchiveActivities, 'archiveGrant'>>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * One early-access grant (issue 14, part 4), from CISA's nomination to its end (shared/domain/grants/grant.ts
 * draws the states). Started by its case, which abandons it on closing, so it outlives the review:
 *
 *   nominated ─> wait for approve | decline | revoke | the case closing | the lab's deadline (silence lapses)
 *   active    ─> wait for use reports | revoke | the case closing (withdrawn ends it; released sets the end)
 *                | the end (the release, or the window's end, plus 30 days)
 *   closed    ─> last callbacks ─> permanent record
 *
 * Every wait ends at the next deadline or at the end of the run (30 days), whichever is first.
 */
export async function grant(input: GrantInput): Promise<GrantResult> {
  // Only the review (through the worker's codec) seals a grant's input: anything else starts nothing.
  if (isUnsealed(input) || isUnsealed(input.filing)) {
    throw ApplicationFailure.nonRetryable(
      'the grant was not sealed with a key of this deployment',
      'PAYLOAD_NOT_SEALED',
    );
  }
  const r: GrantRecord = input.continued ?? openGrant(filingOf(input.filing), new Date());
  const runStarted = Date.now();
  setHandler(grantQuery, () => r);
  setHandler(caseClosedSignal, (raw) => {
    // Only its case sends this, sealed by the worker; anything else is logged and changes nothing.
    const parsed = isUnsealed(raw) ? undefined : CaseClosedPayload().safeParse(asRecorded(raw));
    if (parsed?.success !== true) {
      log.warn('a case closing the grant cannot take was ignored', { grantId: r.filing.grantId });
      return;
    }
    caseClosed(r, new Date(), parsed.data as unknown as CaseClosing);
  });
  for (const m of Object.values(GRANT_MESSAGES) as GrantMessage[]) {
    setHandler(m.update, (raw) => m.apply(r, new Date(), asRecorded(raw)), {
      validator: (raw: unknown) => m.check(r, new Date(), raw),
    });
  }
  const courier = createRecordCourier({
    labId: r.filing.labId,
    url: r.filing.callbackUrl ?? '',
    callbacks: () => r.callbacks,
    body: (cb) => grantCallbackBody(r, cb),
  });
  const delivering = courier.run();
  let published = publish(r, '');

  const alarm = createAlarm();
  const runEnds = runStarted + RUN_LENGTH_MS;
  while (!isGrantClosed(r)) {
    const seen = r.events.length;
    alarm.setFor(new Date(Math.min(runEnds, nextGrantWake(r) ?? runEnds)));
    await condition(() => r.events.length !== seen || alarm.rung());
    advanceGrant(r, new Date());
    published = publish(r, published);
    if (!isGrantClosed(r) && (Date.now() >= runEnds || workflowInfo().continueAsNewSuggested)) {
      alarm.clear();
      // Not in the task that accepted a message; the fresh run carries the grant and its callback queue.
      await sleep(1);
      courier.stop();
      await delivering;
      await condition(allHandlersFinished);
      return continueAsNew<typeof grant>({ filing: input.filing, continued: r });
    }
  }
  alarm.clear();
  await condition(() => callbacksDone(r.callbacks), CALLBACK_GRACE);
  courier.stop();
  await delivering;
  courier.giveUpPending();
  publish(r, published);
  await archive.archiveGrant({ grantId: r.filing.grantId, record: r });
  await condition(allHandlersFinished);
  return { grantId: r.filing.grantId, state: r.state, closedAt: r.closedAt! };
}

/** The filing, or a failure of the workflow (not of its task, which would retry forever) naming what is wrong. */
function filingOf(raw: unknown): GrantFiling {
  const parsed = grantFilingSchema().safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(filing)'}: ${i.message}`);
  throw ApplicationFailure.nonRetryable(issues.join('; '), 'VALIDATION_FAILED');
}

/** The search attributes lists filter on; upserted only when they change (each upsert is billed). */
function publish(r: GrantRecord, before: string): string {
  const next = nextGrantDeadline(r);
  const pairs = [
    { key: SA.itemState, value: r.state },
    { key: SA.itemOwner, value: r.filing.operator },
    { key: SA.lab, value: r.filing.labId },
    { key: SA.submission, value: r.filing.submissionId },
    { key: SA.nextDeadline, value: next === undefined ? null : new Date(next.at) },
    { key: SA.nextParty, value: next?.party ?? null },
  ] as SearchAttributeUpdatePair[];
  const key = JSON.stringify(pairs.map((p) => p.value));
  if (key !== before) upsertSearchAttributes(pairs);
  return key;
}
