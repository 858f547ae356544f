import type { Actor } from '../principal';
import { iso } from '../time';
import { EVENTS, type EventPayload, type EventType, type LabEventType } from './events';
import type { Receipt } from './receipt';
import type { CaseState } from './state';

export { Receipt } from './receipt';

/** The payload a lab event must carry; the others carry none. */
type PayloadArg<T extends EventType> = T extends LabEventType ? [payload: EventPayload<T>] : [];

/**
 * Appends one event to the case's timeline and, for the lab's events (events.ts), to the lab's ordered event
 * stream that its status callbacks deliver. The payload is unclassified by construction: restricted notes
 * are never passed in.
 */
export function record<T extends EventType>(
  c: CaseState,
  now: Date,
  actor: Actor,
  type: T,
  summary: string,
  ...[payload]: PayloadArg<T>
): Receipt {
  const spec = EVENTS[type];
  const at = iso(now);
  const entry: CaseState['timeline'][number] = { seq: c.timeline.length + 1, at, actor, type, summary };
  if (spec.audience === 'lab') {
    const labSummary = (spec as { labSummary?: (p: unknown) => string }).labSummary?.(payload);
    if (labSummary !== undefined) entry.labSummary = labSummary;
  }
  c.timeline.push(entry);
  if (spec.audience === 'lab') {
    const sequence = c.labEvents.length + 1;
    const { submissionId } = c.submission;
    c.labEvents.push({
      id: `${submissionId}:${sequence}`,
      submissionId,
      sequence,
      type: type as LabEventType,
      occurredAt: at,
      payload: payload ?? {},
    });
  }
  return { seq: entry.seq, at };
}
