import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { DecisionInput } from '../../shared/domain/decisions';
import { MESSAGES as M, statusQuery } from '../../shared/domain/review/messages';
import type { Receipt } from '../../shared/domain/review/record';
import type { ReviewStatus } from '../../shared/domain/review/status';
import type { Stage } from '../../shared/domain/review/state';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../../shared/domain/review/workflow';
import type { SubmissionInput } from '../../shared/domain/submission';
import type { review } from '../../workflows';
import { testServers, timeSkipping } from '../setup/servers';
import { createTestActivities } from './activities';
import { waitFor } from './wait';
import { trackWorkflow, uniqueId, untilNoActivityRuns, withDevServerWorker } from './workers';

export const DAY_MS = 86_400_000;
export type ReviewHandle = WorkflowHandle<typeof review>;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The time-skipping server's clock, not ours: earlier tests of the file have moved it ahead. */
export const serverNow = async (): Promise<number> => (await timeSkipping()).currentTimeMs();

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

/** A complete filing released a year after the time-skipping server's now. */
export async function filingReleasedInAYear(
  overrides: Partial<SubmissionInput> = {},
): Promise<SubmissionInput> {
  const now = await serverNow();
  return completeSubmission({ ...overrides, plannedReleaseDate: iso(now + 365 * DAY_MS) });
}

export async function startReview(
  client: Client,
  taskQueue: string,
  submission: SubmissionInput,
): Promise<ReviewHandle> {
  const handle = await client.workflow.start<typeof review>(REVIEW_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: reviewWorkflowId(submission.submissionId),
    args: [{ submission }],
  });
  trackWorkflow(taskQueue, handle);
  return handle;
}

export const status = (h: ReviewHandle): Promise<ReviewStatus> => h.query(statusQuery);

/**
 * Waits (in real time, bounded) until the case reaches a stage. Intake runs activities, whose completion the
 * test cannot await otherwise; the time-skipping server does not move its clock while we poll.
 */
export const untilStage = (h: ReviewHandle, stage: Stage): Promise<ReviewStatus> =>
  waitFor(
    () => status(h),
    (s) => s.stage === stage,
    `case reaching ${stage}`,
  );

/** The designating agency's call on a case waiting for it (rules 3: the screen only proposes). */
export const designate = (
  h: ReviewHandle,
  covered: boolean,
  extra: { benchmarkScore?: string; agency?: string; reason?: string } = {},
): Promise<Receipt> =>
  h.executeUpdate(M.designateCoverage.update, {
    args: [
      {
        actor: `agency:${extra.agency ?? 'NSA'}`,
        covered,
        reason: extra.reason ?? `designated ${covered ? 'covered' : 'not covered'} in the test`,
        ...(extra.benchmarkScore === undefined ? {} : { benchmarkScore: extra.benchmarkScore }),
      },
    ],
  });

/**
 * Waits until intake has screened the case; when the designating agency is to decide (the presets in force
 * name NSA), NSA designates it covered at once; then waits until it is accepted.
 */
export async function untilAccepted(h: ReviewHandle): Promise<ReviewStatus> {
  const screened = await waitFor(
    () => status(h),
    (s) => s.stage !== 'INTAKE',
    'intake screening the case',
  );
  if (screened.stage === 'DESIGNATION' && screened.designation?.decision === undefined) {
    await designate(h, true);
  }
  return untilStage(h, 'NATIONAL_SECURITY');
}

/**
 * Starts a case and waits until it is accepted (the national-security stage is open), NSA designating it
 * covered at once; `day0` is its acceptance.
 */
export async function startAccepted(
  client: Client,
  taskQueue: string,
  submission: SubmissionInput,
): Promise<{ h: ReviewHandle; accepted: ReviewStatus; day0: number }> {
  const h = await startReview(client, taskQueue, submission);
  const accepted = await untilAccepted(h);
  // The loop tells the lab's record of the acceptance (an activity) before it waits for messages: a message
  // accepted meanwhile is applied at once, but what the loop then does (an offer, a stage closing) waits for
  // that activity, so a check right after the message could miss it (seed 780882943: NSA's extension read
  // back without the WINDOW_AT_RISK the loop recorded moments later). The case is handed on once idle.
  await untilNoActivityRuns(h);
  return { h, accepted, day0: Date.parse(accepted.acceptedAt!) };
}

