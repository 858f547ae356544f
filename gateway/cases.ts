import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { CreateSubmissionBody } from '../shared/api/requests';
import type { CallbackAttempt } from '../shared/api/responses';
import type { ProjectedDeadline } from '../shared/domain/projection';
import {
  projectDeadlinesQuery,
  statusQuery,
  type Message,
  type ProjectDeadlines,
} from '../shared/domain/review/messages';
import type { Receipt } from '../shared/domain/review/record';
import { startAttributes } from '../shared/domain/review/search-attributes';
import type { ReviewStatus } from '../shared/domain/review/status';
import {
  caseIdOf,
  caseIdOfWorkflow,
  labOfCase,
  submissionIdOfCase,
  REVIEW_WORKFLOW_TYPE,
  reviewWorkflowId,
} from '../shared/domain/review/workflow';
import { asRecorded } from '../shared/domain/sealed';
import { SA } from '../shared/domain/search-attributes';
import { Submission } from '../shared/domain/submission';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { KeyedDigests, legacyFingerprint, sha256 } from '../shared/node/digest';
import type { KeyRing } from '../shared/node/key-ring';
import { refuseReusedKey } from './idempotency';
import { entriesOf } from '../shared/node/permanent-record';
import type { RecordStore } from '../shared/node/record-store';
import { askedTwice, mapped } from './temporal-errors';
import { casesWhere, literal } from './visibility';

export interface CasesDeps {
  temporal: Client;
  taskQueue: string;
  /**
   * The policy in force for new filings (issue 14, part 3): the government's choice (POLICY_IN_FORCE), never
   * the lab's; intake then applies the lab's trusted-partner status.
   */
  policyInForce: () => string;
  /** How long one Temporal call may take before the client is told to retry (503). */
  callTimeoutMs: number;
  /** Closed cases' permanent records: a case Temporal's retention deleted is read from there. */
  records?: RecordStore;
  /** The notes key ring: request digests and filings' fingerprints are keyed with it (shared/node/digest.ts). */
  notes: KeyRing;
}

/**
 * What the gateway stores on each case it starts: the lab and a fingerprint, to recognise a retried create (keyed
 * from release 7, shared/node/digest.ts), and from release 2 the model's name and version, which lists show
 * without reading the case.
 */
interface CaseMemo {
  labId?: string;
  fingerprint?: string;
  model?: string;
}

/** The memo as the gateway wrote it (release 1 wrote it unsealed). */
const memoOf = (memo: Record<string, unknown> | undefined): CaseMemo => {
  const text = (v: unknown) => {
    const value = asRecorded(v);
    return typeof value === 'string' ? value : undefined;
  };
  return { labId: text(memo?.labId), fingerprint: text(memo?.fingerprint) };
};

/** How lists name a case's model: its name and version (a version may be missing from a deficient filing). */
const modelLabel = (m: { name: string; version?: string }): string =>
  m.version === undefined ? m.name : `${m.name} ${m.version}`;

/** The activities that deliver a case's callbacks: one event each (release 1), or several in order. */
const CALLBACK_ACTIVITIES = new Set(['deliverCallback', 'deliverCallbacks']);

/**
 * The gateway's side of the workflow contract: start a case, read it, send it an update. Every call has a
 * deadline, so a Temporal outage becomes a 503 with Retry-After instead of a hanging request.
 */
export class Cases {
  private readonly digests: KeyedDigests;

  constructor(private readonly deps: CasesDeps) {
    this.digests = new KeyedDigests(deps.notes);
  }

  handle(caseId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(reviewWorkflowId(caseId));
  }

  /**
   * The case a path names, for this caller (see CaseRef). A case id names its case; a lab may only name its
   * own. A submission id alone is, for a lab, its own case (a release-1 case of its own as a fallback); for the
   * government, a release-1 case, else the one case visibility lists under that submission id. What the
   * caller may not see is "not found", whatever the reason.
   */
  async resolve(caller: Caller, ref: string): Promise<string> {
    const lab = labOfCase(ref);
    if (lab !== undefined) {
      if (caller.role === 'lab' && lab !== caller.id) throw new ApiError('CASE_NOT_FOUND');
      return ref;
    }
    if (caller.role === 'lab') {
      const own = await this.ownCase(caller.id!, ref);
      if (own === undefined) throw new ApiError('CASE_NOT_FOUND');
      return own;
    }
    if (await this.exists(ref)) return ref;
    const query = casesWhere(`${SA.submission.name} = ${literal(ref)}`);
    const found: string[] = [];
    await this.within(async () => {
      for await (const w of this.deps.temporal.workflow.list({ query, pageSize: 2 })) {
        found.push(caseIdOfWorkflow(w.workflowId));
        if (found.length > 1) break;
      }
    });
    if (found.length === 0) throw new ApiError('CASE_NOT_FOUND');
    if (found.length > 1)
      throw new ApiError(
        'CASE_ID_AMBIGUOUS',
        `more than one lab filed a submission ${ref}; name the case as <labId>:${ref}`,
      );
    return found[0];
  }

