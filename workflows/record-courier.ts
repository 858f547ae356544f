import type { QueuedCallback } from '../shared/domain/queued-callback';
import { CancellationScope, condition, isCancellation, upsertMemo } from '@temporalio/workflow';
import { asRecorded } from '../shared/domain/sealed';
import { iso } from '../shared/domain/time';
import { deliverer, describe } from './review/courier';

const MOST_PER_DELIVERY = 10;
/** The presets' give-up horizon: past it the event is marked failed and the next one is sent. */
const GIVE_UP_DAYS = 3;

export interface RecordMail<C extends QueuedCallback> {
  labId: string;
  /** The lab's endpoint, read at each delivery (a lab's record follows its latest case's). */
  url: string | (() => string);
  callbacks: () => C[];
  /** The request body of one callback (the shape shared/node/callback-signature.ts signs). */
  body: (cb: C) => unknown;
}

const pendingOf = <C extends QueuedCallback>(all: C[]): C[] => all.filter((c) => c.status === 'PENDING');

/** Every event the lab is due has been delivered or given up on. */
export const callbacksDone = (all: QueuedCallback[]): boolean => pendingOf(all).length === 0;

/**
 * The lab's callbacks for one record, in order, beside the record's clock and never in its way (as a case's
 * courier: ./review/courier.ts). An event that fails permanently, or past the horizon, is marked FAILED with
 * the reason, and the next one is sent.
 */
export function createRecordCourier<C extends QueuedCallback>(mail: RecordMail<C>) {
  let stopped = false;
  let inflight: CancellationScope | undefined;
  const pending = () => pendingOf(mail.callbacks());

  async function deliverNext(): Promise<void> {
    const jobs = pending().slice(0, MOST_PER_DELIVERY);
    inflight = new CancellationScope();
    try {
      const { delivered } = asRecorded(
        await inflight.run(() =>
          deliverer(GIVE_UP_DAYS, true).deliverCallbacks({
            labId: mail.labId,
            url: typeof mail.url === 'string' ? mail.url : mail.url(),
            events: jobs.map((j) => mail.body(j)) as never,
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
      upsertMemo({
        callbacks: { delivered: mail.callbacks().filter((c) => c.status === 'DELIVERED').length },
      });
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
        await condition(() => stopped || pending().length > 0);
        if (stopped) return;
        await deliverNext();
      }
    },
    stop(): void {
      stopped = true;
      inflight?.cancel();
    },
    /** The record ends: what the grace did not deliver is marked failed, for the record. */
    giveUpPending(): void {
      const at = iso(new Date());
      for (const c of pending()) Object.assign(c, { status: 'FAILED', error: `not delivered by ${at}` });
    },
  };
}
