import type { LabRecord } from './record';

/** How clients address a lab's record: its workflow type, id and input. */
export const LAB_WORKFLOW_TYPE = 'lab';

/** One per lab and deployment (the cases a deployment's workers serve share their task queue). */
export const labWorkflowId = (taskQueue: string, labId: string): string => `lab-${taskQueue}-${labId}`;

export interface LabInput {
  labId: string;
  /** The record as an earlier run left it when it continued as new. */
  continued?: LabRecord;
}
