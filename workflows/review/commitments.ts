import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { CommitmentFilingInput } from '../../shared/domain/commitments/commitment';
import { COMMITMENT_WORKFLOW_TYPE, commitmentWorkflowId } from '../../shared/domain/commitments/workflow';

/**
 * Starts one commitment's workflow as a child the case abandons when it closes (or continues as new), so the
 * commitment outlives the review. Its id is the commitment's, so it starts once: a start that finds it
 * running or finished (a reset replayed past it) leaves it as it is.
 */
export async function startCommitment(filing: CommitmentFilingInput): Promise<void> {
  try {
    await startChild(COMMITMENT_WORKFLOW_TYPE, {
      workflowId: commitmentWorkflowId(filing.commitmentId),
      args: [{ filing }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