/**
 * Waits (real time, bounded) until the lab has every event so far, so that deliveries do not change the case
 * under a check. The time-skipping server must not skip time, and a case must not end, while a callback
 * delivery is in flight: terminating such a case leaves the server's time locked for every later test.
 */
export const untilDelivered = (h: ReviewHandle): Promise<ReviewStatus> =>
  waitFor(
    () => status(h),
    (s) => s.callbacks.pending === 0,
    'every callback delivered',
  );

/**
 * The callbacks the lab's endpoint accepted for the case, once every callback is delivered, of the given types
 * only, in the order received.
 */
export async function callbacksOf(h: ReviewHandle, types: readonly string[]) {
  const { submissionId } = await untilDelivered(h);
  return testServers()
    .labReceiver.eventsFor(submissionId)
    .filter((e) => types.includes(e.type));
}

/** The case's timeline once every callback is delivered, in order. */
export const deliveredTimeline = async (h: ReviewHandle): Promise<ReviewStatus['timeline']> =>
  (await untilDelivered(h)).timeline;

/** Terminates a case the test is done with, once no delivery is in flight (see untilDelivered). */
export async function terminateWhenDelivered(h: ReviewHandle): Promise<void> {
  await untilDelivered(h);
  await h.terminate('test done');
}

/**
 * Runs `fn` on a case just accepted on the real dev server (the national-security stage is open), then
 * terminates the case. `day0` is its acceptance.
 */
export async function withAcceptedCaseOnDevServer(
  fn: (h: ReviewHandle, day0: number) => Promise<void>,
): Promise<void> {
  await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
    const { h, day0 } = await startAccepted(client, taskQueue, completeSubmission());
    await fn(h, day0);
    await h.terminate('test done');
  });
}

/** Skips time on the time-skipping server. */
export const skip = async (duration: Duration): Promise<void> => (await timeSkipping()).sleep(duration);

/** Skips to the server time `at`, once no delivery is in flight (see untilDelivered). */
export async function skipTo(h: ReviewHandle, at: number): Promise<void> {
  await untilDelivered(h);
  await skip(at - (await serverNow()));
}

export const historyLength = async (h: ReviewHandle): Promise<number | undefined> =>
  (await h.fetchHistory()).events?.length;

export const decision = (kind: DecisionInput['kind'], extra: Partial<DecisionInput> = {}): DecisionInput =>
  ({
    kind,
    summary: `${kind} summary`,
    ...(kind === 'CONCERNS_MITIGATED' ? { commitments: ['keep the mitigation'] } : {}),
    ...extra,
  }) as DecisionInput;

export const decide = (h: ReviewHandle, agency: string, d: DecisionInput): Promise<Receipt> =>
  h.executeUpdate(M.recordDecision.update, { args: [{ actor: `agency:${agency}`, decision: d }] });

/** Each of `agencies` decides NO_CONCERNS, one after the other. */
export async function noConcernsFrom(h: ReviewHandle, agencies: readonly string[]): Promise<void> {
  for (const agency of agencies) await decide(h, agency, decision('NO_CONCERNS'));
}

/** From an accepted case, every agency decides NO_CONCERNS; returns the status once the determination is issued. */
export async function everyAgencyNoConcerns(h: ReviewHandle): Promise<ReviewStatus> {
  await noConcernsFrom(h, NS_AGENCIES);
  await untilStage(h, 'CIVILIAN');
  await noConcernsFrom(h, CIVILIAN_AGENCIES);
  return untilStage(h, 'PRE_RELEASE');
}

/**
 * The review's deadlines, counted from acceptance: all but the designating agency's, which was met before day 0
 * (rules 3) and stays on the record.
 */
export const reviewDeadlines = (s: ReviewStatus): ReviewStatus['deadlines'] =>
  s.deadlines.filter((d) => d.key !== 'designation');

/** The part of a status that a rejected message must leave untouched. */
export const unchangedPart = (s: ReviewStatus) => {
  const { asOf, ...rest } = s;
  return rest;
};
