import { CancellationScope, condition, isCancellation, upsertMemo } from '@temporalio/workflow';
import { findingCallbackBody } from '../../shared/domain/clearinghouse/callbacks';
import type { FindingCallback, FindingRecord } from '../../shared/domain/clearinghouse/finding';
import { asRecorded } from '../../shared/domain/sealed';
import { iso } from '../../shared/domain/time';
import { deliverer, describe } from '../review/courier';

const MOST_PER_DELIVERY = 10;
/** The presets' give-up horizon: past it the event is marked failed and the next one is sent. */
const GIVE_UP_DAYS = 3;

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
          deliverer(GIVE_UP_DAYS, true).deliverCallbacks({
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
      Object.assign(jobs[0], { status: 'FAILED', error: describe(err).detail });
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
