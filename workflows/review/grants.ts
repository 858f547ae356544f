import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { getExternalWorkflowHandle, log, ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { CaseClosing, GrantFilingInput } from '../../shared/domain/grants/grant';
import { caseClosedSignal } from '../../shared/domain/grants/messages';
import { GRANT_WORKFLOW_TYPE, grantWorkflowId } from '../../shared/domain/grants/workflow';

/**
 * Starts one grant's workflow as a child the case abandons when it closes (or continues as new), so the grant
 * outlives the review. Its id is the grant's, so it starts once: a start that finds it running or finished
 * leaves it as it is.
 */
export async function startGrant(filing: GrantFilingInput): Promise<void> {
  try {
    await startChild(GRANT_WORKFLOW_TYPE, {
      workflowId: grantWorkflowId(filing.grantId),
      args: [{ filing }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Tells one grant how the case closed. A grant already over (declined, lapsed, revoked) has nothing to hear:
 * the signal finds no running workflow, which is logged and is no failure of the case.
 */
export async function tellGrant(grantId: string, closing: CaseClosing): Promise<void> {
  try {
    await getExternalWorkflowHandle(grantWorkflowId(grantId)).signal(caseClosedSignal, closing);
  } catch (err) {
    log.info('a grant the case closed on was already over', { grantId, error: String(err) });
  }
}
