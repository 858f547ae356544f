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
import { BOUNDS_IN_FORCE, runIsFull } from '../../shared/domain/bounds';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded, isUnsealed } from '../../shared/domain/sealed';
import { boundSignal, boundUpdate } from '../binding';
import { SA } from '../../shared/domain/search-attributes';
import { createAlarm } from '../review/alarm';
import { callbacksDone, createRecordCourier } from '../record-courier';

/** A run hands its state on after this long, so no wait is without a deadline and the history stays short. */
const RUN_LENGTH_MS = 30 * 86_400_000;
/**
 * Release 7: a run pins the bounds in force (policy version 7) and hands the grant on before its history, its
 * messages or the grant itself near the server's limits (shared/domain/bounds.ts), besides every 30 days. A run
 * started before release 7 keeps release 6's rule until it hands on; its validators apply the bounds anyway.
 */
const BOUNDS_PATCH = 'release-7-grant-bounds';
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
  const bounded = patched(BOUNDS_PATCH);
  if (bounded) r.bounds ??= BOUNDS_IN_FORCE;
  let messages = 0;
  setHandler(grantQuery, () => r);
  setHandler(caseClosedSignal, (raw) => {
    messages += 1;
    // Only its case sends this, sealed by the worker for this grant; anything else is logged and changes nothing.
    const payload = boundSignal(raw, caseClosedSignal.name, () => {
      r.ignoredSignals = (r.ignoredSignals ?? 0) + 1;
    });
    if (payload === undefined) return;
    const parsed = CaseClosedPayload().safeParse(asRecorded(payload));
    if (!parsed.success) {
      log.warn('a case closing the grant cannot take was ignored', { grantId: r.filing.grantId });
      return;
    }
    caseClosed(r, new Date(), parsed.data as unknown as CaseClosing);
  });
  for (const m of Object.values(GRANT_MESSAGES) as GrantMessage[]) {
    setHandler(
      m.update,
      (raw) => {
        messages += 1;
        return m.apply(r, new Date(), asRecorded(withoutBinding(raw)));
      },
      { validator: (raw: unknown) => m.check(r, new Date(), boundUpdate(raw, m.name)) },
    );
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
    const full = bounded && runIsFull({ ...workflowInfo(), messages }, r, r.bounds!.runs);
    if (!isGrantClosed(r) && (Date.now() >= runEnds || workflowInfo().continueAsNewSuggested || full)) {
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
