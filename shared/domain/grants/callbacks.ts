import { z } from 'zod';
import {
  GRANT_END_REASONS,
  GRANT_EVENT_TYPES,
  GRANT_STATES,
  type GrantCallback,
  type GrantRecord,
} from './grant';

/**
 * A grant's status callback to its lab: the step, and the grant as that step left it (the operator, the
 * nominating agency, the dates and the words of each side: all unclassified, all the lab's to know). Signed and
 * sent as a case's callbacks are, on the case's endpoint, ids `grant:<grantId>:<n>`.
 */
export function grantCallbackPayload(r: GrantRecord): Record<string, unknown> {
  const f = r.filing;
  const last = r.events[r.events.length - 1];
  return {
    grantId: f.grantId,
    caseId: f.caseId,
    operator: f.operator,
    nominatedBy: f.nominatedBy,
    state: r.state,
    answerDue: r.answerDue,
    ...(r.endsAt === undefined ? {} : { endsAt: r.endsAt }),
    ...(r.endReason === undefined ? {} : { endReason: r.endReason }),
    ...(last?.note === undefined ? {} : { note: last.note }),
  };
}

/** The request body of one callback (the shape shared/node/callback-signature.ts signs). */
export function grantCallbackBody(r: GrantRecord, cb: GrantCallback) {
  return {
    id: `grant:${r.filing.grantId}:${cb.seq}`,
    submissionId: r.filing.submissionId,
    sequence: cb.seq,
    type: cb.type,
    occurredAt: cb.at,
    payload: cb.payload,
  };
}

/** The callback contract of a grant's events, declared for receivers (README, "Early access"). */
let declared: z.ZodObject | undefined;
export const grantCallbackContract = (): z.ZodObject =>
  (declared ??= z.strictObject({
    id: z.string().regex(/^grant:[^:]+:\d+$/),
    submissionId: z.string(),
    sequence: z.int().positive(),
    type: z.enum(GRANT_EVENT_TYPES),
    occurredAt: z.iso.datetime(),
    payload: z.strictObject({
      grantId: z.string(),
      caseId: z.string(),
      operator: z.string(),
      nominatedBy: z.string(),
      state: z.enum(GRANT_STATES),
      answerDue: z.iso.datetime(),
      endsAt: z.iso.datetime().optional(),
      endReason: z.enum(GRANT_END_REASONS).optional(),
      note: z.string().optional(),
    }),
  }));
