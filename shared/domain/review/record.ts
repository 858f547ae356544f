import type { Receipt } from '../messages';
import type { Actor } from '../principal';
import { iso } from './clock';
import type { CaseState } from './state';

/**
 * Appends one accepted event to the case's timeline and, when the lab may know of it, to the lab's ordered
 * event stream (the status callbacks). The payload given here is unclassified by construction: restricted
 * notes are never passed in.
 */
export function record(
  c: CaseState,
  now: Date,
  actor: Actor,
  type: string,
  summary: string,
  labPayload?: Record<string, unknown>,
): Receipt {
  const entry = { seq: c.timeline.length + 1, at: iso(now), actor, type, summary };
  c.timeline.push(entry);
  if (labPayload !== undefined) {
    const sequence = c.labEvents.length + 1;
    const { submissionId } = c.submission;
    c.labEvents.push({
      id: `${submissionId}:${sequence}`,
      submissionId,
      sequence,
      type,
      occurredAt: entry.at,
      payload: labPayload,
    });
  }
  return { seq: entry.seq, at: entry.at };
}
