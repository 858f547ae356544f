import { z } from 'zod';
import { LAB_CALLBACK_TYPES, LAB_STATUSES, type LabCallback } from './record';

/**
 * A change of a lab's trusted-partner status, told to the lab: a signed callback to the endpoint of its latest
 * case, in a case callback's envelope, with ids `lab:<labId>:<n>` (a stream of their own per lab).
 */
export function labCallbackBody(labId: string, cb: LabCallback) {
  return {
    id: `lab:${labId}:${cb.seq}`,
    submissionId: cb.submissionId,
    sequence: cb.seq,
    type: cb.type,
    occurredAt: cb.at,
    payload: cb.payload,
  };
}

/** The callback contract of a lab's status changes, declared for receivers (README, "Trusted partners"). */
let declared: z.ZodObject | undefined;
export const labCallbackContract = (): z.ZodObject =>
  (declared ??= z.strictObject({
    id: z.string().regex(/^lab:[^:]+:\d+$/),
    submissionId: z.string(),
    sequence: z.int().positive(),
    type: z.enum(LAB_CALLBACK_TYPES),
    occurredAt: z.iso.datetime(),
    payload: z.strictObject({
      labId: z.string(),
      status: z.enum(LAB_STATUSES),
      since: z.iso.datetime(),
      reason: z.string(),
      eligible: z.boolean(),
    }),
  }));
