import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorCode } from '../../shared/domain/errors';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  decide,
  decision,
  startReview,
  status,
  unchangedPart,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { withDevServerWorker, type WorkerContext } from '../helpers/workers';

/*
 * These run on the real dev server: it drops the speculative workflow task of a rejected update, so "no trace"
 * includes the history. (The time-skipping test server records that task's three events.) Nothing here needs
 * time to pass. The lab's callbacks are delivered before each check, and every case is terminated once checked.
 */

/** A case just accepted: the national-security stage is open. */
async function withAcceptedCase(fn: (h: ReviewHandle) => Promise<void>): Promise<void> {
  await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }: WorkerContext) => {
    const h = await startReview(client, taskQueue, completeSubmission());
    await untilStage(h, 'NATIONAL_SECURITY');
    await fn(h);
    await h.terminate('test done');
  });
}

/** Waits (real time, bounded) until the lab has every event so far, so that deliveries do not change the case. */
async function untilDelivered(h: ReviewHandle): Promise<ReviewStatus> {
  let s = await status(h);
  for (let i = 0; i < 200 && s.callbacks.pending > 0; i++) {
    await new Promise((r) => setTimeout(r, 25));
    s = await status(h);
  }
  assert.equal(s.callbacks.pending, 0, 'callbacks still pending');
  return s;
}

const historyLength = async (h: ReviewHandle) => (await h.fetchHistory()).events?.length;

/** The update is rejected with `code`, and neither the case nor its history shows any trace of it. */
async function rejectedWithoutTrace(h: ReviewHandle, code: ErrorCode, send: () => Promise<unknown>) {
  const before = unchangedPart(await untilDelivered(h));
  const events = await historyLength(h);
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

describe('review workflow: messages out of turn are rejected without a trace (scenario 8)', () => {
  it('rejects a civilian agency deciding during the national-security stage with WRONG_STAGE', async () => {
    await withAcceptedCase(async (h) => {
      await rejectedWithoutTrace(h, 'WRONG_STAGE', () => decide(h, 'CAISI', decision('NO_CONCERNS')));
    });
  });

  it('rejects a second decision from the same agency with ALREADY_DECIDED; the first one stands', async () => {
    await withAcceptedCase(async (h) => {
      await decide(h, 'NSA', decision('NO_CONCERNS'));
      await rejectedWithoutTrace(h, 'ALREADY_DECIDED', () =>
        decide(h, 'NSA', decision('CONCERNS_UNRESOLVED')),
      );
      const nsa = (await status(h)).agencies.find((a) => a.agency === 'NSA');
      assert.equal(nsa?.decision?.kind, 'NO_CONCERNS');
    });
  });

  it('rejects another lab acting on the case with NOT_ENTITLED', async () => {
    await withAcceptedCase(async (h) => {
      await rejectedWithoutTrace(h, 'NOT_ENTITLED', () =>
        h.executeUpdate(M.withdrawUpdate, { args: [{ actor: 'lab:other', reason: 'not my model' }] }),
      );
    });
  });

  it('rejects the chair resolving a case that is not escalated with NOT_ESCALATED', async () => {
    await withAcceptedCase(async (h) => {
      await rejectedWithoutTrace(h, 'NOT_ESCALATED', () =>
        h.executeUpdate(M.resolveEscalationUpdate, {
          args: [{ actor: 'chair', outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'nothing to resolve' }],
        }),
      );
    });
  });

  it('rejects a malformed decision (kind MAYBE) with VALIDATION_FAILED', async () => {
    await withAcceptedCase(async (h) => {
      // Sent by name: the typed definition would not let a test build this payload.
      await rejectedWithoutTrace(h, 'VALIDATION_FAILED', () =>
        h.executeUpdate('recordDecision', {
          args: [{ actor: 'agency:NSA', decision: { kind: 'MAYBE', summary: 'undecided' } }],
        }),
      );
    });
  });
});
