import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorCode } from '../../shared/domain/errors';
import { noteErrorAsserted } from './ledger';
import { temporal } from '@temporalio/proto';
import { waitFor } from './wait';
import { historyLength, iso, status, unchangedPart, untilDelivered, type ReviewHandle } from './review';

/** A timer's effect is recorded by the workflow task that follows it: at its due time or within the minute. */
export function atOrJustAfter(actual: string | undefined, expected: number): void {
  const t = Date.parse(actual ?? '');
  assert.ok(t >= expected && t < expected + 60_000, `${actual} is not at ${iso(expected)}`);
}

const { EVENT_TYPE_WORKFLOW_TASK_SCHEDULED: WFT_SCHEDULED, EVENT_TYPE_WORKFLOW_TASK_STARTED: WFT_STARTED } =
  temporal.api.enums.v1.EventType;

/**
 * The update is rejected with `code`, and neither the case nor its history shows any trace of it. Only the
 * real dev server drops a rejected update's speculative workflow task; the time-skipping server records it.
 */
export async function rejectedWithoutTrace(
  h: ReviewHandle,
  code: ErrorCode,
  send: () => Promise<unknown>,
): Promise<void> {
  const before = unchangedPart(await untilDelivered(h));
  // Nothing else may add to the history while it is measured: no activity (the lab's record told of an
  // acceptance) and no workflow task in flight.
  await waitFor(
    async () => {
      const [d, history] = await Promise.all([h.describe(), h.fetchHistory()]);
      return { activities: (d.raw.pendingActivities ?? []).length, last: history.events?.at(-1)?.eventType };
    },
    (q) => q.activities === 0 && q.last !== WFT_SCHEDULED && q.last !== WFT_STARTED,
    'the case at rest (no activity or workflow task in flight)',
  );
  const events = await historyLength(h);
  noteErrorAsserted(code);
  await assert.rejects(send, (err: unknown) => {
    assert.ok(
      err instanceof WorkflowUpdateFailedError,
      `expected WorkflowUpdateFailedError, got ${String(err)}`,
    );
    assert.ok(err.cause instanceof ApplicationFailure, `expected an ApplicationFailure cause`);
    assert.equal(err.cause.type, code);
    return true;
  });
  assert.deepEqual(unchangedPart(await status(h)), before);
  assert.equal(await historyLength(h), events);
}

/** An Update the workflow's validator refuses with `code` (noted for the error catalogue's coverage). */
export async function refusedUpdate(code: ErrorCode, attempt: () => Promise<unknown>): Promise<void> {
  noteErrorAsserted(code);
  await assert.rejects(attempt, (err: unknown) => {
    assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, code);
    return true;
  });
}
