import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection, type ErrorCode } from '../errors';
import { roleOf } from '../principal';
import { isUnsealed, SEALED_NOTE } from '../sealed';
import { envelope, stampActs } from '../envelope';
import { parsedPayload, signedAsSent, type Payload } from '../review/messages/define';
import { isSignedActName } from '../signed-act';
import type { FindingRecord, FindingState } from './finding';
import { isAffectedLab, isClearinghouse } from './access';
import {
  discloseFinding,
  extendRemediation,
  isFindingClosed,
  rejectFinding,
  remediateFinding,
  validateFinding,
} from './rules';

/**
 * The messages a running finding accepts, each a Temporal Update with a validator: checked (a refusal writes
 * nothing to history), then applied. Like a case's, they come only through the gateway, sealed with the
 * deployment's key, with the actor the gateway authenticated.
 *
 *   validate, reject        the clearinghouse, while RECEIVED
 *   extend                  the affected lab, once, while VALIDATED and before the deadline
 *   remediated, disclose    the clearinghouse, while VALIDATED
 */

/** What a message to a finding answers: the state it left, and the timeline entry it wrote. */
export interface FindingReceipt {
  findingId: string;
  state: FindingState;
  event: { seq: number; type: string; at: string };
  digest?: string;
}

/**
 * A note or reason as the workflow keeps it: sealed by the gateway with the notes key ring, like a finding's
 * title and description (4,000 characters of text, sealed).
 */
const Note = z.lazy(() => z.string().max(24_000).regex(SEALED_NOTE, 'must be sealed by the gateway'));

interface FindingMessageSpec<S extends z.ZodRawShape> {
  name: string;
  summary: string;
  sender: 'clearinghouse' | 'lab';
  from: FindingState;
  /** The payload's fields besides `actor`, built on first use (as a case's messages, ../review/messages/define.ts). */
  body: () => S;
  rejects: readonly ErrorCode[];
  check?: (r: FindingRecord, now: Date, msg: FindingPayload<S>) => void;
  apply: (r: FindingRecord, now: Date, msg: FindingPayload<S>) => void;
}

/** What a message to a finding carries: its fields, the sender and the request's digest, as a case's do. */
export type FindingPayload<S extends z.ZodRawShape> = Payload<S>;

export interface FindingMessage<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  summary: string;
  sender: 'clearinghouse' | 'lab';
  body: S;
  rejects: readonly ErrorCode[];
  update: ReturnType<typeof defineUpdate<FindingReceipt, [FindingPayload<S>]>>;
  check(r: FindingRecord, now: Date, raw: unknown): void;
  apply(r: FindingRecord, now: Date, msg: FindingPayload<S>): FindingReceipt;
}

export const FINDING_COMMON_REJECTIONS = [
  'VALIDATION_FAILED',
  'NOT_ENTITLED',
  'PAYLOAD_NOT_SEALED',
  'FINDING_CLOSED',
  'FINDING_WRONG_STATE',
] as const satisfies readonly ErrorCode[];

