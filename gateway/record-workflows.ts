import type { SignedAct } from '../shared/domain/signed-act';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import type { ErrorCode } from '../shared/domain/errors';
import { KeyedDigests } from '../shared/node/digest';
import type { KeyRing } from '../shared/node/key-ring';
import type { RecordStore } from '../shared/node/record-store';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { readRecord, sendRecordUpdate } from './record-update';
import { askedTwice, mapped } from './temporal-errors';

/** What the gateway reads and sends to every kind of record workflow (a finding, a commitment, a grant). */
export interface RecordWorkflowsDeps {
  temporal: Client;
  callTimeoutMs: number;
  records?: RecordStore;
  /** The notes key ring: the request digests are keyed with it (shared/node/digest.ts). */
  notes: KeyRing;
}

/** One kind of record: where its workflow and permanent record are, and how it answers. */
export interface RecordKind<R> {
  workflowId: (id: string) => string;
  recordId: (id: string) => string;
  query: QueryDefinition<R>;
  /** The key its permanent record's FINAL_STATUS entry holds it under. */
  finalKey: string;
  notFound: ErrorCode;
  /** The refusal of a message to a record that has ended. */
  closed: { code: ErrorCode; detail: string };
}

/** A record's message: its name (in update ids) and its Update. */
interface RecordMessage {
  name: string;
  update: object;
}

/**
 * The gateway's side of a kind of record workflow: read one as the caller may (`viewOf` answers undefined for
 * a caller that may not know of it, which is then "not found"), and send it a message as a validated Update.
 * Every Temporal call has a deadline, as a case's do.
 */
export abstract class RecordWorkflows<R, V, Receipt extends { digest?: string }> {
  protected readonly digests: KeyedDigests;

  protected constructor(
    protected readonly deps: RecordWorkflowsDeps,
    private readonly kind: RecordKind<R>,
  ) {
    this.digests = new KeyedDigests(deps.notes);
  }

  /** The record as `caller` may see it, or undefined when it may not know of it. */
  protected abstract viewOf(r: R, caller: Caller, id: string): V | undefined | Promise<V | undefined>;

  /**
   * The message's payload as it reaches Temporal (a finding seals its texts, for the record `id`); as sent by
   * default.
   */
  protected outbound(payload: object, _id: string): object {
    return payload;
  }

  protected handle(id: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(this.kind.workflowId(id));
  }

  protected within<T>(fn: () => Promise<T>, timeoutMs = this.deps.callTimeoutMs): Promise<T> {
    const { connection } = this.deps.temporal;
    return mapped(() => connection.withDeadline(Date.now() + timeoutMs, fn));
  }

  /** The record as its workflow keeps it, or, once retention deleted the workflow, as its record ends. */
  record(id: string): Promise<R> {
    return readRecord({
      query: () =>
        askedTwice(
          (fn, timeoutMs) => this.within(fn, timeoutMs),
          () => this.handle(id).query(this.kind.query),
          this.deps.callTimeoutMs,
        ),
      records: this.deps.records,
      recordId: this.kind.recordId(id),
      finalKey: this.kind.finalKey,
      notFound: this.kind.notFound,
    });
  }

  /** One record as this caller may see it; one it may not know of is "not found". */
  async view(caller: Caller, id: string): Promise<V> {
    const r = await this.record(id);
    const view = caller.role === 'admin' ? undefined : await this.viewOf(r, caller, id);
    if (view === undefined) throw new ApiError(this.kind.notFound);
    return view;
  }

  /** Sends one message; with an Idempotency-Key a retry returns the first receipt. */
  async act(
    caller: Caller,
    id: string,
    message: RecordMessage,
    payload: object,
    idempotencyKey?: string,
    /** Checks the act's signature, if it carries one (../act-signing.ts), once the record is known to exist. */
    signature?: () => Promise<{ signed: SignedAct; nonce: string } | undefined>,
  ): Promise<Omit<Receipt, 'digest'>> {
    // Who may not know of the record gets "not found" before anything is sent, and before its signature.
    await this.view(caller, id);
    return sendRecordUpdate<Receipt>({
      handle: this.handle(id),
      update: message.update as never,
      name: message.name,
      caller,
      payload: this.outbound(payload, id),
      asSent: payload,
      digests: this.digests,
      idempotencyKey,
      within: (fn) => this.within(fn),
      closed: this.kind.closed,
      signature: await signature?.(),
    });
  }
}
