import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { GrantFilingInput } from '../../shared/domain/grants/grant';
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
