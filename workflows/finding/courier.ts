import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  upsertMemo,
} from '@temporalio/workflow';
import type { createCallbackActivities } from '../../activities/callbacks';
import { findingCallbackBody } from '../../shared/domain/clearinghouse/callbacks';
import type { FindingCallback, FindingRecord } from '../../shared/domain/clearinghouse/finding';
import { asRecorded } from '../../shared/domain/sealed';
import { iso } from '../../shared/domain/time';

type CallbackActivities = ReturnType<typeof createCallbackActivities>;

const MOST_PER_DELIVERY = 10;

const deliverer = proxyActivities<Pick<CallbackActivities, 'deliverCallbacks'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '30 seconds',
  // The give-up horizon of the presets: past it the event is marked failed and the next one is sent.
  scheduleToCloseTimeout: '3 days',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    nonRetryableErrorTypes: ['CallbackRejected', 'CallbackSecretMissing', 'CallbackUrlInvalid'],
  },
});

const pending = (r: FindingRecord): FindingCallback[] => r.callbacks.filter((c) => c.status === 'PENDING');

/** Every event the lab is due has been delivered or given up on. */
export const findingCallbacksDone = (r: FindingRecord): boolean => pending(r).length === 0;

/**
 * The lab's callbacks for one finding, in order, beside the finding's clock and never in its way (as a case's
 * courier: workflows/review/courier.ts). An event that fails permanently, or past the horizon, is marked
 * FAILED with the reason, and the next one is sent.
 */
export function createFindingCourier(r: FindingRecord) {
  let stopped = false;
  let inflight: CancellationScope | undefined;

  async function deliverNext(): Promise<void> {
    const jobs = pending(r).slice(0, MOST_PER_DELIVERY);
    const url = r.filing.callbackUrl!;
    inflight = new CancellationScope();
    try {
      const { delivered } = asRecorded(
        await inflight.run(() =>
          deliverer.deliverCallbacks({
            labId: r.filing.labId,
            url,
            events: jobs.map((j) => findingCallbackBody(r, j)),
          }),
        ),
      );
      delivered.forEach((result, i) => {
        Object.assign(jobs[i], {
          status: 'DELIVERED',
          attempts: result.attempt,
          deliveredAt: result.deliveredAt,
        });
      });
      // Never a commandless task (see the review's courier): the memo shows what the lab has so far.
      upsertMemo({ callbacks: { delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length } });
    } catch (err) {
      if (isCancellation(err) && stopped) return;
      Object.assign(jobs[0], { status: 'FAILED', error: describe(err) });
    } finally {
      inflight = undefined;
    }
  }

  return {
    async run(): Promise<void> {
      for (;;) {
        await condition(() => stopped || pending(r).length > 0);
        if (stopped) return;
        await deliverNext();
      }
    },
    stop(): void {
      stopped = true;
      inflight?.cancel();
    },
    /** The finding ends: what the grace did not deliver is marked failed, for the record. */
    giveUpPending(): void {
      const at = iso(new Date());
      for (const c of pending(r)) Object.assign(c, { status: 'FAILED', error: `not delivered by ${at}` });
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return `${err.cause.type ?? 'Error'}: ${err.cause.message}`;
  }
  if (err instanceof ActivityFailure) return err.cause?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
