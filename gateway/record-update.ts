import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { ErrorCode } from '../shared/domain/errors';
import type { SignedAct } from '../shared/domain/signed-act';
import type { KeyedDigests } from '../shared/node/digest';
import { entriesOf } from '../shared/node/permanent-record';
import type { RecordStore } from '../shared/node/record-store';
import type { Caller } from './auth';
import { refuseReusedKey } from './idempotency';
import { ApiError } from './problem';

/** What a record's message (a finding's, a commitment's) answers: the request digest rides in its receipt. */
interface DigestedReceipt {
  digest?: string;
}

/**
 * Sends one message to a record's workflow (a finding, a commitment) as an update: with an Idempotency-Key the
 * update id is derived from it, so a retry returns the first receipt, and the same key with another request
 * (told by the keyed digest of the request as sent, `asSent`) is refused. An update to a workflow that has
 * finished is `closed`.
 */
export async function sendRecordUpdate<R extends DigestedReceipt>(opts: {
  handle: WorkflowHandle;
  update: UpdateDefinition<R, [never]>;
  name: string;
  caller: Caller;
  payload: object;
  /** The request as sent: sealing is randomised, and a retry must find its first receipt. */
  asSent: unknown;
  digests: KeyedDigests;
  idempotencyKey?: string;
  within: <T>(fn: () => Promise<T>) => Promise<T>;
  closed: { code: ErrorCode; detail: string };
  /** The act's signature, checked by the gateway (./act-signing.ts); its nonce keys an act sent without a key. */
  signature?: { signed: SignedAct; nonce: string };
}): Promise<Omit<R, 'digest'>> {
  const { caller, signature } = opts;
  const idempotencyKey = opts.idempotencyKey ?? (signature && `signed:${signature.nonce}`);
  const digest = opts.digests.of(opts.asSent);
  const updateId =
    idempotencyKey === undefined ? undefined : `http:${opts.name}:${caller.principal}:${idempotencyKey}`;
  let receipt: R;
  try {
    receipt = await opts.within(() =>
      opts.handle.executeUpdate(opts.update, {
        args: [
          {
            ...opts.payload,
            actor: caller.principal,
            by: caller.by,
            ...(signature === undefined ? {} : { signed: signature.signed }),
            digest,
          } as never,
        ],
        updateId,
      }),
    );
  } catch (err) {
    // Temporal answers an update to a finished workflow as "not found": the record has closed.
    if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') {
      throw new ApiError(opts.closed.code, opts.closed.detail, undefined, { cause: err });
    }
    throw err;
  }
  refuseReusedKey({
    digests: opts.digests,
    recorded: receipt.digest,
    sent: digest,
    asSent: opts.asSent,
    name: opts.name,
    idempotencyKey,
  });
  const { digest: _d, ...rest } = receipt;
  return rest;
}

/**
 * A record (a finding, a commitment, a grant) as its workflow keeps it, or, once retention deleted the
 * workflow, as its permanent record ends (`FINAL_STATUS`, under `finalKey`); neither is `notFound`.
 */
export async function readRecord<R>(opts: {
  query: () => Promise<R>;
  records?: RecordStore;
  recordId: string;
  finalKey: string;
  notFound: ErrorCode;
}): Promise<R> {
  try {
    return await opts.query();
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'CASE_NOT_FOUND')) throw err;
    const text = await opts.records?.get(opts.recordId);
    const final = text === undefined ? undefined : entriesOf(text).find((e) => e.kind === 'FINAL_STATUS');
    if (final === undefined) throw new ApiError(opts.notFound, undefined, undefined, { cause: err });
    return final[opts.finalKey] as R;
  }
}
