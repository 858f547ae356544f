import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection, type ErrorCode } from '../errors';
import { Principal } from '../principal';
import { isUnsealed } from '../sealed';
import { envelope, stampActs } from '../envelope';
import { parsedPayload, type Payload } from '../review/messages/define';
import { isGrantLab, isGrantNominator, isGrantOperator } from './access';
import type { GrantFiling, GrantRecord, GrantState } from './grant';
import type { CaseClosedSignal } from './workflow';
import { approveGrant, declineGrant, isGrantClosed, reportUse, revokeGrant } from './rules';
import { withinUseBudget } from './budgets';

/**
 * The messages a running grant accepts, each a Temporal Update with a validator: checked (a refusal writes
 * nothing to history), then applied. They come only through the gateway, sealed with the deployment's key, with
 * the actor the gateway authenticated.
 *
 *   approve, decline   the lab, while NOMINATED
 *   revoke             the lab, the nominating agency or the operator, while NOMINATED (not the lab: it
 *                      declines) or ACTIVE
 *   reportUse          the operator, while ACTIVE
 *
 * And one Signal, from the grant's case when it closes (`caseClosed`): workflow to workflow.
 */

/** What a message to a grant answers: the state it left, and the timeline entry it wrote. */
export interface GrantReceipt {
  grantId: string;
  state: GrantState;
  event: { seq: number; type: string; at: string };
  digest?: string;
}

const Text = () => z.string().trim().min(1).max(4000);

type Sender = 'lab' | 'nominator' | 'operator';
const SENDS: Record<Sender, (f: GrantFiling, p: Principal) => boolean> = {
  lab: isGrantLab,
  nominator: isGrantNominator,
  operator: isGrantOperator,
};
const WHO: Record<Sender, string> = {
  lab: 'the lab',
  nominator: 'the nominating agency',
  operator: 'the operator',
};

interface GrantMessageSpec<S extends z.ZodRawShape> {
  name: string;
  summary: string;
  senders: readonly Sender[];
  /** The states it is accepted in, per sender. */
  from: (sender: Sender) => readonly GrantState[];
  body: () => S;
  /** Release 7: what the sender may still send under the grant's bounds (./budgets.ts), checked last. */
  budget?: (r: GrantRecord, now: Date, msg: Payload<S>) => void;
  apply: (r: GrantRecord, now: Date, msg: Payload<S>) => void;
}

export interface GrantMessage<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  summary: string;
  senders: readonly Sender[];
  body: S;
  rejects: readonly ErrorCode[];
  update: ReturnType<typeof defineUpdate<GrantReceipt, [Payload<S>]>>;
  check(r: GrantRecord, now: Date, raw: unknown): void;
  apply(r: GrantRecord, now: Date, msg: Payload<S>): GrantReceipt;
}

export const GRANT_REJECTIONS = [
  'VALIDATION_FAILED',
  'NOT_ENTITLED',
  'PAYLOAD_NOT_SEALED',
  'GRANT_CLOSED',
  'GRANT_WRONG_STATE',
  'MESSAGE_BUDGET_EXHAUSTED',
] as const satisfies readonly ErrorCode[];

function defineGrantMessage<S extends z.ZodRawShape>(spec: GrantMessageSpec<S>): GrantMessage<S> {
  let body: S | undefined;
  const bodyShape = (): S => (body ??= spec.body());
  let schema: z.ZodObject | undefined;
  const payload = () =>
    (schema ??= envelope(bodyShape()));
  return {
    name: spec.name,
    summary: spec.summary,
    senders: spec.senders,
    get body() {
      return bodyShape();
    },
    rejects: GRANT_REJECTIONS,
    update: defineUpdate<GrantReceipt, [Payload<S>]>(spec.name),
    check(r, now, raw) {
      if (isUnsealed(raw))
        throw rejection('PAYLOAD_NOT_SEALED', `${spec.name} was not sealed with a key of this deployment`);
      const msg = parsedPayload<S>(payload(), raw);
      const sender = spec.senders.find((s) => SENDS[s](r.filing, msg.actor));
      if (sender === undefined) {
        throw rejection(
          'NOT_ENTITLED',
          `${spec.name} is sent by ${spec.senders.map((s) => WHO[s]).join(' or ')}`,
        );
      }
      if (isGrantClosed(r)) throw rejection('GRANT_CLOSED', `the grant is closed, ${r.state}`);
      const from = spec.from(sender);
      if (!from.includes(r.state)) {
        throw rejection(
          'GRANT_WRONG_STATE',
          `${spec.name} by ${WHO[sender]} needs a grant ${from.join(' or ')}; it is ${r.state}`,
        );
      }
      spec.budget?.(r, now, msg);
    },
    apply(r, now, msg) {
      const from = r.events.length;
      spec.apply(r, now, msg);
      stampActs(r.events, from, msg);
      const e = r.events[r.events.length - 1];
      return {
        grantId: r.filing.grantId,
        state: r.state,
        event: { seq: e.seq, type: e.type, at: e.at },
        ...(msg.digest === undefined ? {} : { digest: msg.digest }),
      };
    },
  };
}

export const GRANT_MESSAGES = {
  approve: defineGrantMessage({
    name: 'approveGrant',
    summary:
      'Approve the nomination (the lab): access runs until the release, or the window’s end, plus 30 days',
    senders: ['lab'],
    from: () => ['NOMINATED'],
    body: () => ({ note: Text().optional() }),
    apply: (r, now, m) => approveGrant(r, now, m.actor, m.note),
  }),
  decline: defineGrantMessage({
    name: 'declineGrant',
    summary: 'Decline the nomination (the lab): participation is voluntary',
    senders: ['lab'],
    from: () => ['NOMINATED'],
    body: () => ({ note: Text().optional() }),
    apply: (r, now, m) => declineGrant(r, now, m.actor, m.note),
  }),
  revoke: defineGrantMessage({
    name: 'revokeGrant',
    summary: 'End the grant sooner, with the reason (the lab, the nominating agency or the operator)',
    senders: ['lab', 'nominator', 'operator'],
    from: (s) => (s === 'lab' ? ['ACTIVE'] : ['NOMINATED', 'ACTIVE']),
    body: () => ({ reason: Text() }),
    apply: (r, now, m) => revokeGrant(r, now, m.actor, m.reason),
  }),
  reportUse: defineGrantMessage({
    name: 'reportGrantUse',
    summary: 'Report that the access was used (the operator), with what for',
    senders: ['operator'],
    from: () => ['ACTIVE'],
    body: () => ({ note: Text() }),
    budget: (r, now, m) => withinUseBudget(r, now, m.actor, m.note),
    apply: (r, now, m) => reportUse(r, now, m.actor, m.note),
  }),
} as const;
export type GrantMessageName = keyof typeof GRANT_MESSAGES;

export const grantQuery = defineQuery<GrantRecord>('grant');

/** The case tells its grants that it closed, and how (checked on arrival: anything else is logged and dropped). */
export const caseClosedSignal = defineSignal<[CaseClosedSignal]>('caseClosed');

let closing: z.ZodObject | undefined;
export const CaseClosedPayload = (): z.ZodObject =>
  (closing ??= z.strictObject({
    reason: z.string().min(1).max(40),
    at: z.iso.datetime(),
    releasedAt: z.iso.datetime().optional(),
  }));
