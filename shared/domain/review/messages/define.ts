import type { UpdateDefinition } from '@temporalio/common';
import { defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection, type ErrorCode } from '../../errors';
import type { ActedBy } from '../../acted-by';
import { envelope, ENVELOPE_FIELDS, stampActs } from '../../envelope';
import { labPrincipal, roleOf, type Principal, type Role } from '../../principal';
import { asRecorded, isUnsealed } from '../../sealed';
import { isSignedActName, signatureRequired, statementProblem, type SignedAct } from '../../signed-act';
import { caseIdOf } from '../workflow';
import { EVERY_FIX, type Fixes } from '../fixes';
import type { Receipt } from '../record';
import type { CaseState } from '../state';

/**
 * The shape of one message a running review accepts: a Temporal Update with a validator. A message is
 * declared once (see ./index.ts); the workflow registers it, the gateway derives its route's body, roles,
 * OpenAPI errors and description from it, and the CLI its help.
 *
 * A message is checked, then applied:
 * - `check` runs in the update's validator: a refusal writes nothing to history and the sender gets the code
 *   at once. It never runs on replay.
 * - `apply` runs in the update's handler, on the payload exactly as recorded, also on replay. So it must not
 *   depend on anything `check` computed: what both need (the agency's slot, the request answered) comes from
 *   `target`, a pure lookup each of them calls.
 */

/** Codes every message can be refused with, whatever it is. */
export const COMMON_REJECTIONS = ['VALIDATION_FAILED', 'NOT_ENTITLED', 'CASE_CLOSED'] as const;
export type CommonRejection = (typeof COMMON_REJECTIONS)[number];

/** Refuses a message with one of the codes it declares (any other code is a compile error). */
export type Reject<C extends ErrorCode> = (code: C, detail?: string) => never;
const reject = (code: ErrorCode, detail?: string): never => {
  throw rejection(code, detail);
};

/**
 * What a message carries: its fields, the principal who sent it and, from the gateway, the digest of the
 * request, which comes back in the receipt.
 */
export type Payload<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>> & {
  actor: Principal;
  by?: ActedBy;
  digest?: string;
  /** The signed statement and its proof, for an act that is signed (../../signed-act.ts). */
  signed?: SignedAct;
};

export interface Context<S extends z.ZodRawShape, C extends ErrorCode> {
  c: CaseState;
  now: Date;
  msg: Payload<S>;
  reject: Reject<C | CommonRejection>;
}

export interface MessageSpec<N extends string, S extends z.ZodRawShape, T, C extends ErrorCode> {
  name: N;
  /** One line for the API reference and the CLI's help. */
  summary: string;
  description?: string;
  senders: readonly Role[];
  /**
   * The payload's fields besides `actor`, built on first use: the workflow bundle's modules are evaluated once
   * per cached case, so a case holds the schemas of the messages it received, not of every message.
   */
  body: () => S;
  /** The codes its own rules can refuse it with, besides COMMON_REJECTIONS. */
  rejects: readonly C[];
  /** Accepted after the case closed too, while its last callbacks are still being delivered. */
  whileClosed?: boolean;
  /** The part of the case it acts on, looked up by the check and again by the apply. */
  target?: (m: Context<S, C>) => T;
  check?: (m: Context<S, C> & { target: T }) => void;
  /** `fixes`: the corrections this case applies now (the workflow asks `patched()`; see ../fixes.ts). */
  apply: (m: Omit<Context<S, C>, 'reject'> & { target: T; fixes: Fixes }) => Receipt;
}

export interface Message<
  N extends string = string,
  S extends z.ZodRawShape = z.ZodRawShape,
  C extends ErrorCode = ErrorCode,
> {
  name: N;
  summary: string;
  description?: string;
  senders: readonly Role[];
  rejects: readonly C[];
  whileClosed: boolean;
  update: UpdateDefinition<Receipt, [Payload<S>]>;
  /** The payload as the validator reads it: `actor` and the body's fields, nothing else. */
  payload: z.ZodObject;
  /** The body's fields, for the HTTP route that sends this message. */
  body: S;
  /** The validator: throws the refusal, changes nothing. */
  check(c: CaseState, now: Date, raw: unknown): void;
  /** The handler: applies a payload as recorded (release 1 recorded them unsealed), with the corrections given. */
  apply(c: CaseState, now: Date, msg: Payload<S>, fixes?: Fixes): Receipt;
}

export { Digest } from '../../envelope';

/** The payload as the schema reads it, or VALIDATION_FAILED listing every issue (a finding's messages too). */
export function parsedPayload<S extends z.ZodRawShape>(schema: z.ZodObject, raw: unknown): Payload<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as Payload<S>;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
  return reject('VALIDATION_FAILED', issues.join('; '));
}

