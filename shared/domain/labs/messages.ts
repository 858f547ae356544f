import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection, type ErrorCode } from '../errors';
import { isUnsealed } from '../sealed';
import { envelope, stampActs } from '../envelope';
import { parsedPayload, signedAsSent, type Payload } from '../review/messages/define';
import type { LabRecord, LabStatus } from './record';
import { changeStatus } from './rules';
import { withinStatusBudget } from './bounds';

/**
 * The messages a lab's record accepts:
 *
 *   designateTrustedPartner   the chair, with a reason, while the lab is a PARTICIPANT   (Update)
 *   revokeTrustedPartner      the chair, with a reason, while the lab is a TRUSTED_PARTNER (Update)
 *   labFact                   its cases and commitments, through the reportToLab activity (Signal)
 *
 * Updates are checked by their validator (a refusal writes nothing), then applied; they come only through
 * the gateway, sealed with the deployment's key, with the actor it authenticated and the policy's proposal.
 */
export interface LabReceipt {
  labId: string;
  status: LabStatus;
  event: { seq: number; type: string; at: string };
  digest?: string;
}

export const LAB_REJECTIONS = [
  'VALIDATION_FAILED',
  'NOT_ENTITLED',
  'PAYLOAD_NOT_SEALED',
  'LAB_WRONG_STATUS',
  'MESSAGE_BUDGET_EXHAUSTED',
] as const satisfies readonly ErrorCode[];

const shape = () => ({
  reason: z.string().trim().min(1).max(4000),
  /** The policy in force's proposal when the chair decided, as the gateway computed it. */
  eligible: z.boolean(),
});
type Shape = ReturnType<typeof shape>;

export interface LabMessage {
  name: 'designateTrustedPartner' | 'revokeTrustedPartner';
  /** The codes it can be refused with. */
  rejects: readonly ErrorCode[];
  summary: string;
  to: LabStatus;
  update: ReturnType<typeof defineUpdate<LabReceipt, [Payload<Shape>]>>;
  check(r: LabRecord, raw: unknown, now?: Date): void;
  apply(r: LabRecord, now: Date, msg: Payload<Shape>): LabReceipt;
}

let schema: z.ZodObject | undefined;
// Both messages are the chair's decisions, which may be signed (issue 36).
const payload = () => (schema ??= envelope(shape(), { signable: true }));

function defineLabMessage(
  name: LabMessage['name'],
  summary: string,
  from: LabStatus,
  to: LabStatus,
): LabMessage {
  return {
    name,
    rejects: [...LAB_REJECTIONS, 'SIGNATURE_INVALID'],
    summary,
    to,
    update: defineUpdate<LabReceipt, [Payload<Shape>]>(name),
    check(r, raw, now = new Date()) {
      if (isUnsealed(raw))
        throw rejection('PAYLOAD_NOT_SEALED', `${name} was not sealed with a key of this deployment`);
      const msg = parsedPayload<Shape>(payload(), raw);
      if (msg.actor !== 'chair') throw rejection('NOT_ENTITLED', `${name} is the review chair's`);
      signedAsSent([r.labId], name, msg, r.events);
      if (r.status !== from) {
        throw rejection('LAB_WRONG_STATUS', `${name} needs a lab that is ${from}; ${r.labId} is ${r.status}`);
      }
      // Release 7: the chair's status changes and their reasons are bounded (./bounds.ts).
      withinStatusBudget(r, now, msg.actor, msg.reason);
    },
    apply(r, now, msg) {
      const from = r.events.length;
      changeStatus(r, to, now, msg.actor, msg.reason, msg.eligible);
      stampActs(r.events, from, msg);
      const e = r.events[r.events.length - 1];
      return {
        labId: r.labId,
        status: r.status,
        event: { seq: e.seq, type: e.type, at: e.at },
        ...(msg.digest === undefined ? {} : { digest: msg.digest }),
      };
    },
  };
}

export const LAB_MESSAGES = {
  designate: defineLabMessage(
    'designateTrustedPartner',
    'Designate the lab a trusted partner (the chair), with the reason',
    'PARTICIPANT',
    'TRUSTED_PARTNER',
  ),
  revoke: defineLabMessage(
    'revokeTrustedPartner',
    "Revoke the lab's trusted-partner status (the chair), with the reason",
    'TRUSTED_PARTNER',
    'PARTICIPANT',
  ),
} as const;

export const labFactSignal = defineSignal<[unknown]>('labFact');
export const labQuery = defineQuery<LabRecord>('lab');
