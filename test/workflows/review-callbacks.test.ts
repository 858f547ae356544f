import { Context } from '@temporalio/activity';
import { assertEventTypes } from '../helpers/ledger';
import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  everyAgencyNoConcerns,
  skip,
  startReview,
  status,
  untilAccepted,
  type ReviewHandle,
} from '../helpers/review';
import { startScriptedReceiver, type Reply } from '../helpers/scripted-receiver';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker, withTimeSkippingWorker } from '../helpers/workers';

const ok: Reply = { status: 204 };

async function decideEverything(h: ReviewHandle): Promise<void> {
  await untilAccepted(h);
  await everyAgencyNoConcerns(h);
}

/** Every event of the case, each accepted exactly once, in sequence order. */
async function assertDeliveredInOrderOnce(h: ReviewHandle, accepted: string[]): Promise<void> {
  const s = await status(h);
  const ids = Array.from({ length: s.callbacks.events }, (_, i) => `${s.submissionId}:${i + 1}`);
  assert.deepEqual(accepted, ids);
  assert.equal(s.callbacks.pending, 0);
}

describe('review workflow: lab status callbacks', () => {
  it('delivers every event of a 90-day review once and in order to a receiver that fails, throttles and times out', async () => {
    const receiver = await startScriptedReceiver(({ event, nth }) => {
      if (nth === 1) return { status: 500 };
      if (nth === 2) return { status: 429, headers: { 'Retry-After': '30' } };
      // One slow attempt is enough to prove timeouts retry; more would only cost wall time.
      if (nth === 3 && event.sequence === 1) return 'hang';
      return ok;
    });
    try {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const h = await startReview(client, taskQueue, completeSubmission({ callbackUrl: receiver.url }));
        await decideEverything(h);
        await h.result();
        await assertDeliveredInOrderOnce(h, receiver.accepted());
        assert.ok(receiver.attempts.length > 0, 'the receiver was attempted');
        assert.ok(receiver.attempts.every((a) => a.signatureOk));
        const first = receiver.attempts.filter((a) => a.sequence === 1).map((a) => a.reply);
        assert.deepEqual(first, [
          { status: 500 },
          { status: 429, headers: { 'Retry-After': '30' } },
          'hang',
          ok,
        ]);
      });
    } finally {
      await receiver.close();
    }
  });

  it('gets the backlog to a receiver that was down for a day, while the review went on without it', async () => {
    let down = true;
    const receiver = await startScriptedReceiver(() => (down ? { status: 503 } : ok));
    try {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const h = await startReview(client, taskQueue, completeSubmission({ callbackUrl: receiver.url }));
        await decideEverything(h); // the review does not wait for the lab's endpoint
        await skip('1 day');
        const during = await status(h);
        assert.equal(during.callbacks.delivered, 0);
        assert.equal(during.callbacks.failing, undefined);
        down = false;
        await h.result();
        await assertDeliveredInOrderOnce(h, receiver.accepted());
        assert.ok(receiver.attempts.filter((a) => a.sequence === 1).length > 10, 'retried through the day');
      });
    } finally {
      await receiver.close();
    }
  });

  it('marks an event answered 410 as failed, holds later events behind it, and delivers all after redelivery', async () => {
    let gone = true;
    const receiver = await startScriptedReceiver(() => (gone ? { status: 410 } : ok));
    try {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const h = await startReview(client, taskQueue, completeSubmission({ callbackUrl: receiver.url }));
        await decideEverything(h);
        const failing = await status(h);
        assert.equal(failing.callbacks.failing?.eventId, `${failing.submissionId}:1`);
        assert.match(failing.callbacks.failing?.error ?? '', /^CallbackRejected: /);
        assert.ok(failing.flags.includes('CALLBACK_FAILING'));
        assert.equal(failing.callbacks.delivered, 0);
        assert.deepEqual(receiver.accepted(), []);
        assert.equal(receiver.attempts.length, 1, 'a 410 is not retried');

        gone = false;
        await h.executeUpdate(M.redeliverCallbacks.update, { args: [{ actor: 'ops' }] });
        await h.result();
        await assertDeliveredInOrderOnce(h, receiver.accepted());
        assert.ok(!(await status(h)).flags.includes('CALLBACK_FAILING'));
      });
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the policy horizon of 3 days, then sends the backlog to the endpoint the lab changes to', async () => {
    const dead = await startScriptedReceiver(() => ({ status: 503 }));
    const fresh = await startScriptedReceiver(() => ok);
    try {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const h = await startReview(client, taskQueue, completeSubmission({ callbackUrl: dead.url }));
        await decideEverything(h);
        await skip('4 days');
        const failing = await status(h);
        assert.equal(failing.callbacks.failing?.eventId, `${failing.submissionId}:1`);
        assert.ok(failing.flags.includes('CALLBACK_FAILING'));

        await h.executeUpdate(M.changeCallbackEndpoint.update, {
          args: [{ actor: 'lab:acme', callbackUrl: fresh.url }],
        });
        await h.result();
        await assertDeliveredInOrderOnce(h, fresh.accepted());
        assertEventTypes(
          fresh.attempts.filter((a) => a.type === 'CALLBACK_ENDPOINT_CHANGED' && a.reply !== 'hang'),
          ['CALLBACK_ENDPOINT_CHANGED'],
        );
        assert.deepEqual(dead.accepted(), []);
      });
    } finally {
      await Promise.all([dead.close(), fresh.close()]);
    }
  });

  it('retries after 10 s, doubling to at most an hour within the 3-day horizon, and as soon as Retry-After says', async () => {
    // Real time on the dev server: the Java time-skipping server retries an activity's first failure at once
    // and ignores the delay the activity asks for, so it cannot show the schedule the real server keeps.
    // Event 1 fails once (500), then is throttled (503, Retry-After: 11, longer than an attempt waits out
    // itself), then delivered.
    const receiver = await startScriptedReceiver(({ event, nth }) => {
      if (event.sequence !== 1 || nth === 3) return ok;
      return nth === 1 ? { status: 500 } : { status: 503, headers: { 'Retry-After': '11' } };
    });
    const started: number[] = [];
    const activities = createTestActivities();
    const recording = {
      ...activities,
      async deliverCallbacks(input: Parameters<typeof activities.deliverCallbacks>[0]) {
        if (input.events[0].sequence === 1)
          started.push(Context.current().info.currentAttemptScheduledTimestampMs);
        return activities.deliverCallbacks(input);
      },
    };
    try {
      await withDevServerWorker(recording, async ({ client, taskQueue }) => {
        const h = await startReview(client, taskQueue, completeSubmission({ callbackUrl: receiver.url }));
        await waitFor(
          () => status(h),
          (s) => s.callbacks.delivered >= 1,
          'event 1 delivered',
        );
        // The server's own schedule: 10 s after the 500, then the 11 s the 503 asked for (each gap also holds
        // the previous attempt's own sub-second run).
        const gaps = started.slice(1).map((at, i) => Math.floor((at - started[i]) / 1000));
        assert.deepEqual(gaps, [10, 11]);
        // Beyond the first retry, the policy the server applies: doubling, capped at an hour, for 3 days.
        const history = await h.fetchHistory();
        const scheduled = history.events
          ?.map((e) => e.activityTaskScheduledEventAttributes)
          .find((a) => a?.activityType?.name === 'deliverCallbacks');
        assert.deepEqual(
          {
            initial: Number(scheduled?.retryPolicy?.initialInterval?.seconds),
            coefficient: scheduled?.retryPolicy?.backoffCoefficient,
            maximum: Number(scheduled?.retryPolicy?.maximumInterval?.seconds),
            horizon: Number(scheduled?.scheduleToCloseTimeout?.seconds),
          },
          { initial: 10, coefficient: 2, maximum: 3600, horizon: 3 * 24 * 3600 },
        );
        await h.terminate('test done');
      });
    } finally {
      await receiver.close();
    }
  });
});
