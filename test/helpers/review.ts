import assert from 'node:assert/strict';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { DecisionInput } from '../../shared/domain/decisions';
import * as M from '../../shared/domain/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import type { Stage } from '../../shared/domain/review/state';
import { reviewWorkflowId, type SubmissionInput } from '../../shared/domain/submission';
import type { review } from '../../workflows';
import { testServers } from '../setup/servers';
import { trackWorkflow, uniqueId } from './workers';

export const DAY_MS = 86_400_000;
export type ReviewHandle = WorkflowHandle<typeof review>;

export const NS_AGENCIES = ['NSA', 'CISA', 'DOW'] as const;
export const CIVILIAN_AGENCIES = ['CAISI', 'DOE', 'TREASURY'] as const;

/** A complete filing of a covered model, released well after a 90-day window. */
export function completeSubmission(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    submissionId: uniqueId('sub'),
    labId: 'acme',
    model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
    access: { kind: 'API', details: 'gated endpoint with evaluator keys' },
    callbackUrl: testServers().labReceiver.url,
    // Fixed and far off: the time-skipping server's clock runs years ahead of the wall clock during a run.
    plannedReleaseDate: '2199-12-31T00:00:00.000Z',
    ...overrides,
  };
}

export async function startReview(
  client: Client,
  taskQueue: string,
  submission: SubmissionInput,
): Promise<ReviewHandle> {
  const handle = await client.workflow.start<typeof review>('review', {
    taskQueue,
    workflowId: reviewWorkflowId(submission.submissionId),
    args: [{ submission }],
  });
  trackWorkflow(taskQueue, handle);
  return handle;
}

export const status = (h: ReviewHandle): Promise<ReviewStatus> => h.query(M.statusQuery);

/**
 * Waits (in real time, bounded) until the case reaches a stage. Intake runs activities, whose completion the
 * test cannot await otherwise; the time-skipping server does not move its clock while we poll.
 */
export async function untilStage(h: ReviewHandle, stage: Stage, attempts = 200): Promise<ReviewStatus> {
  for (let i = 0; i < attempts; i++) {
    const s = await status(h);
    if (s.stage === stage) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  const s = await status(h);
  assert.equal(s.stage, stage, `case did not reach ${stage}`);
  return s;
}

/** Skips time on the time-skipping server. */
export const skip = (duration: Duration): Promise<void> => testServers().timeSkipping.sleep(duration);

export const decision = (kind: DecisionInput['kind'], extra: Partial<DecisionInput> = {}): DecisionInput => ({
  kind,
  summary: `${kind} summary`,
  ...(kind === 'CONCERNS_MITIGATED' ? { commitments: ['keep the mitigation'] } : {}),
  ...extra,
});

export const decide = (h: ReviewHandle, agency: string, d: DecisionInput): Promise<M.Receipt> =>
  h.executeUpdate(M.recordDecisionUpdate, { args: [{ actor: `agency:${agency}`, decision: d }] });

/** The part of a status that a rejected message must leave untouched. */
export const unchangedPart = (s: ReviewStatus) => {
  const { asOf, ...rest } = s;
  return rest;
};
