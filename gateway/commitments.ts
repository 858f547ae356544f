import { actsAsSeen, seesWhoActed } from './view-policy';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { CommitmentListItem, CommitmentQuery, CommitmentView } from '../shared/api/commitments';
import { mayKnowOfCommitment } from '../shared/domain/commitments/access';
import { standingOf, type CommitmentRecord } from '../shared/domain/commitments/commitment';
import { commitmentQuery, type CommitmentReceipt } from '../shared/domain/commitments/messages';
import {
  COMMITMENT_WORKFLOW_TYPE,
  commitmentIdOfWorkflow,
  commitmentRecordId,
  commitmentWorkflowId,
} from '../shared/domain/commitments/workflow';
import { caseIdOf, labOfCase, submissionIdOfCase } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { iso } from '../shared/domain/time';
import type { Caller } from './auth';
import { RecordWorkflows, type RecordWorkflowsDeps } from './record-workflows';
import { literal, listPage, workflowsWhere, type Page } from './visibility';

export type CommitmentsDeps = RecordWorkflowsDeps;

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
const OPEN = `ExecutionStatus = 'Running' AND ${SA.itemState.name} IN ('OPEN', 'ATTESTED', 'OVERDUE')`;

/**
 * The gateway's side of commitments (issue 14, part 2): read one as the caller may, send it the lab's or the
 * owner's message, list them.
 */
export class Commitments extends RecordWorkflows<CommitmentRecord, CommitmentView, CommitmentReceipt> {
  constructor(deps: CommitmentsDeps) {
    super(deps, {
      workflowId: commitmentWorkflowId,
      recordId: commitmentRecordId,
      query: commitmentQuery,
      finalKey: 'commitment',
      notFound: 'COMMITMENT_NOT_FOUND',
      closed: { code: 'COMMITMENT_CLOSED', detail: 'the commitment has closed' },
    });
  }

  protected viewOf(r: CommitmentRecord, caller: Caller): CommitmentView | undefined {
    return mayKnowOfCommitment(r.filing, caller.principal)
      ? commitmentView(r, seesWhoActed(caller.role))
      : undefined;
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
export function commitmentView(r: CommitmentRecord, whoActed = false): CommitmentView {
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
    timeline: actsAsSeen(r.events, whoActed),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
