import type { ActedBy } from '../shared/domain/acted-by';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { GovernmentChange } from '../shared/domain/government/fan-out';
import { governmentQuery } from '../shared/domain/government/messages';
import {
  emptyGovernment,
  GOVERNMENT_WORKFLOW_TYPE,
  governmentWorkflowId,
  type GovernmentSnapshot,
} from '../shared/domain/government/state';
import { KeyedDigests } from '../shared/node/digest';
import type { KeyRing } from '../shared/node/key-ring';
import { ApiError } from './problem';
import { mapped } from './temporal-errors';

export interface GovernmentDeps {
  temporal: Client;
  taskQueue: string;
  callTimeoutMs: number;
  /** How long a message to every open case may take before the caller is told to ask again. */
  fanOutTimeoutMs: number;
  /** The notes key ring: the request digests are keyed with it (shared/node/digest.ts). */
  notes: KeyRing;
}

/**
 * The gateway's side of the government-state workflow (workflows/government): it is started on first use,
 * then each message is an update whose answer counts the open cases it reached.
 */
export class Government {
  private readonly digests: KeyedDigests;

  constructor(private readonly deps: GovernmentDeps) {
    this.digests = new KeyedDigests(deps.notes);
  }

  private handle() {
    return this.deps.temporal.workflow.getHandle(governmentWorkflowId(this.deps.taskQueue));
  }

  private within<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    return mapped(() => this.deps.temporal.connection.withDeadline(Date.now() + timeoutMs, fn));
  }

  /** Starts the workflow unless it runs already (one per deployment's task queue). */
  private async ensureStarted(): Promise<void> {
    try {
      await this.within(this.deps.callTimeoutMs, () =>
        this.deps.temporal.workflow.start(GOVERNMENT_WORKFLOW_TYPE, {
          taskQueue: this.deps.taskQueue,
          workflowId: governmentWorkflowId(this.deps.taskQueue),
          args: [{}],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /**
   * Sends one message. With an Idempotency-Key the update id is derived from it, so asking again (after a
   * timeout, say) answers with the first request's result instead of sending it again.
   */
  async send<P extends object>(
    update: UpdateDefinition<GovernmentChange, [P]>,
    payload: P,
    idempotencyKey: string | undefined,
    by?: ActedBy,
  ): Promise<GovernmentChange> {
    await this.ensureStarted();
    const updateId = `http:${update.name}:${idempotencyKey ?? randomUUID()}`;
    try {
      return await this.within(this.deps.fanOutTimeoutMs, () =>
        this.handle().executeUpdate(update, {
          // Who acted rides beside the principal (issue 36), outside the digest: a retry by another person of
          // the same office is the same request.
          args: [{ ...payload, ...(by === undefined ? {} : { by }), digest: this.digests.of(payload) }],
          updateId,
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TEMPORAL_UNAVAILABLE') {
        throw new ApiError(
          'TEMPORAL_UNAVAILABLE',
          'the message is recorded or on its way but is still reaching the open cases; ask again with the same ' +
            'Idempotency-Key for its result',
          undefined,
          { cause: err },
        );
      }
      throw err;
    }
  }

  /** Every funding lapse and closure recorded so far. */
  async state(): Promise<GovernmentSnapshot> {
    try {
      return await this.within(this.deps.callTimeoutMs, () => this.handle().query(governmentQuery));
    } catch (err) {
      if (err instanceof ApiError && err.cause instanceof WorkflowNotFoundError) return emptyGovernment();
      throw err;
    }
  }
}
