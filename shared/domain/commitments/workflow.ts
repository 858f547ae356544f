import type { CommitmentFilingInput, CommitmentRecord, CommitmentState } from './commitment';

/** How clients address a commitment's workflow: its type, id, input and result. */
export const COMMITMENT_WORKFLOW_TYPE = 'commitment';

export const commitmentWorkflowId = (commitmentId: string): string => `commitment-${commitmentId}`;
export const commitmentIdOfWorkflow = (workflowId: string): string => workflowId.replace(/^commitment-/, '');

export interface CommitmentInput {
  /** The commitment as its review hands it over (a child workflow's input, sealed by the worker). */
  filing: CommitmentFilingInput;
  /** The commitment as an earlier run left it when it continued as new. */
  continued?: CommitmentRecord;
}

export interface CommitmentResult {
  commitmentId: string;
  state: CommitmentState;
  closedAt: string;
}

/** Permanent records of commitments are stored beside the cases', under this prefix (a case id has none). */
export const COMMITMENT_RECORD_PREFIX = 'commitment~';
export const commitmentRecordId = (commitmentId: string): string =>
  `${COMMITMENT_RECORD_PREFIX}${commitmentId}`;
