import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { CreateSubmissionBody } from '../shared/api/requests';
import type { ProjectedDeadline } from '../shared/domain/deadlines';
import {
  projectDeadlinesQuery,
  statusQuery,
  type Message,
  type ProjectDeadlines,
} from '../shared/domain/review/messages';
import type { Receipt } from '../shared/domain/review/record';
import type { ReviewStatus } from '../shared/domain/review/status';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../shared/domain/review/workflow';
import { asRecorded } from '../shared/domain/sealed';
import { SA } from '../shared/domain/search-attributes';
import { Submission } from '../shared/domain/submission';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { requestDigest } from '../shared/node/digest';
import { mapped } from './temporal-errors';

export interface CasesDeps {
  temporal: Client;
  taskQueue: string;
  /** Policy ids the worker knows; a case under another id would fail at intake. */
  policyIds: readonly string[];
  /** How long one Temporal call may take before the client is told to retry (503). */
  callTimeoutMs: number;
}

/** What the gateway stores on each case it starts, to recognise a retried create. */
interface CaseMemo {
  labId?: string;
  fingerprint?: string;
}

/** The memo as the gateway wrote it (release 1 wrote it unsealed). */
const memoOf = (memo: Record<string, unknown> | undefined): CaseMemo => {
  const text = (v: unknown) => {
    const value = asRecorded(v);
    return typeof value === 'string' ? value : undefined;
  };
  return { labId: text(memo?.labId), fingerprint: text(memo?.fingerprint) };
};

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * The gateway's side of the workflow contract: start a case, read it, send it an update. Every call has a
 * deadline, so a Temporal outage becomes a 503 with Retry-After instead of a hanging request.
 */
export class Cases {
  constructor(private readonly deps: CasesDeps) {}

  handle(submissionId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(reviewWorkflowId(submissionId));
  }

  /** Runs Temporal calls under the gateway's deadline, mapping their failures to catalogue errors. */
  within<T>(fn: () => Promise<T>, timeoutMs = this.deps.callTimeoutMs): Promise<T> {
    const { connection } = this.deps.temporal;
    return mapped(() => connection.withDeadline(Date.now() + timeoutMs, fn));
  }

  /**
   * Starts a case, or finds the one an earlier try of the same request started. The case id is the
   * client's submissionId, else derived from the lab and its Idempotency-Key, else random. The same id with
   * a different filing (or another lab's) is refused: the first filing stands.
   */
  async create(
    caller: Caller,
    input: CreateSubmissionBody,
    idempotencyKey: string | undefined,
  ): Promise<{ submissionId: string; created: boolean }> {
    const labId = caller.id!;
    if (!this.deps.policyIds.includes(input.policyId)) {
      throw new ApiError('VALIDATION_FAILED', `unknown policy ${input.policyId}`, [
        {
          in: 'body',
          path: '/policyId',
          code: 'invalid_value',
          message: `one of ${this.deps.policyIds.join(', ')}`,
        },
      ]);
    }
    if (
      input.previousSubmissionId !== undefined &&
      (await this.labOf(input.previousSubmissionId)) !== labId
    ) {
      throw new ApiError('VALIDATION_FAILED', 'previousSubmissionId does not name one of your cases', [
        {
          in: 'body',
          path: '/previousSubmissionId',
          code: 'invalid_value',
          message: 'not one of your cases',
        },
      ]);
    }
    const submissionId =
      input.submissionId ??
      (idempotencyKey === undefined
        ? `sub-${randomUUID()}`
        : `sub-${sha256(`${labId}\n${idempotencyKey}`).slice(0, 32)}`);
    const submission = Submission.parse({ ...input, submissionId, labId });
    const memo: CaseMemo = { labId, fingerprint: sha256(JSON.stringify(submission)) };
    try {
      await this.within(() =>
        this.deps.temporal.workflow.start(REVIEW_WORKFLOW_TYPE, {
          taskQueue: this.deps.taskQueue,
          workflowId: reviewWorkflowId(submissionId),
          args: [{ submission }],
          // One case per id, ever: a retry, running or closed, finds the first one instead of starting another.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          memo: { ...memo },
          typedSearchAttributes: [{ key: SA.lab, value: labId }],
        }),
      );
      return { submissionId, created: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const existing = await this.memoOf(submissionId);
    if (existing.labId !== labId || existing.fingerprint !== memo.fingerprint) {
      throw new ApiError(
        'SUBMISSION_ID_TAKEN',
        `submission ${submissionId} already exists with a different filing; reuse an id or Idempotency-Key only to retry the same request`,
      );
    }
    return { submissionId, created: false };
  }

  status(submissionId: string): Promise<ReviewStatus> {
    return this.within(() => this.handle(submissionId).query(statusQuery));
  }

  project(submissionId: string, change: ProjectDeadlines): Promise<ProjectedDeadline[]> {
    return this.within(() => this.handle(submissionId).query(projectDeadlinesQuery, change));
  }

  /** The lab that owns a case, without needing a worker: the memo the gateway wrote, else the search attribute. */
  async labOf(submissionId: string): Promise<string | undefined> {
    try {
      const d = await this.within(() => this.handle(submissionId).describe());
      return (
        memoOf(d.memo).labId ?? d.typedSearchAttributes.get(SA.lab) ?? (await this.status(submissionId)).labId
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async memoOf(submissionId: string): Promise<CaseMemo> {
    const d = await this.within(() => this.handle(submissionId).describe());
    return memoOf(d.memo);
  }

  /**
   * Sends one action. A lab's action on a case that is not its own is "not found" before anything is sent.
   * With an Idempotency-Key the update id is derived from it, so a retry returns the first receipt and the
   * action applies once (Temporal de-duplicates update ids per case, also after the case has closed).
   */
  async act(
    caller: Caller,
    submissionId: string,
    message: Message,
    payload: unknown,
    idempotencyKey?: string,
    timeoutMs?: number,
  ): Promise<Receipt> {
    if (caller.role === 'lab' && (await this.labOf(submissionId)) !== caller.id) {
      throw new ApiError('CASE_NOT_FOUND');
    }
    const updateId =
      idempotencyKey === undefined ? undefined : `http:${message.name}:${caller.principal}:${idempotencyKey}`;
    const digest = requestDigest(payload);
    let receipt: Receipt;
    try {
      receipt = await this.within(
        () =>
          this.handle(submissionId).executeUpdate(message.update, {
            args: [{ ...(payload as object), digest } as never],
            updateId,
          }),
        timeoutMs,
      );
    } catch (err) {
      // Temporal answers an update to a closed case as "not found"; the case may well exist.
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND' && (await this.exists(submissionId))) {
        throw new ApiError('CASE_CLOSED', 'the case is closed', undefined, { cause: err });
      }
      throw err;
    }
    // The key already applied another request: its receipt says so, and nothing new was applied.
    if (receipt.digest !== undefined && receipt.digest !== digest) {
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        `Idempotency-Key ${idempotencyKey} already applied a different ${message.name}`,
      );
    }
    return { seq: receipt.seq, at: receipt.at };
  }

  private async exists(submissionId: string): Promise<boolean> {
    try {
      await this.within(() => this.handle(submissionId).describe());
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return false;
      throw err;
    }
  }
}
