import { REVIEW_WORKFLOW_TYPE } from '../domain/review/workflow';

/** A string literal for a visibility query; values are validated ids and enums, escaped all the same. */
export const literal = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A visibility query over one workflow type: the clauses are ANDed. */
export const workflowsWhere = (workflowType: string, ...clauses: (string | undefined)[]): string =>
  [`WorkflowType = ${literal(workflowType)}`, ...clauses.filter((c): c is string => c !== undefined)].join(
    ' AND ',
  );

/** A visibility query over review cases: the clauses are ANDed. */
export const casesWhere = (...clauses: (string | undefined)[]): string =>
  workflowsWhere(REVIEW_WORKFLOW_TYPE, ...clauses);
