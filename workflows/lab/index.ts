import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { LabFact } from '../../shared/domain/labs/facts';
import { labCallbackBody } from '../../shared/domain/labs/callbacks';
import { LAB_MESSAGES, labFactSignal, labQuery, type LabMessage } from '../../shared/domain/labs/messages';
import { emptyLabRecord, type LabRecord } from '../../shared/domain/labs/record';
import { applyFact, trimmedForNextRun } from '../../shared/domain/labs/rules';
import { foldedRecord } from '../../shared/domain/labs/bounds';
import { BOUNDS_IN_FORCE, runIsFull } from '../../shared/domain/bounds';
import type { LabInput } from '../../shared/domain/labs/workflow';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded, isUnsealed } from '../../shared/domain/sealed';
import { boundSignal, boundUpdate } from '../binding';
import { SA } from '../../shared/domain/search-attributes';
import { createRecordCourier } from '../record-courier';

/**
 * A run hands its record on after this long, or sooner when its history grows: no wait is without a deadline.
 * A lab's record changes a few times a case, so a year is short enough for its history and long enough that a
 * lab with no news costs one timer a year.
 */
const RUN_LENGTH = '365 days';
/** Facts and messages a run takes before it hands on, well inside the server's limits on a run. */
const MESSAGES_PER_RUN = 500;
/**
 * Release 7: a run pins the bounds in force (policy version 7), hands the record on before its history or the
 * record itself near the server's limits (shared/domain/bounds.ts), and folds its oldest closed cases, settled
 * commitments and status changes into counts when it does (shared/domain/labs/bounds.ts). A run started before
 * release 7 keeps release 6's rule until it hands on; its validators apply the bounds anyway.
 */
const BOUNDS_PATCH = 'release-7-lab-bounds';

/**
 * One lab's long-lived record (issue 14, part 3; shared/domain/labs/record.ts draws it). Started by the first
 * fact one of its cases reports (signal-with-start from the reportToLab activity), it never closes: each run
 * waits for a fact, the chair's designation or revocation, or its end, and hands the record on.
 *
 *   facts (labFact):     a case accepted or closed, a commitment's standing     -> the record
 *   the chair (Updates): designateTrustedPartner | revokeTrustedPartner           -> the status, told to the lab
 */
export async function lab(input: LabInput): Promise<void> {
  if (isUnsealed(input)) {
    throw ApplicationFailure.nonRetryable(
      "the lab's record was not sealed with a key of this deployment",
      'PAYLOAD_NOT_SEALED',
    );
  }
  const r: LabRecord = input.continued ?? emptyLabRecord(input.labId);
  const bounded = patched(BOUNDS_PATCH);
  if (bounded) r.bounds ??= BOUNDS_IN_FORCE;
  let taken = 0;
  setHandler(labQuery, () => r);
  setHandler(labFactSignal, (raw) => {
    taken += 1;
    // Only the deployment's own activity sends facts, sealed for this record; anything else is logged and
    // changes nothing.
    const payload = boundSignal(raw, labFactSignal.name, () => {
      r.ignoredSignals = (r.ignoredSignals ?? 0) + 1;
    });
    if (payload === undefined) return;
    const parsed = LabFact.safeParse(asRecorded(payload));
    if (!parsed.success) {
      log.warn('a fact the lab record cannot take was ignored', { labId: r.labId });
      return;
    }
    applyFact(r, parsed.data, new Date());
  });
  for (const m of Object.values<LabMessage>(LAB_MESSAGES)) {
    setHandler(
      m.update,
      (raw) => {
        taken += 1;
        return m.apply(r, new Date(), asRecorded(withoutBinding(raw)));
      },
      { validator: (raw: unknown) => m.check(r, boundUpdate(raw, m.name)) },
    );
  }
  const courier = createRecordCourier({
    labId: r.labId,
    url: () => r.endpoint?.url ?? '',
    callbacks: () => r.callbacks,
    body: (cb) => labCallbackBody(r.labId, cb),
  });
  const delivering = courier.run();
  let published = publish(r, '');
  for (;;) {
    const seen = r.nextSeq;
    const woken = await condition(() => r.nextSeq !== seen, RUN_LENGTH);
    published = publish(r, published);
    if (!woken || taken >= MESSAGES_PER_RUN || workflowInfo().continueAsNewSuggested) break;
    if (bounded && runIsFull({ ...workflowInfo(), messages: taken }, r, r.bounds!.runs)) break;
  }
  // Not in the task that took a message; the fresh run carries the record and its callback queue.
  await sleep(1);
  courier.stop();
  await delivering;
  await condition(allHandlersFinished);
  const next = trimmedForNextRun(r);
  return continueAsNew<typeof lab>({ labId: r.labId, continued: bounded ? foldedRecord(next) : next });
}

/** The search attributes the labs list filters on; upserted only when they change. */
function publish(r: LabRecord, before: string): string {
  const pairs = [
    { key: SA.lab, value: r.labId },
    { key: SA.itemState, value: r.status },
  ] as SearchAttributeUpdatePair[];
  const key = JSON.stringify(pairs.map((p) => p.value));
  if (key !== before) upsertSearchAttributes(pairs);
  return key;
}
