import type { CaseClosing, GrantFilingInput, GrantRecord, GrantState } from './grant';

/** How clients address a grant's workflow: its type, id, input and result. */
export const GRANT_WORKFLOW_TYPE = 'grant';

export const grantWorkflowId = (grantId: string): string => `grant-${grantId}`;
export const grantIdOfWorkflow = (workflowId: string): string => workflowId.replace(/^grant-/, '');

export interface GrantInput {
  /** The grant as its case hands it over (a child workflow's input, sealed by the worker). */
  filing: GrantFilingInput;
  /** The grant as an earlier run left it when it continued as new. */
  continued?: GrantRecord;
}

export interface GrantResult {
  grantId: string;
  state: GrantState;
  closedAt: string;
}

/** What a case tells its grants when it closes (a Signal: one workflow to another). */
export type CaseClosedSignal = CaseClosing;

/** Permanent records of grants are stored beside the cases', under this prefix (a case id has none). */
export const GRANT_RECORD_PREFIX = 'grant~';
export const grantRecordId = (grantId: string): string => `${GRANT_RECORD_PREFIX}${grantId}`;
