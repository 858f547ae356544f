import type { ChangeCallbackEndpoint, RedeliverCallbacks } from '../messages';
import { iso } from './clock';
import { record } from './record';
import type { CaseState, LabEvent } from './state';

/**
 * The delivery ledger of the lab's status callbacks. Events go out one at a time in sequence order; an event
 * that fails past the give-up horizon blocks those behind it (order is part of the contract) until operations
 * staff redeliver or the lab changes its endpoint.
 */
export interface Delivery {
  eventId: string;
  status: 'DELIVERED' | 'FAILED';
  at: string;
  /** The attempt that succeeded. */
  attempts?: number;
  httpStatus?: number;
  error?: string;
  endpoint: string;
}

export interface CallbackLedger {
  /** Index in labEvents of the next event to send in order. */
  cursor: number;
  /** The event holding the line after it failed; cleared by a redelivery or an endpoint change. */
  blockedOn?: string;
  /** Already-delivered events operations asked to send again (at least once; receivers de-duplicate). */
  redeliver: string[];
  deliveries: Delivery[];
}

export const newLedger = (): CallbackLedger => ({ cursor: 0, redeliver: [], deliveries: [] });

export interface CallbackJob {
  event: LabEvent;
  /** A repeat of an event already delivered: does not move the cursor. */
  repeat: boolean;
}

/** The next event to send, if the courier may send one now. */
export function nextJob(c: CaseState): CallbackJob | undefined {
  const l = c.callbacks;
  if (c.submission.callbackUrl === undefined || l.blockedOn !== undefined) return undefined;
  const repeatId = l.redeliver[0];
  if (repeatId !== undefined) {
    const event = c.labEvents.find((e) => e.id === repeatId);
    if (event !== undefined) return { event, repeat: true };
  }
  const event = c.labEvents[l.cursor];
  return event && { event, repeat: false };
}

export const allDelivered = (c: CaseState): boolean =>
  c.callbacks.cursor >= c.labEvents.length && c.callbacks.redeliver.length === 0;

export function markDelivered(
  c: CaseState,
  job: CallbackJob,
  r: { status: number; attempt: number },
  now: Date,
): void {
  const l = c.callbacks;
  l.deliveries.push({
    eventId: job.event.id,
    status: 'DELIVERED',
    at: iso(now),
    attempts: r.attempt,
    httpStatus: r.status,
    endpoint: c.submission.callbackUrl!,
  });
  if (job.repeat) l.redeliver.shift();
  else l.cursor += 1;
}

export function markFailed(c: CaseState, job: CallbackJob, error: string, now: Date): void {
  const l = c.callbacks;
  l.deliveries.push({
    eventId: job.event.id,
    status: 'FAILED',
    at: iso(now),
    error,
    endpoint: c.submission.callbackUrl!,
  });
  if (job.repeat) l.redeliver.shift();
  else l.blockedOn = job.event.id;
}

/** Operations staff: send everything pending again from the failed event on, or repeat one event. */
export function redeliverCallbacks(c: CaseState, msg: RedeliverCallbacks, now: Date) {
  const l = c.callbacks;
  const { eventId } = msg;
  if (eventId === undefined || eventId === l.blockedOn) l.blockedOn = undefined;
  else l.redeliver.push(eventId);
  return record(
    c,
    now,
    msg.actor,
    'CALLBACKS_REDELIVERED',
    `redelivery requested: ${eventId ?? 'everything pending'}`,
  );
}

/** The lab's new endpoint receives everything not yet delivered, starting with a failed event. */
export function changeCallbackEndpoint(c: CaseState, msg: ChangeCallbackEndpoint, now: Date) {
  c.submission = { ...c.submission, callbackUrl: msg.callbackUrl };
  c.callbacks.blockedOn = undefined;
  return record(c, now, msg.actor, 'CALLBACK_ENDPOINT_CHANGED', 'callback endpoint changed', {
    callbackUrl: msg.callbackUrl,
  });
}

export const callbackFailing = (c: CaseState): boolean => c.callbacks.blockedOn !== undefined;

/** The delivery picture the status query shows. */
export function callbackView(c: CaseState) {
  const l = c.callbacks;
  const lastFailure =
    l.blockedOn === undefined
      ? undefined
      : [...l.deliveries].reverse().find((d) => d.eventId === l.blockedOn);
  return {
    endpoint: c.submission.callbackUrl,
    events: c.labEvents.length,
    delivered: l.cursor,
    pending: c.labEvents.length - l.cursor,
    failing: lastFailure && {
      eventId: lastFailure.eventId,
      error: lastFailure.error ?? 'failed',
      at: lastFailure.at,
    },
    deliveries: l.deliveries,
  };
}
