import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { CommitmentListItem, CommitmentQuery, CommitmentView } from '../shared/api/commitments';
import { mayKnowOfCommitment } from '../shared/domain/commitments/access';
import { standingOf, type CommitmentRecord } from '../shared/domain/commitments/commitment';
import {
  commitmentQuery,
  type CommitmentMessage,
  type CommitmentReceipt,
} from '../shared/domain/commitments/messages';
import {
  COMMITMENT_WORKFLOW_TYPE,
  commitmentIdOfWorkflow,
  commitmentRecordId,
  commitmentWorkflowId,
} from '../shared/domain/commitments/workflow';
import { caseIdOf, labOfCase, submissionIdOfCase } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { iso } from '../shared/domain/time';
import { requestDigest } from '../shared/node/digest';
import type { RecordStore } from '../shared/node/record-store';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { readRecord, sendRecordUpdate } from './record-update';
import { mapped } from './temporal-errors';
import { literal, listPage, workflowsWhere, type Page } from './visibility';

export interface CommitmentsDeps {
  temporal: Client;
  callTimeoutMs: number;
  records?: RecordStore;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
const OPEN = `ExecutionStatus = 'Running' AND ${SA.itemState.name} IN ('OPEN', 'ATTESTED', 'OVERDUE')`;

/**
 * The gateway's side of commitments (issue 14, part 2): read one as the caller may, send it the lab's or the
 * owner's message, list them. Every Temporal call has a deadline, as a case's do.
 */
export class Commitments {
  constructor(private readonly deps: CommitmentsDeps) {}

  private handle(commitmentId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(commitmentWorkflowId(commitmentId));
  }

  private within<T>(fn: () => Promise<T>): Promise<T> {
    const { connection } = this.deps.temporal;
    return mapped(() => connection.withDeadline(Date.now() + this.deps.callTimeoutMs, fn));
  }

  /** The commitment as its workflow keeps it, or, once retention deleted the workflow, as its record ends. */
  record(commitmentId: string): Promise<CommitmentRecord> {
    return readRecord({
      query: () => this.within(() => this.handle(commitmentId).query(commitmentQuery)),
      records: this.deps.records,
      recordId: commitmentRecordId(commitmentId),
      finalKey: 'commitment',
      notFound: 'COMMITMENT_NOT_FOUND',
    });
  }

  /** One commitment as this caller may see it; one it may not know of is "not found". */
  async view(caller: Caller, commitmentId: string): Promise<CommitmentView> {
    const r = await this.record(commitmentId);
    if (caller.role === 'admin' || !mayKnowOfCommitment(r.filing, caller.principal)) {
      throw new ApiError('COMMITMENT_NOT_FOUND');
    }
    return commitmentView(r);
  }

  /** Sends one message; with an Idempotency-Key a retry returns the first receipt. */
  async act(
    caller: Caller,
    commitmentId: string,
    message: CommitmentMessage,
    payload: object,
    idempotencyKey?: string,
  ): Promise<Omit<CommitmentReceipt, 'digest'>> {
    // Who may not know of the commitment gets "not found" before anything is sent.
    await this.view(caller, commitmentId);
    return sendRecordUpdate<CommitmentReceipt>({
      handle: this.handle(commitmentId),
      update: message.update as never,
      name: message.name,
      caller,
      payload,
      digest: requestDigest(payload),
      idempotencyKey,
      within: (fn) => this.within(fn),
      closed: { code: 'COMMITMENT_CLOSED', detail: 'the commitment has closed' },
    });
  }

  /**
   * Commitments from visibility: operations staff and the chair list every one, a lab its own, an agency the
   * ones it owns, whatever they filter on.
   */
  async list(caller: Caller, q: CommitmentQuery): Promise<Page<CommitmentListItem>> {
    const eq = (name: string, v: string | undefined) =>
      v === undefined ? undefined : `${name} = ${literal(v)}`;
    const lab = caller.role === 'lab' ? caller.id : (q.lab ?? (q.caseId && labOfCase(q.caseId)));
    const owner = caller.role === 'agency' ? caller.principal : q.owner;
    const query = workflowsWhere(
      COMMITMENT_WORKFLOW_TYPE,
      eq(SA.lab.name, lab),
      eq(SA.submission.name, q.caseId === undefined ? undefined : submissionIdOfCase(q.caseId)),
      eq(SA.itemOwner.name, owner),
      eq(SA.itemState.name, q.state),
      q.overdue === undefined ? undefined : `${SA.overdue.name} = ${q.overdue}`,
      q.open === undefined ? undefined : q.open ? OPEN : `NOT (${OPEN})`,
    );
    return listPage(this.deps.temporal, query, q.pageSize, q.cursor, this.deps.callTimeoutMs, listItemOf);
  }
}

function listItemOf(raw: temporal.api.workflow.v1.IWorkflowExecutionInfo): CommitmentListItem {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  const due = sa.get(SA.nextDeadline);
  const labId = sa.get(SA.lab);
  const submissionId = sa.get(SA.submission);
  return {
    commitmentId: commitmentIdOfWorkflow(raw.execution?.workflowId ?? ''),
    labId,
    caseId: labId === undefined || submissionId === undefined ? undefined : caseIdOf(labId, submissionId),
    owner: sa.get(SA.itemOwner),
    state: sa.get(SA.itemState) as CommitmentListItem['state'],
    flags: (sa.get(SA.flags) ?? []) as CommitmentListItem['flags'],
    overdue: sa.get(SA.overdue) ?? false,
    nextDeadline: due === undefined ? undefined : iso(due),
    nextParty: sa.get(SA.nextParty),
    running: raw.status === RUNNING,
    openedAt: iso(optionalTsToMs(raw.startTime) ?? 0),
  };
}

/** A commitment as its readers see it: everything in it is unclassified. */
export function commitmentView(r: CommitmentRecord): CommitmentView {
  const f = r.filing;
  return {
    commitmentId: f.commitmentId,
    caseId: f.caseId,
    labId: f.labId,
    text: f.text,
    owner: f.owner,
    outcome: f.outcome,
    determinedAt: f.determinedAt,
    policy: f.policy,
    state: r.state,
    standing: standingOf(r),
    flags: r.flags,
    openedAt: r.openedAt,
    dueAt: r.dueAt,
    attestedAt: r.attestedAt,
    confirmationDue: r.confirmationDue,
    closedAt: r.closedAt,
    timeline: r.events.map((e) => ({ ...e })),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
