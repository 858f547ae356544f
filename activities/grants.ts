import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CaseClosing } from '../shared/domain/grants/grant';
import { caseClosedSignal } from '../shared/domain/grants/messages';
import { grantWorkflowId } from '../shared/domain/grants/workflow';

/**
 * What a case does with its early-access grants (issue 14, part 4), through the worker's client (which seals
 * payloads as the gateway does), as it tells its lab's record.
 */
export function createGrantActivities() {
  return {
    /**
     * Tells one grant how its case closed. A grant already over (declined, lapsed, revoked) has nothing to hear:
     * it is no longer running, and that is an answer, not a failure.
     */
    async tellGrant(input: { grantId: string; closing: CaseClosing }): Promise<'TOLD' | 'ALREADY_OVER'> {
      const { client } = Context.current();
      try {
        await client.workflow.getHandle(grantWorkflowId(input.grantId)).signal(caseClosedSignal, input.closing);
        return 'TOLD';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 'ALREADY_OVER';
        throw err;
      }
    },
  };
}

export type GrantActivities = ReturnType<typeof createGrantActivities>;