  /** A lab's case under its own submission id, if it has one: release 2's id, else release 1's. */
  private async ownCase(labId: string, submissionId: string): Promise<string | undefined> {
    const scoped = caseIdOf(labId, submissionId);
    if (await this.exists(scoped)) return scoped;
    if ((await this.deps.records?.head(scoped)) !== undefined) return scoped;
    return (await this.labOf(submissionId)) === labId ? submissionId : undefined;
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
  ): Promise<{ caseId: string; submissionId: string; created: boolean }> {
    const labId = caller.id!;
    if (
      input.previousSubmissionId !== undefined &&
      (await this.ownCase(labId, input.previousSubmissionId)) === undefined
    ) {
      throw new ApiError(
        'PREVIOUS_SUBMISSION_UNKNOWN',
        'previousSubmissionId does not name one of your cases',
        [
          {
            in: 'body',
            path: '/previousSubmissionId',
            code: 'invalid_value',
            message: 'not one of your cases',
          },
        ],
      );
    }
    const submissionId =
      input.submissionId ??
      (idempotencyKey === undefined
        ? `sub-${randomUUID()}`
        : `sub-${sha256(`${labId}\n${idempotencyKey}`).slice(0, 32)}`);
    const submission = Submission.parse({
      ...input,
      submissionId,
      labId,
      policyId: this.deps.policyInForce(),
    });
    const memo: CaseMemo = {
      labId,
      fingerprint: this.digests.of(submission, 'fingerprint'),
      model: modelLabel(submission.model),
    };
    // A lab's release-1 case under this id is the first filing: the id stays its own.
    if ((await this.labOf(submissionId)) === labId) return this.sameFiling(submissionId, memo, submission);
    const caseId = caseIdOf(labId, submissionId);
    try {
      await this.within(() =>
        this.deps.temporal.workflow.start(REVIEW_WORKFLOW_TYPE, {
          taskQueue: this.deps.taskQueue,
          workflowId: reviewWorkflowId(caseId),
          // Who filed rides beside the filing (issue 36): the lab's key, from the credential.
          args: [{ submission, by: caller.by }],
          // One case per id, ever: a retry, running or closed, finds the first one instead of starting another.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          memo: { ...memo },
          typedSearchAttributes: startAttributes(submission, new Date()),
        }),
      );
      return { caseId, submissionId, created: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return this.sameFiling(caseId, memo, submission);
  }

  /** A retried create finds the case it started; another filing under the same id is refused. */
  private async sameFiling(
    caseId: string,
    memo: CaseMemo,
    submission: Submission,
  ): Promise<{ caseId: string; submissionId: string; created: boolean }> {
    const existing = await this.memoOf(caseId);
    const submissionId = submissionIdOfCase(caseId);
    // Under the notes key the recorded fingerprint names (or unkeyed, as releases 1 to 6 wrote it).
    const same =
      existing.fingerprint !== undefined &&
      this.digests.matches(existing.fingerprint, submission, {
        purpose: 'fingerprint',
        legacy: legacyFingerprint,
      }) === true;
    if (existing.labId !== memo.labId || !same) {
      throw new ApiError(
        'SUBMISSION_ID_TAKEN',
        `submission ${submissionId} already exists with a different filing; reuse an id or Idempotency-Key only to retry the same request`,
      );
    }
    return { caseId, submissionId, created: false };
  }

  /** The case as its workflow answers, or, once retention deleted the workflow, as its permanent record ends. */
  async status(caseId: string): Promise<ReviewStatus> {
    try {
      return await askedTwice(
        (fn, timeoutMs) => this.within(fn, timeoutMs),
        () => this.handle(caseId).query(statusQuery),
        this.deps.callTimeoutMs,
      );
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'CASE_NOT_FOUND')) throw err;
      const archived = await this.archivedStatus(caseId);
      if (archived === undefined) throw err;
      return archived;
    }
  }

