import { z } from 'zod';
import { submissionIdOfCase } from '../review/workflow';
import { isSealedNote } from '../sealed';
import {
  FindingEventType,
  FindingFlag,
  FindingState,
  SeverityRating,
  Tlp,
  type FindingCallback,
  type FindingRecord,
} from './finding';

/**
 * A finding's status callback to its lab: the step, and the finding as that step left it, at the detail its
 * TLP allows on the wire. The title and description never travel in a callback (a TLP:RED finding's score and
 * vector do not either): the lab's named security contacts read them from the API. Nor does a vector the
 * gateway sealed (a TLP:AMBER or RED filing's, gateway/codec-policy.ts), which the workers cannot open, even
 * once the finding is disclosed. Signed and sent as a case's callbacks are; `submissionId` is the linked
 * case's submission id, or the finding id without a case.
 */
export function findingCallbackPayload(r: FindingRecord): Record<string, unknown> {
  const f = r.filing;
  const s = f.detail.severity;
  return {
    findingId: f.findingId,
    ...(f.caseId === undefined ? {} : { caseId: f.caseId }),
    state: r.state,
    tlp: r.tlp,
    severity:
      r.tlp === 'RED'
        ? { rating: s.rating }
        : { rating: s.rating, score: s.score, ...(isSealedNote(s.vector) ? {} : { vector: s.vector }) },
    validationDue: r.validationDue,
    ...(r.remediationDue === undefined ? {} : { remediationDue: r.remediationDue }),
    ...(r.disclosureDue === undefined ? {} : { disclosureDue: r.disclosureDue }),
    flags: [...r.flags],
  };
}

/** The request body of one callback (the shape shared/node/callback-signature.ts signs). */
export function findingCallbackBody(r: FindingRecord, cb: FindingCallback) {
  const f = r.filing;
  return {
    id: `finding:${f.findingId}:${cb.seq}`,
    submissionId: f.caseId === undefined ? f.findingId : submissionIdOfCase(f.caseId),
    sequence: cb.seq,
    type: cb.type,
    occurredAt: cb.at,
    payload: cb.payload,
  };
}

/**
 * The callback contract of a finding's events, declared for receivers (README, "Clearinghouse findings"):
 * built on first use, since the workflow only produces it.
 */
let declared: z.ZodObject | undefined;
export const findingCallbackContract = (): z.ZodObject =>
  (declared ??= z.strictObject({
    id: z.string().regex(/^finding:F-[A-Za-z0-9_-]+:\d+$/),
    submissionId: z.string(),
    sequence: z.int().positive(),
    type: FindingEventType,
    occurredAt: z.iso.datetime(),
    payload: z.strictObject({
      findingId: z.string(),
      caseId: z.string().optional(),
      state: FindingState,
      tlp: Tlp,
      severity: z.strictObject({
        rating: SeverityRating,
        score: z.number().optional(),
        vector: z.string().optional(),
      }),
      validationDue: z.iso.datetime(),
      remediationDue: z.iso.datetime().optional(),
      disclosureDue: z.iso.datetime().optional(),
      flags: z.array(FindingFlag),
    }),
  }));
