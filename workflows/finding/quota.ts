import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { DAY_MS, runIsFull } from '../../shared/domain/bounds';
import {
  checkFilingSlot,
  emptyQuota,
  filingQuotaQuery,
  inPeriodSlots,
  takeFilingSlot,
  takeFilingSlotUpdate,
  type FilingQuota,
  type FilingQuotaInput,
} from '../../shared/domain/clearinghouse/quota';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded } from '../../shared/domain/sealed';
import { boundUpdate } from '../binding';

/**
 * A filer's quota of findings (release 7; shared/domain/clearinghouse/quota.ts draws it). Started by the
 * gateway at the filer's first filing, it never closes: each run counts the slots taken, and hands the quota on
 * after a period with no filing (dropping the slots the period no longer counts) or before its history nears
 * the server's limits.
 */
export async function filingQuota(input: FilingQuotaInput): Promise<void> {
  const q: FilingQuota = input.continued ?? emptyQuota(input.filer);
  let taken = 0;
  setHandler(filingQuotaQuery, () => q);
  setHandler(
    takeFilingSlotUpdate,
    (raw) => {
      taken += 1;
      return takeFilingSlot(q, asRecorded(withoutBinding(raw)), new Date());
    },
    {
      validator: (raw: unknown) =>
        void checkFilingSlot(q, boundUpdate(raw, takeFilingSlotUpdate.name), new Date()),
    },
  );
  const period = q.bounds.findings.periodDays * DAY_MS;
  for (;;) {
    const seen = taken;
    const woken = await condition(() => taken !== seen, period);
    if (!woken || runIsFull({ ...workflowInfo(), messages: taken }, q, q.bounds.runs)) break;
  }
  // Not in the task that took a slot; the fresh run carries only what the period still counts.
  await sleep(1);
  await condition(allHandlersFinished);
  return continueAsNew<typeof filingQuota>({
    filer: q.filer,
    continued: { ...q, slots: inPeriodSlots(q, new Date()) },
  });
}
