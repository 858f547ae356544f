import { performance } from 'node:perf_hooks';
import { WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import type { DecisionInput } from '../shared/domain/decisions';
import { MESSAGES as M } from '../shared/domain/review/messages';
import { reviewWorkflowId } from '../shared/domain/review/workflow';
import { startAttributes } from '../shared/domain/review/search-attributes';
import { Submission, type SubmissionInput } from '../shared/domain/submission';
import { baselineUpdate, type BaselineInput } from './baseline-workflow';
import type { Arrival, BenchReceiver } from './receiver';
import { seededRandom, shuffle } from './stats';

export const NATIONAL_SECURITY = ['NSA', 'CISA', 'DOW'] as const;
export const CIVILIAN = ['CAISI', 'DOE', 'TREASURY'] as const;
const DAY_MS = 86_400_000;

export type WorkloadKind = 'review' | 'baseline';

/** What the driver learned about one case; times are ms of the driver's performance clock. */
export interface CaseRun {
  submissionId: string;
  workflowId: string;
  startedAt: number;
  /** The lab heard that the first stage opened: intake is done. */
  openedAt?: number;
  determinedAt?: number;
  completedAt?: number;
  /** Last decision of the NATIONAL_SECURITY stage accepted → its STAGE_CLOSED callback received. */
  stageClosedLatencyMs?: number;
  /** Last decision of the CIVILIAN stage accepted → its DETERMINATION_ISSUED callback received. */
  determinationLatencyMs?: number;
  updatesAccepted: number;
  updatesRejected: number;
  /** Each decision: from the update's request to the server's report that it was accepted. */
  updateAcceptMs: number[];
  outcome?: string;
  error?: string;
}

export interface DriveContext {
  client: Client;
  taskQueue: string;
  receiver: BenchReceiver;
  labId: string;
  policyId: string;
  windowMs: number;
  /** Bound on each wait for a callback or a result. */
  waitMs: number;
  seed: number;
  runTag: string;
}

/** Seeded positions that never escalate (no CONCERNS_UNRESOLVED): the determination follows by rule at once. */
function decisionFor(random: () => number): DecisionInput {
  const r = random();
  if (r < 0.7) return { kind: 'NO_CONCERNS', summary: 'No concerns identified in the benchmark evaluation.' };
  if (r < 0.9) {
    return {
      kind: 'CONCERNS_MITIGATED',
      summary: 'Concerns mitigated by the lab’s safeguards.',
      commitments: ['Keep the evaluated safeguards in the released model.'],
    };
  }
  return { kind: 'UNABLE_TO_ASSESS', summary: 'Access was not sufficient for a full assessment.' };
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};

interface Workload {
  start(ctx: DriveContext, submissionId: string): Promise<WorkflowHandle>;
  decide(h: WorkflowHandle, agency: string, decision: DecisionInput, updateId: string): Promise<Accepted>;
  /** The callback that tells the agencies a stage is open / that the stage's last decision took effect. */
  opened(stage: 0 | 1): (a: Arrival) => boolean;
  caused(stage: 0 | 1): (a: Arrival) => boolean;
  outcome(result: unknown): string | undefined;
}

interface Accepted {
  sentAt: number;
  acceptedAt: number;
}

/** Sends one update, noting when the server reports it ACCEPTED, then awaits its result. */
async function acceptThenComplete<T>(start: () => Promise<{ result(): Promise<T> }>): Promise<Accepted> {
  const sentAt = performance.now();
  const handle = await start();
  const acceptedAt = performance.now();
  await handle.result();
  return { sentAt, acceptedAt };
}

const STAGES = ['NATIONAL_SECURITY', 'CIVILIAN'] as const;

export const reviewWorkload: Workload = {
  async start(ctx, submissionId) {
    const submission: SubmissionInput = {
      submissionId,
      labId: ctx.labId,
      model: { name: 'Bench-1', version: '1.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'benchmark evaluator keys' },
      callbackUrl: ctx.receiver.url,
      plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
      policyId: ctx.policyId,
    };
    return ctx.client.workflow.start('review', {
      taskQueue: ctx.taskQueue,
      workflowId: reviewWorkflowId(submissionId),
      args: [{ submission }],
      // As the gateway starts a case: with the attributes lists show until intake is done.
      typedSearchAttributes: startAttributes(Submission.parse(submission), new Date()),
    });
  },
  decide: (h, agency, decision, updateId) =>
    acceptThenComplete(() =>
      h.startUpdate(M.recordDecision.update, {
        args: [{ actor: `agency:${agency}`, decision }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        updateId,
      }),
    ),
  opened: (stage) => (a) => a.type === 'STAGE_OPENED' && a.payload.stage === STAGES[stage],
  caused: (stage) => (a) =>
    stage === 0
      ? a.type === 'STAGE_CLOSED' && a.payload.stage === STAGES[0]
      : a.type === 'DETERMINATION_ISSUED',
  outcome: (r) => (r as { outcome?: string }).outcome,
};

/** The baseline posts the review's happy-path events under the same sequence numbers. */
export const baselineWorkload: Workload = {
  start(ctx, submissionId) {
    const input: BaselineInput = {
      submissionId,
      labId: ctx.labId,
      url: ctx.receiver.url,
      windowMs: ctx.windowMs,
      phases: [NATIONAL_SECURITY.length, CIVILIAN.length],
    };
    return ctx.client.workflow.start('benchBaseline', {
      taskQueue: ctx.taskQueue,
      workflowId: `baseline-${submissionId}`,
      args: [input],
    });
  },
  decide: (h, agency, _decision, updateId) =>
    acceptThenComplete(() =>
      h.startUpdate(baselineUpdate, {
        args: [{ actor: `agency:${agency}` }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        updateId,
      }),
    ),
  opened: (stage) => (a) => a.type === 'STAGE_OPENED' && a.sequence === (stage === 0 ? 3 : 5),
  caused: (stage) => (a) => a.sequence === (stage === 0 ? 4 : 7),
  outcome: () => undefined,
};

export const workloads: Record<WorkloadKind, Workload> = {
  review: reviewWorkload,
  baseline: baselineWorkload,
};

/**
 * One case's whole life, as the agencies live it: start the case; when the lab is told a stage opened, each
 * agency of that stage decides in turn (seeded order and position); measure from the stage's last decision
 * being accepted to the callback it causes; wait for the window's end and the workflow's completion.
 */
export async function driveCase(kind: WorkloadKind, ctx: DriveContext, index: number): Promise<CaseRun> {
  const w = workloads[kind];
  const submissionId = `bench-${ctx.runTag}-${kind === 'review' ? 'r' : 'b'}${index}`;
  // Each case draws from its own stream, so the same seed gives the same case whatever the scheduling.
  const random = seededRandom(ctx.seed * 1_000_003 + index);
  const rosters = [shuffle(NATIONAL_SECURITY, random), shuffle(CIVILIAN, random)];
  const decisions = rosters.map((r) => r.map(() => decisionFor(random)));
  const run: CaseRun = {
    submissionId,
    workflowId: '',
    startedAt: performance.now(),
    updatesAccepted: 0,
    updatesRejected: 0,
    updateAcceptMs: [],
  };
  try {
    const h = await within(w.start(ctx, submissionId), ctx.waitMs, 'start');
    run.workflowId = h.workflowId;
    for (const stage of [0, 1] as const) {
      const opened = await ctx.receiver.waitFor(submissionId, w.opened(stage), ctx.waitMs);
      if (stage === 0) run.openedAt = opened.at;
      let lastAccepted = 0;
      for (const [i, agency] of rosters[stage].entries()) {
        try {
          const u = await within(
            w.decide(h, agency, decisions[stage][i], `${submissionId}-${stage}-${agency}`),
            ctx.waitMs,
            `decision of ${agency}`,
          );
          lastAccepted = u.acceptedAt;
          run.updateAcceptMs.push(u.acceptedAt - u.sentAt);
          run.updatesAccepted += 1;
        } catch (err) {
          run.updatesRejected += 1;
          throw err;
        }
      }
      const caused = await ctx.receiver.waitFor(submissionId, w.caused(stage), ctx.waitMs);
      if (stage === 0) run.stageClosedLatencyMs = caused.at - lastAccepted;
      else {
        run.determinationLatencyMs = caused.at - lastAccepted;
        run.determinedAt = caused.at;
      }
    }
    const result = await within(h.result() as Promise<unknown>, ctx.windowMs + ctx.waitMs, 'workflow result');
    run.completedAt = performance.now();
    run.outcome = w.outcome(result);
  } catch (err) {
    run.error = describeError(err);
  }
  return run;
}

/** An error's message with its cause's (an update's refusal carries its code there). */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (!(cause instanceof Error)) return err.message;
  const type = (cause as { type?: string }).type;
  return `${err.message}: ${type ?? cause.name}: ${cause.message}`;
}