/** Who may send it: the role, and for a lab, the lab that filed this case. */
function entitled(c: CaseState, senders: readonly Role[], actor: Principal, name: string): void {
  const role = roleOf(actor);
  if (role === undefined || !senders.includes(role)) {
    reject('NOT_ENTITLED', `${name} is sent by: ${senders.join(', ')}`);
  }
  if (role === 'lab' && actor !== labPrincipal(c.submission.labId)) {
    reject('NOT_ENTITLED', 'only the submitting lab may do this');
  }
}

/**
 * A signed act's statement says what the message does, for this record (../../signed-act.ts: a case has two
 * names, a finding or a lab's record one), and was not recorded before (`recorded`: the record's history; a
 * signature applies once, whatever update carries it), or SIGNATURE_INVALID. A message without a signature passes.
 */
export function signedAsSent(
  records: readonly string[],
  name: string,
  msg: Payload<z.ZodRawShape>,
  recorded: readonly { signed?: SignedAct }[],
): void {
  if (msg.signed === undefined) return;
  const statement = msg.signed.statement;
  if (recorded.some((e) => e.signed?.statement === statement)) {
    reject('SIGNATURE_INVALID', 'this signed statement was already recorded: a signature applies once');
  }
  const fields = Object.fromEntries(
    Object.entries(msg).filter(([k]) => !(ENVELOPE_FIELDS as readonly string[]).includes(k)),
  );
  const problem = statementProblem(msg.signed, { name, fields, actor: msg.actor, by: msg.by }, records);
  if (problem !== undefined) reject('SIGNATURE_INVALID', problem);
}

/** The policy a case runs under, as `id@version`. */
const policyName = (c: CaseState): string => {
  const p = c.policy ?? c.intakePolicy;
  return p === undefined ? 'none' : `${p.id}@${p.version}`;
};

/** The names a case goes by: its case id, and its submission id (a release-1 case's only name). */
const namesOf = (c: CaseState): string[] => [
  caseIdOf(c.submission.labId, c.submission.submissionId),
  c.submission.submissionId,
];

export function defineMessage<
  const N extends string,
  S extends z.ZodRawShape,
  T = undefined,
  const C extends ErrorCode = never,
>(spec: MessageSpec<N, S, T, C>): Message<N, S, C> {
  // Built when the first such message arrives: a cached workflow holds only the schemas of messages it received.
  let body: S | undefined;
  const bodyShape = (): S => (body ??= spec.body());
  let payload: z.ZodObject | undefined;
  const payloadSchema = (): z.ZodObject =>
    (payload ??= envelope(bodyShape(), { signable: isSignedActName(spec.name) }));
  const targetOf = (m: Context<S, C>): T => (spec.target === undefined ? (undefined as T) : spec.target(m));
  return {
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    senders: spec.senders,
    // An act that is signed is refused when its statement does not say what it does.
    rejects: (isSignedActName(spec.name)
      ? [...spec.rejects, 'SIGNATURE_INVALID', 'SIGNATURE_REQUIRED']
      : spec.rejects) as readonly C[],
    whileClosed: spec.whileClosed === true,
    update: defineUpdate<Receipt, [Payload<S>]>(spec.name),
    get payload() {
      return payloadSchema();
    },
    get body() {
      return bodyShape();
    },
    check(c, now, raw) {
      // Only the gateway seals with this deployment's keys: anything else is refused before it is read.
      if (isUnsealed(raw))
        reject('PAYLOAD_NOT_SEALED', `${spec.name} was not sealed with a key of this deployment`);
      const msg = parsedPayload<S>(payloadSchema(), raw);
      entitled(c, spec.senders, msg.actor, spec.name);
      signedAsSent(namesOf(c), spec.name, msg, c.timeline);
      if (c.stage === 'CLOSED' && spec.whileClosed !== true) {
        reject('CASE_CLOSED', `the case closed (${c.closedReason})`);
      }
      const m = { c, now, msg, reject };
      const target = targetOf(m);
      spec.check?.({ ...m, target });
      // Policy 8: the case's own policy (pinned at acceptance; intake's before) says which acts must be signed.
      // Last: an act the case would refuse anyway is told why, not asked for a signature that would not help.
      if (
        msg.signed === undefined &&
        signatureRequired((c.policy ?? c.intakePolicy)?.signatures, spec.name, msg.by)
      ) {
        reject('SIGNATURE_REQUIRED', `${spec.name} must be signed under policy ${policyName(c)}`);
      }
    },
    apply(c, now, recorded, fixes = EVERY_FIX) {
      const msg = asRecorded(recorded);
      const from = c.timeline.length;
      const receipt = spec.apply({ c, now, msg, fixes, target: targetOf({ c, now, msg, reject }) });
      stampActs(c.timeline, from, msg);
      return msg.digest === undefined ? receipt : { ...receipt, digest: msg.digest };
    },
  };
}
