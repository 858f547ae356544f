import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection, type ErrorCode } from '../errors';
import { isUnsealed } from '../sealed';
import { envelope, stampActs } from '../envelope';
import { parsedPayload, type Payload } from '../review/messages/define';
import { isCommitmentLab, isCommitmentOwner } from './access';
import type { CommitmentRecord, CommitmentState } from './commitment';
import { attestCommitment, confirmCommitment, disputeCommitment, isCommitmentClosed } from './rules';
import { withinCommitmentBudget } from './bounds';

/**
 * The messages a running commitment accepts, each a Temporal Update with a validator: checked (a refusal writes
 * nothing to history), then applied. They come only through the gateway, sealed with the deployment's key, with
 * the actor the gateway authenticated.
 *
 *   attest             the lab, while OPEN or OVERDUE (late)
 *   confirm, dispute   the owner (its agency, or the chair for its own), while ATTESTED
 */

/** What a message to a commitment answers: the state it left, and the timeline entry it wrote. */
export interface CommitmentReceipt {
  commitmentId: string;
  state: CommitmentState;
  event: { seq: number; type: string; at: string };
  digest?: string;
}

/** An unclassified text the lab reads too: a statement, a note, a reason. */
const Text = () => z.string().trim().min(1).max(4000);

interface CommitmentMessageSpec<S extends z.ZodRawShape> {
  name: string;
  summary: string;
  sender: 'lab' | 'owner';
  from: readonly CommitmentState[];
  body: () => S;
  apply: (r: CommitmentRecord, now: Date, msg: Payload<S>) => void;
}

export interface CommitmentMessage<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  summary: string;
  sender: 'lab' | 'owner';
  body: S;
  rejects: readonly ErrorCode[];
  update: ReturnType<typeof defineUpdate<CommitmentReceipt, [Payload<S>]>>;
  check(r: CommitmentRecord, now: Date, raw: unknown): void;
  apply(r: CommitmentRecord, now: Date, msg: Payload<S>): CommitmentReceipt;
}

export const COMMITMENT_REJECTIONS = [
  'VALIDATION_FAILED',
  'NOT_ENTITLED',
  'PAYLOAD_NOT_SEALED',
  'COMMITMENT_CLOSED',
  'COMMITMENT_WRONG_STATE',
  'MESSAGE_BUDGET_EXHAUSTED',
] as const satisfies readonly ErrorCode[];

function defineCommitmentMessage<S extends z.ZodRawShape>(
  spec: CommitmentMessageSpec<S>,
): CommitmentMessage<S> {
  let body: S | undefined;
  const bodyShape = (): S => (body ??= spec.body());
  let schema: z.ZodObject | undefined;
  const payload = () =>
    (schema ??= envelope(bodyShape()));
  return {
    name: spec.name,
    summary: spec.summary,
    sender: spec.sender,
    get body() {
      return bodyShape();
    },
    rejects: COMMITMENT_REJECTIONS,
    update: defineUpdate<CommitmentReceipt, [Payload<S>]>(spec.name),
    check(r, _now, raw) {
      if (isUnsealed(raw))
        throw rejection('PAYLOAD_NOT_SEALED', `${spec.name} was not sealed with a key of this deployment`);
      const msg = parsedPayload<S>(payload(), raw);
      const f = r.filing;
      if (spec.sender === 'lab' && !isCommitmentLab(f, msg.actor)) {
        throw rejection('NOT_ENTITLED', `${spec.name} is sent by the lab that made the commitment`);
      }
      if (spec.sender === 'owner' && !isCommitmentOwner(f, msg.actor)) {
        throw rejection('NOT_ENTITLED', `${spec.name} is sent by the commitment's owner, ${f.owner}`);
      }
      if (isCommitmentClosed(r)) throw rejection('COMMITMENT_CLOSED', `the commitment is closed, ${r.state}`);
      if (!spec.from.includes(r.state)) {
        throw rejection(
          'COMMITMENT_WRONG_STATE',
          `${spec.name} needs a commitment ${spec.from.join(' or ')}; it is ${r.state}`,
        );
      }
      withinCommitmentBudget(r, msg.actor, spec.sender === 'lab' ? 'attestations' : 'answers');
    },
    apply(r, now, msg) {
      const from = r.events.length;
      spec.apply(r, now, msg);
      stampActs(r.events, from, msg);
      const e = r.events[r.events.length - 1];
      return {
        commitmentId: r.filing.commitmentId,
        state: r.state,
        event: { seq: e.seq, type: e.type, at: e.at },
        ...(msg.digest === undefined ? {} : { digest: msg.digest }),
      };
    },
  };
}

export const COMMITMENT_MESSAGES = {
  attest: defineCommitmentMessage({
    name: 'attestCommitment',
    summary: 'Attest that the commitment is kept (the lab), with a statement; late once it is overdue',
    sender: 'lab',
    from: ['OPEN', 'OVERDUE'],
    body: () => ({ statement: Text() }),
    apply: (r, now, m) => attestCommitment(r, now, m.actor, m.statement),
  }),
  confirm: defineCommitmentMessage({
    name: 'confirmCommitment',
    summary: "Confirm the lab's attestation (the owner): the commitment is kept",
    sender: 'owner',
    from: ['ATTESTED'],
    body: () => ({ note: Text().optional() }),
    apply: (r, now, m) => confirmCommitment(r, now, m.actor, m.note),
  }),
  dispute: defineCommitmentMessage({
    name: 'disputeCommitment',
    summary: "Dispute the lab's attestation (the owner), with the reason: the commitment is broken",
    sender: 'owner',
    from: ['ATTESTED'],
    body: () => ({ reason: Text() }),
    apply: (r, now, m) => disputeCommitment(r, now, m.actor, m.reason),
  }),
} as const;

export const commitmentQuery = defineQuery<CommitmentRecord>('commitment');