  /** The final status a closed case's permanent record keeps, if the archive has its record. */
  async archivedStatus(caseId: string): Promise<ReviewStatus | undefined> {
    const text = await this.deps.records?.get(caseId);
    if (text === undefined) return undefined;
    const final = entriesOf(text).find((e) => e.kind === 'FINAL_STATUS');
    return final?.status as ReviewStatus | undefined;
  }

  /** The callback attempt under way, from Temporal's record of the case's pending activity, if there is one. */
  async callbackAttempt(caseId: string): Promise<CallbackAttempt | undefined> {
    const described = await this.within(() => this.handle(caseId).describe()).catch((err: unknown) => {
      // A case read from the archive has no attempt under way.
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return undefined;
      throw err;
    });
    if (described === undefined) return undefined;
    const { raw } = described;
    const pending = raw.pendingActivities?.find((a) => CALLBACK_ACTIVITIES.has(a.activityType?.name ?? ''));
    if (pending === undefined || pending === null) return undefined;
    const at = (t: Parameters<typeof optionalTsToMs>[0]) => {
      const ms = optionalTsToMs(t);
      return ms === undefined ? undefined : new Date(ms).toISOString();
    };
    const State = temporal.api.enums.v1.PendingActivityState;
    const state =
      pending.state === State.PENDING_ACTIVITY_STATE_STARTED
        ? 'STARTED'
        : pending.state === State.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
          ? 'CANCEL_REQUESTED'
          : 'SCHEDULED';
    return {
      attempt: pending.attempt ?? 1,
      state,
      lastError: pending.lastFailure?.message ?? undefined,
      lastAttemptAt: at(pending.lastAttemptCompleteTime),
      nextAttemptAt: at(pending.nextAttemptScheduleTime),
    };
  }

  project(caseId: string, change: ProjectDeadlines): Promise<ProjectedDeadline[]> {
    return this.within(() => this.handle(caseId).query(projectDeadlinesQuery, change));
  }

  /** The lab that owns a case, without needing a worker: the memo the gateway wrote, else the search attribute. */
  async labOf(caseId: string): Promise<string | undefined> {
    try {
      const d = await this.within(() => this.handle(caseId).describe());
      return memoOf(d.memo).labId ?? d.typedSearchAttributes.get(SA.lab) ?? (await this.status(caseId)).labId;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return undefined;
      throw err;
    }
  }

  private async memoOf(caseId: string): Promise<CaseMemo> {
    const d = await this.within(() => this.handle(caseId).describe());
    return memoOf(d.memo);
  }

  /**
   * Sends one action. A lab's action on a case that is not its own is "not found" before anything is sent.
   * With an Idempotency-Key the update id is derived from it, so a retry returns the first receipt and the
   * action applies once (Temporal de-duplicates update ids per case, also after the case has closed). The
   * digest that tells a retry from another request with the same key is over the request as sent (`asSent`,
   * when the payload seals some of it: sealing is randomised, so a retry's payload never equals the first's).
   */
  async act(
    caller: Caller,
    caseId: string,
    message: Message,
    payload: unknown,
    idempotencyKey?: string,
    timeoutMs?: number,
    asSent: unknown = payload,
  ): Promise<Receipt> {
    const updateId =
      idempotencyKey === undefined ? undefined : `http:${message.name}:${caller.principal}:${idempotencyKey}`;
    const digest = this.digests.of(asSent);
    let receipt: Receipt;
    try {
      receipt = await this.within(
        () =>
          this.handle(caseId).executeUpdate(message.update, {
            // Who acted rides beside the principal (issue 36): from the credential, never from the body.
            args: [{ ...(payload as object), by: caller.by, digest } as never],
            updateId,
          }),
        timeoutMs,
      );
    } catch (err) {
      // Temporal answers an update to a closed case as "not found"; the case may well exist.
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND' && (await this.exists(caseId))) {
        throw new ApiError('CASE_CLOSED', 'the case is closed', undefined, { cause: err });
      }
      throw err;
    }
    // The key already applied another request: its receipt says so, and nothing new was applied.
    refuseReusedKey({
      digests: this.digests,
      recorded: receipt.digest,
      sent: digest,
      asSent,
      name: message.name,
      idempotencyKey,
    });
    return { seq: receipt.seq, at: receipt.at };
  }

  private async exists(caseId: string): Promise<boolean> {
    try {
      await this.within(() => this.handle(caseId).describe());
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return false;
      throw err;
    }
  }
}
