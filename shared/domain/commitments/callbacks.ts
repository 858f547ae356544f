import { z } from 'zod';
import {
  COMMITMENT_EVENT_TYPES,
  COMMITMENT_FLAGS,
  COMMITMENT_STANDINGS,
  COMMITMENT_STATES,
  standingOf,
  type CommitmentCallback,
  type CommitmentRecord,
} from './commitment';

/**
 * A commitment's status callback to its lab: the step, and the commitment as that step left it. Everything in
 * a commitment is the lab's to know (its text, owner, dates, the statements and reasons are unclassified), so
 * the callback carries it all but the timeline. Signed and sent as a case's callbacks are.
 */
export function commitmentCallbackPayload(r: CommitmentRecord): Record<string, unknown> {
  const f = r.filing;
  const last = r.events[r.events.length - 1];
  return {
    commitmentId: f.commitmentId,
    caseId: f.caseId,
    text: f.text,
    owner: f.owner,
    state: r.state,
    standing: standingOf(r),
    dueAt: r.dueAt,
    ...(r.confirmationDue === undefined ? {} : { confirmationDue: r.confirmationDue }),
    ...(last?.note === undefined ? {} : { note: last.note }),
    flags: [...r.flags],
  };
}

/** The request body of one callback (the shape shared/node/callback-signature.ts signs). */
export function commitmentCallbackBody(r: CommitmentRecord, cb: CommitmentCallback) {
  const f = r.filing;
  return {
    id: `commitment:${f.commitmentId}:${cb.seq}`,
    submissionId: f.submissionId,
    sequence: cb.seq,
    type: cb.type,
    occurredAt: cb.at,
    payload: cb.payload,
  };
}

/** The callback contract of a commitment's events, declared for receivers (README, "Commitments"). */
let declared: z.ZodObject | undefined;
export const commitmentCallbackContract = (): z.ZodObject =>
  (declared ??= z.strictObject({
    id: z.string().regex(/^commitment:[^:]+:\d+$/),
    submissionId: z.string(),
    sequence: z.int().positive(),
    type: z.enum(COMMITMENT_EVENT_TYPES),
    occurredAt: z.iso.datetime(),
    payload: z.strictObject({
      commitmentId: z.string(),
      caseId: z.string(),
      text: z.string(),
      owner: z.string(),
      state: z.enum(COMMITMENT_STATES),
      standing: z.enum(COMMITMENT_STANDINGS),
      dueAt: z.iso.datetime(),
      confirmationDue: z.iso.datetime().optional(),
      note: z.string().optional(),
      flags: z.array(z.enum(COMMITMENT_FLAGS)),
    }),
  }));
