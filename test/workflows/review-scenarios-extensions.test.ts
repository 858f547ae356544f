import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorCode } from '../../shared/domain/errors';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  startReview,
  status,
  unchangedPart,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { withDevServerWorker } from '../helpers/workers';

/*
 * These run on the real dev server: it drops the speculative workflow task of a rejected update, so "no trace"
 * includes the history. (The time-skipping test server records that task's three events.) Nothing here needs
 * time to pass. The lab's callbacks are delivered before each check, and every case is terminated once checked.
 */

async function withAcceptedCase(fn: (h: ReviewHandle, day0: number) => Promise<void>): Promise<void> {
  await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
    const h = await startReview(client, taskQueue, completeSubmission());
    const accepted = await untilStage(h, 'NATIONAL_SECURITY');
    await fn(h, Date.parse(accepted.acceptedAt!));
    await h.terminate('test done');
  });
}

const extend = (h: ReviewHandle, agency: string, days: number) =>
  h.executeUpdate(M.requestExtensionUpdate, {
    args: [{ actor: `agency:${agency}`, days, reason: 'the red team needs more time' }],
  });

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

const iso = (ms: number) => new Date(ms).toISOString();
const dues = async (h: ReviewHandle) =>
  Object.fromEntries((await status(h)).agencies.map((a) => [a.agency, a.dueAt]));

describe('review workflow: an agency extends its deadline once (scenario 6)', () => {
  it("moves only the extending agency's deadline, by the days it asked for", async () => {
    await withAcceptedCase(async (h, day0) => {
      await extend(h, 'NSA', 5);
      const s = await status(h);
      assert.deepEqual(await dues(h), {
        NSA: iso(day0 + 50 * DAY_MS),
        CISA: iso(day0 + 45 * DAY_MS),
        DOW: iso(day0 + 45 * DAY_MS),
        CAISI: iso(day0 + 75 * DAY_MS),
        DOE: iso(day0 + 75 * DAY_MS),
        TREASURY: iso(day0 + 75 * DAY_MS),
      });
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.extensionsUsed]),
        [
          ['NSA', 1],
          ['CISA', 0],
          ['DOW', 0],
          ['CAISI', 0],
          ['DOE', 0],
          ['TREASURY', 0],
        ],
      );
      assert.equal(
        s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt,
        iso(day0 + 45 * DAY_MS),
      );
      assert.deepEqual(s.timeline.map((e) => [e.actor, e.type]).at(-1), ['agency:NSA', 'CLOCK_EXTENDED']);
    });
  });

  it('rejects a second extension by the same agency with EXTENSION_ALREADY_USED, leaving no trace', async () => {
    await withAcceptedCase(async (h, day0) => {
      await extend(h, 'NSA', 5);
      await rejectedWithoutTrace(h, 'EXTENSION_ALREADY_USED', () => extend(h, 'NSA', 2));
      assert.equal((await dues(h)).NSA, iso(day0 + 50 * DAY_MS));
    });
  });

  it('rejects an extension of 11 days (the policy allows 10) with EXTENSION_TOO_LONG, leaving no trace', async () => {
    await withAcceptedCase(async (h, day0) => {
      await rejectedWithoutTrace(h, 'EXTENSION_TOO_LONG', () => extend(h, 'CISA', 11));
      assert.equal((await dues(h)).CISA, iso(day0 + 45 * DAY_MS));
    });
  });
});
