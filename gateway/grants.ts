import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { GrantListItem, GrantQuery, GrantView } from '../shared/api/grants';
import { mayKnowOfGrant } from '../shared/domain/grants/access';
import type { GrantRecord } from '../shared/domain/grants/grant';
import { grantQuery, type GrantMessage, type GrantReceipt } from '../shared/domain/grants/messages';
import {
  GRANT_WORKFLOW_TYPE,
  grantIdOfWorkflow,
  grantRecordId,
  grantWorkflowId,
} from '../shared/domain/grants/workflow';
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

export interface GrantsDeps {
  temporal: Client;
  callTimeoutMs: number;
  records?: RecordStore;
  /** The agency that nominates operators under the policy in force (CISA), which lists every grant. */
  nominator: () => string | undefined;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

/**
 * The gateway's side of early-access grants (issue 14, part 4): read one as the caller may, send it the lab's,
 * CISA's or the operator's message, list them. Every Temporal call has a deadline, as a case's do.
 */
export class Grants {
  constructor(private readonly deps: GrantsDeps) {}

  private handle(grantId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(grantWorkflowId(grantId));
  }

  private within<T>(fn: () => Promise<T>): Promise<T> {
    const { connection } = this.deps.temporal;
    return mapped(() => connection.withDeadline(Date.now() + this.deps.callTimeoutMs, fn));
  }

  /** The grant as its workflow keeps it, or, once retention deleted the workflow, as its record ends. */
  record(grantId: string): Promise<GrantRecord> {
    return readRecord({
      query: () => this.within(() => this.handle(grantId).query(grantQuery)),
      records: this.deps.records,
      recordId: grantRecordId(grantId),
      finalKey: 'grant',
      notFound: 'GRANT_NOT_FOUND',
    });
  }

  /** One grant as this caller may see it; one it may not know of is "not found". */
  async view(caller: Caller, grantId: string): Promise<GrantView> {
    const r = await this.record(grantId);
    if (caller.role === 'admin' || !mayKnowOfGrant(r.filing, caller.principal)) {
      throw new ApiError('GRANT_NOT_FOUND');
    }
    return grantView(r);
  }

  /** Sends one message; with an Idempotency-Key a retry returns the first receipt. */
  async act(
    caller: Caller,
    grantId: string,
    message: GrantMessage,
    payload: object,
    idempotencyKey?: string,
  ): Promise<Omit<GrantReceipt, 'digest'>> {
    // Who may not know of the grant gets "not found" before anything is sent.
    await this.view(caller, grantId);
    return sendRecordUpdate<GrantReceipt>({
      handle: this.handle(grantId),
      update: message.update as never,
      name: message.name,
      caller,
      payload,
      digest: requestDigest(payload),
      idempotencyKey,
      within: (fn) => this.within(fn),
      closed: { code: 'GRANT_CLOSED', detail: 'the grant is over' },
    });
  }

  /**
   * Grants from visibility: operations staff, the chair and the nominating agency list every one, a lab those
   * on its models, an operator its own, whatever they filter on; any other agency lists none.
   */
  async list(caller: Caller, q: GrantQuery): Promise<Page<GrantListItem>> {
    if (caller.role === 'agency' && caller.id !== this.deps.nominator()) {
      return { items: [] };
    }
    const eq = (name: string, v: string | undefined) =>
      v === undefined ? undefined : `${name} = ${literal(v)}`;
    const lab = caller.role === 'lab' ? caller.id : (q.lab ?? (q.caseId && labOfCase(q.caseId)));
    const operator = caller.role === 'operator' ? caller.principal : q.operator && `operator:${q.operator}`;
    const query = workflowsWhere(
      GRANT_WORKFLOW_TYPE,
      eq(SA.lab.name, lab),
      eq(SA.submission.name, q.caseId === undefined ? undefined : submissionIdOfCase(q.caseId)),
      eq(SA.itemOwner.name, operator),
      eq(SA.itemState.name, q.state),
    );
    return listPage(this.deps.temporal, query, q.pageSize, q.cursor, this.deps.callTimeoutMs, listItemOf);
  }
}

function listItemOf(raw: temporal.api.workflow.v1.IWorkflowExecutionInfo): GrantListItem {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  const due = sa.get(SA.nextDeadline);
  const labId = sa.get(SA.lab);
  const submissionId = sa.get(SA.submission);
  return {
    grantId: grantIdOfWorkflow(raw.execution?.workflowId ?? ''),
    labId,
    caseId: labId === undefined || submissionId === undefined ? undefined : caseIdOf(labId, submissionId),
    operator: sa.get(SA.itemOwner),
    state: sa.get(SA.itemState) as GrantListItem['state'],
    nextDeadline: due === undefined ? undefined : iso(due),
    nextParty: sa.get(SA.nextParty),
    running: raw.status === RUNNING,
    nominatedAt: iso(optionalTsToMs(raw.startTime) ?? 0),
  };
}

/** A grant as its readers see it: everything in it is unclassified, the model's summary included. */
export function grantView(r: GrantRecord): GrantView {
  const f = r.filing;
  return {
    grantId: f.grantId,
    caseId: f.caseId,
    labId: f.labId,
    operator: f.operator,
    nominatedBy: f.nominatedBy,
    reason: f.reason,
    model: { ...f.summary.model, outcome: f.summary.outcome, summary: f.summary.rationale },
    policy: f.policy,
    state: r.state,
    endReason: r.endReason,
    nominatedAt: f.nominatedAt,
    answerDue: r.answerDue,
    approvedAt: r.approvedAt,
    endsAt: r.endsAt,
    caseClosed: r.caseClosed,
    uses: r.uses,
    closedAt: r.closedAt,
    timeline: r.events.map((e) => ({ ...e })),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