function defineFindingMessage<S extends z.ZodRawShape>(spec: FindingMessageSpec<S>): FindingMessage<S> {
  let body: S | undefined;
  const bodyShape = (): S => (body ??= spec.body());
  let schema: z.ZodObject | undefined;
  const signable = isSignedActName(spec.name);
  const payload = () => (schema ??= envelope(bodyShape(), { signable }));
  return {
    name: spec.name,
    summary: spec.summary,
    sender: spec.sender,
    get body() {
      return bodyShape();
    },
    // An act that is signed is refused when its statement does not say what it does (issue 36).
    rejects: [
      ...FINDING_COMMON_REJECTIONS,
      ...spec.rejects,
      ...(signable ? (['SIGNATURE_INVALID'] as const) : []),
    ],
    update: defineUpdate<FindingReceipt, [FindingPayload<S>]>(spec.name),
    check(r, now, raw) {
      if (isUnsealed(raw))
        throw rejection('PAYLOAD_NOT_SEALED', `${spec.name} was not sealed with a key of this deployment`);
      const msg = parsedPayload<S>(payload(), raw);
      const entitled =
        spec.sender === 'clearinghouse'
          ? roleOf(msg.actor) === 'agency' && isClearinghouse(r, msg.actor)
          : isAffectedLab(r, msg.actor);
      if (!entitled) {
        throw rejection(
          'NOT_ENTITLED',
          spec.sender === 'clearinghouse'
            ? `${spec.name} is sent by the clearinghouse's agencies`
            : `${spec.name} is sent by the lab whose model the finding concerns`,
        );
      }
      signedAsSent([r.filing.findingId], spec.name, msg, r.events);
      if (isFindingClosed(r)) throw rejection('FINDING_CLOSED', `the finding is ${r.state}`);
      if (r.state !== spec.from)
        throw rejection('FINDING_WRONG_STATE', `${spec.name} needs a ${spec.from} finding; it is ${r.state}`);
      spec.check?.(r, now, msg);
    },
    apply(r, now, msg) {
      const from = r.events.length;
      spec.apply(r, now, msg);
      stampActs(r.events, from, msg);
      const e = r.events[r.events.length - 1];
      return {
        findingId: r.filing.findingId,
        state: r.state,
        event: { seq: e.seq, type: e.type, at: e.at },
        ...(msg.digest === undefined ? {} : { digest: msg.digest }),
      };
    },
  };
}

export const FINDING_MESSAGES = {
  validate: defineFindingMessage({
    name: 'validateFinding',
    summary: 'Validate the finding: coordination with the lab starts, under the remediation deadline',
    sender: 'clearinghouse',
    from: 'RECEIVED',
    body: () => ({ note: Note.optional() }),
    rejects: [],
    apply: (r, now, m) => validateFinding(r, now, m.actor, m.note),
  }),
  reject: defineFindingMessage({
    name: 'rejectFinding',
    summary: 'Reject the finding, with the reason',
    sender: 'clearinghouse',
    from: 'RECEIVED',
    body: () => ({ reason: Note }),
    rejects: [],
    apply: (r, now, m) => rejectFinding(r, now, m.actor, m.reason),
  }),
  extend: defineFindingMessage({
    name: 'extendRemediation',
    summary: "Ask for the policy's one extension of the remediation deadline (the lab)",
    sender: 'lab',
    from: 'VALIDATED',
    body: () => ({ reason: Note }),
    rejects: ['FINDING_EXTENSION_USED', 'DEADLINE_PASSED'],
    check: (r, now) => {
      if (r.extended)
        throw rejection('FINDING_EXTENSION_USED', 'the remediation deadline was already extended');
      if (now.getTime() >= Date.parse(r.remediationDue!))
        throw rejection('DEADLINE_PASSED', `the remediation deadline passed at ${r.remediationDue}`);
    },
    apply: (r, now, m) => extendRemediation(r, now, m.actor, m.reason),
  }),
  remediated: defineFindingMessage({
    name: 'remediateFinding',
    summary: "Record that the lab's fix was confirmed: the finding ends remediated",
    sender: 'clearinghouse',
    from: 'VALIDATED',
    body: () => ({ note: Note.optional() }),
    rejects: [],
    apply: (r, now, m) => remediateFinding(r, now, m.actor, m.note),
  }),
  disclose: defineFindingMessage({
    name: 'discloseFinding',
    summary: 'Disclose the finding publicly (TLP:CLEAR); it ends disclosed',
    sender: 'clearinghouse',
    from: 'VALIDATED',
    body: () => ({ note: Note.optional() }),
    rejects: [],
    apply: (r, now, m) => discloseFinding(r, now, m.actor, m.note),
  }),
} as const;

export const findingQuery = defineQuery<FindingRecord>('finding');
