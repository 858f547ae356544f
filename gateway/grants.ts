import { actsAsSeen, seesWhoActed } from './view-policy';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { GrantListItem, GrantQuery, GrantView } from '../shared/api/grants';
import { mayKnowOfGrant } from '../shared/domain/grants/access';
import { shownTimeline } from '../shared/domain/grants/budgets';
import type { GrantRecord } from '../shared/domain/grants/grant';
import { grantQuery, type GrantReceipt } from '../shared/domain/grants/messages';
import {
  GRANT_WORKFLOW_TYPE,
  grantIdOfWorkflow,
  grantRecordId,
  grantWorkflowId,
} from '../shared/domain/grants/workflow';
import { caseIdOf, labOfCase, submissionIdOfCase } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { iso } from '../shared/domain/time';
import type { Caller } from './auth';
import { RecordWorkflows, type RecordWorkflowsDeps } from './record-workflows';
import { literal, listPage, workflowsWhere, type Page } from './visibility';

export interface GrantsDeps extends RecordWorkflowsDeps {
  /** The agency that nominates operators under the policy in force (CISA), which lists every grant. */
  nominator: () => string | undefined;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

/**
 * The gateway's side of early-access grants (issue 14, part 4): read one as the caller may, send it the lab's,
 * CISA's or the operator's message, list them.
 */
export class Grants extends RecordWorkflows<GrantRecord, GrantView, GrantReceipt> {
  constructor(protected override readonly deps: GrantsDeps) {
    super(deps, {
      workflowId: grantWorkflowId,
      recordId: grantRecordId,
      query: grantQuery,
      finalKey: 'grant',
      notFound: 'GRANT_NOT_FOUND',
      closed: { code: 'GRANT_CLOSED', detail: 'the grant is over' },
    });
  }

  protected viewOf(r: GrantRecord, caller: Caller): GrantView | undefined {
    return mayKnowOfGrant(r.filing, caller.principal) ? grantView(r, seesWhoActed(caller.role)) : undefined;
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
export function grantView(r: GrantRecord, whoActed = false): GrantView {
  const f = r.filing;
  // Capped (issue 34, item 5): the latest use reports, and how many earlier ones `uses` also counts.
  const { timeline, usesOmitted } = shownTimeline(r);
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
    usesOmitted,
    closedAt: r.closedAt,
    timeline: actsAsSeen(timeline, whoActed),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
