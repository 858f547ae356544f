import type { ActedBy } from '../acted-by';
import type { Outcome } from '../decisions';
import type { SubmissionInput } from '../submission';
import type { CaseState, ClosedReason } from './state';

/** How clients address the review workflow: its type, its id and its input and result. */
export const REVIEW_WORKFLOW_TYPE = 'review';

/**
 * A case id names one case: `<labId>:<submissionId>`, so each lab has its own submission ids and two labs
 * may use the same one. Release 1 named a case by its submission id alone; those cases keep that id.
 */
export const caseIdOf = (labId: string, submissionId: string): string => `${labId}:${submissionId}`;
/** The submission id a case id carries (a release-1 case id is its submission id). */
export const submissionIdOfCase = (caseId: string): string => caseId.slice(caseId.indexOf(':') + 1);
/** The lab a case id names, if it names one (a release-1 case id does not). */
export const labOfCase = (caseId: string): string | undefined =>
  caseId.includes(':') ? caseId.slice(0, caseId.indexOf(':')) : undefined;

/** The one place the workflow id is derived from the case id. */
export const reviewWorkflowId = (caseId: string): string => `review-${caseId}`;
/** The case id of a review's workflow id (the inverse of reviewWorkflowId). */
export const caseIdOfWorkflow = (workflowId: string): string => workflowId.replace(/^review-/, '');

export interface ReviewInput {
  submission: SubmissionInput;
  /** Who filed it (issue 36): the lab's key or person, set by the gateway from the credential. */
  by?: ActedBy;
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
