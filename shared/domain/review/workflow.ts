import type { Outcome } from '../decisions';
import type { SubmissionInput } from '../submission';
import type { CaseState, ClosedReason } from './state';

/** How clients address the review workflow: its type, its id and its input and result. */
export const REVIEW_WORKFLOW_TYPE = 'review';

/** The one place the workflow id is derived from the business id. */
export const reviewWorkflowId = (submissionId: string): string => `review-${submissionId}`;
/** The submission id of a review's workflow id (the inverse of reviewWorkflowId). */
export const submissionIdOf = (workflowId: string): string => workflowId.replace(/^review-/, '');

export interface ReviewInput {
  submission: SubmissionInput;
  /** The case as an earlier run left it when it continued as new (its state and callback queue). */
  continued?: CaseState;
  /** When a run continues as new; the defaults stay well inside the server's limits. */
  limits?: RunLimits;
}

/** A run continues as new once either is reached, or when the server suggests it. */
export interface RunLimits {
  /** Events in this run's history (the server warns at 10,240 and fails at 51,200). */
  events: number;
  /** Messages accepted in this run (the server allows 2,000 per run). */
  messages: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { events: 8_000, messages: 1_000 };

export interface ReviewResult {
  submissionId: string;
  closedReason: ClosedReason;
  outcome?: Outcome;
  closedAt: string;
}
