import type { Outcome } from '../decisions';
import type { SubmissionInput } from '../submission';
import type { ClosedReason } from './state';

/** How clients address the review workflow: its type, its id and its input and result. */
export const REVIEW_WORKFLOW_TYPE = 'review';

/** The one place the workflow id is derived from the business id. */
export const reviewWorkflowId = (submissionId: string): string => `review-${submissionId}`;
/** The submission id of a review's workflow id (the inverse of reviewWorkflowId). */
export const submissionIdOf = (workflowId: string): string => workflowId.replace(/^review-/, '');

export interface ReviewInput {
  submission: SubmissionInput;
}

export interface ReviewResult {
  submissionId: string;
  closedReason: ClosedReason;
  outcome?: Outcome;
  closedAt: string;
}
