import { iso } from '../time';
import { record } from './record';
import type { Actor } from '../principal';
import type { CallbackErrorCategory, CaseState, LabEvent } from './state';

export const newLedger = (): CaseState['callbacks'] => ({ cursor: 0, redeliver: [], deliveries: [] });

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

/**
 * The events the courier may send now, in order: a repeat alone, otherwise up to `max` pending events from the
 * cursor on.
 */
export function nextJobs(c: CaseState, max: number): CallbackJob[] {
  const first = nextJob(c);
  if (first === undefined || first.repeat) return first === undefined ? [] : [first];
  const l = c.callbacks;
  return c.labEvents.slice(l.cursor, l.cursor + max).map((event) => ({ event, repeat: false }));
}

export const allDelivered = (c: CaseState): boolean =>
  c.callbacks.cursor >= c.labEvents.length && c.callbacks.redeliver.length === 0;

export function markDelivered(
  c: CaseState,
  job: CallbackJob,
  r: { status: number; attempt: number },
  endpoint: string,
  now: Date,
): void {
  const l = c.callbacks;
  l.deliveries.push({
    eventId: job.event.id,
    status: 'DELIVERED',
    at: iso(now),
    attempts: r.attempt,
    httpStatus: r.status,
    endpoint,
  });
  if (job.repeat) l.redeliver.shift();
  else l.cursor += 1;
}

export function markFailed(
  c: CaseState,
  job: CallbackJob,
  error: string,
  category: CallbackErrorCategory,
  endpoint: string,
  now: Date,
): void {
  const l = c.callbacks;
  l.deliveries.push({ eventId: job.event.id, status: 'FAILED', at: iso(now), error, category, endpoint });
  if (job.repeat) l.redeliver.shift();
  else l.blockedOn = job.event.id;
}

/** The event a redelivery names, or its index: -1 when the case never had it. */
export const eventIndex = (c: CaseState, eventId: string): number =>
  c.labEvents.findIndex((e) => e.id === eventId);

/** Operations staff or the lab: send everything pending again from the failed event on, or repeat one event. */
export function redeliverCallbacks(c: CaseState, eventId: string | undefined, actor: Actor, now: Date) {
  const l = c.callbacks;
  if (eventId === undefined || eventId === l.blockedOn) l.blockedOn = undefined;
  else l.redeliver.push(eventId);
  return record(
    c,
    now,
    actor,
    'CALLBACKS_REDELIVERED',
    `redelivery requested: ${eventId ?? 'everything pending'}`,
  );
}

/** The lab's new endpoint receives everything not yet delivered, starting with a failed event. */
export function changeCallbackEndpoint(c: CaseState, callbackUrl: string, actor: Actor, now: Date) {
  c.submission = { ...c.submission, callbackUrl };
  c.callbacks.blockedOn = undefined;
  c.callbacks.endpointChanges = (c.callbacks.endpointChanges ?? 0) + 1;
  return record(c, now, actor, 'CALLBACK_ENDPOINT_CHANGED', 'callback endpoint changed', { callbackUrl });
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
      category: lastFailure.category ?? 'FAILED',
      at: lastFailure.at,
    },
    deliveries: l.deliveries,
  };
}
