import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { LabFact } from '../shared/domain/labs/facts';
import { labFactSignal, labQuery } from '../shared/domain/labs/messages';
import { standingOfLab, type LabStanding } from '../shared/domain/labs/record';
import { LAB_WORKFLOW_TYPE, labWorkflowId, type LabInput } from '../shared/domain/labs/workflow';

/**
 * What a case or commitment does with its lab's record (issue 14, part 3), through the worker's client (which
 * seals payloads as the gateway does) on the activity's task queue, which names the deployment.
 */
export function createLabActivities() {
  return {
    /** Tells the lab's record a fact, starting the record when this is the lab's first (signal-with-start). */
    async reportToLab(input: { labId: string; fact: LabFact }): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(LAB_WORKFLOW_TYPE, {
        workflowId: labWorkflowId(info.taskQueue, input.labId),
        taskQueue: info.taskQueue,
        args: [{ labId: input.labId } satisfies LabInput],
        signal: labFactSignal,
        signalArgs: [input.fact],
      });
    },
  };
}

/** The lab's status now, from its record; a lab with no record yet is a participant. */
export async function labStandingNow(labId: string): Promise<LabStanding> {
  const { client, info } = Context.current();
  try {
    const record = await client.workflow.getHandle(labWorkflowId(info.taskQueue, labId)).query(labQuery);
    return standingOfLab(record);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { status: 'PARTICIPANT' };
    throw err;
  }
}

export type LabActivities = ReturnType<typeof createLabActivities>;
