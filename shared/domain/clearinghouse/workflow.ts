import type { FindingFilingInput, FindingRecord, FindingState } from './finding';

/** How clients address a finding's workflow: its type, id, input and result. */
export const FINDING_WORKFLOW_TYPE = 'finding';

export const findingWorkflowId = (findingId: string): string => `finding-${findingId}`;
export const findingIdOfWorkflow = (workflowId: string): string => workflowId.replace(/^finding-/, '');

export interface FindingInput {
  /** The filing, sealed by the gateway; the workflow refuses one that was not. */
  filing: FindingFilingInput;
  /** The finding as an earlier run left it when it continued as new. */
  continued?: FindingRecord;
}

export interface FindingResult {
  findingId: string;
  state: FindingState;
  closedAt: string;
}

/** Permanent records of findings are stored beside the cases', under this prefix (a case id has none). */
export const FINDING_RECORD_PREFIX = 'finding~';
export const findingRecordId = (findingId: string): string => `${FINDING_RECORD_PREFIX}${findingId}`;
