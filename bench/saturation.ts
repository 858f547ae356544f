import type { DriveContext, WorkloadKind } from './driver';
import { runPhase } from './lifecycle';
import { table, type Cell } from './report';
import type { WorkerProcess } from './worker-handle';

/** A step must raise completed cases per second by this much over the best so far, or the knee is reached. */
const RISE = 1.1;

export interface SaturationStep {
  concurrency: number;
  cases: number;
  completedPerSecond: number;
  failed: number;
  decisionToCallbackP99Ms?: number;
  actionsPerCase?: number;
  /** Why cases failed, by message (the first five). */
  errors: { message: string; count: number }[];
}

/**
 * Raises one workload's concurrency, doubling it, until completed cases per second stop rising (by less than
 * 10 % over the best step), a case fails, or the limit: the capacity the lifecycle run cannot show, where the
 * window and the concurrency bound the throughput. The knee is the step with the most completed cases per
 * second.
 */
async function saturate(
  kind: WorkloadKind,
  ctx: DriveContext,
  worker: WorkerProcess,
  from: number,
  max: number,
  signal: AbortSignal,
  progress: (msg: string) => void,
): Promise<{ steps: SaturationStep[]; knee: SaturationStep }> {
  const steps: SaturationStep[] = [];
  for (let concurrency = from; concurrency <= max; concurrency *= 2) {
    const cases = concurrency * 3;
    progress(`saturation, ${kind}: ${cases} cases at concurrency ${concurrency} ...`);
    const phase = await runPhase(
      kind,
      { ...ctx, runTag: `${ctx.runTag}c${concurrency}` },
      worker,
      cases,
      concurrency,
      signal,
    );
    const best = Math.max(0, ...steps.map((s) => s.completedPerSecond));
    steps.push({
      concurrency,
      cases,
      completedPerSecond: phase.completedPerSecond,
      failed: phase.failed + phase.notStarted,
      decisionToCallbackP99Ms: phase.decisionToCallbackMs?.both?.p99,
      actionsPerCase: phase.history.actions,
      errors: phase.errors,
    });
    if (phase.failed + phase.notStarted > 0 || phase.completedPerSecond < best * RISE) break;
  }
  const knee = steps.reduce((a, b) => (b.completedPerSecond > a.completedPerSecond ? b : a));
  return { steps, knee };
}

export async function runSaturation(
  ctx: DriveContext,
  worker: WorkerProcess,
  opts: { concurrency: number; saturateMax: number },
  signal: AbortSignal,
  progress: (msg: string) => void,
) {
  const review = await saturate('review', ctx, worker, opts.concurrency, opts.saturateMax, signal, progress);
  const baseline = await saturate(
    'baseline',
    ctx,
    worker,
    opts.concurrency,
    opts.saturateMax,
    signal,
    progress,
  );
  return {
    review,
    baseline,
    kneeRatio: Math.round((review.knee.completedPerSecond / baseline.knee.completedPerSecond) * 100) / 100,
  };
}
export type SaturationResult = Awaited<ReturnType<typeof runSaturation>>;

export function saturationTable(r: SaturationResult): string {
  const rows: Cell[][] = [
    ['workload', 'concurrency', 'cases', 'completed per s', 'failed', 'callback p99 ms'],
  ];
  for (const [kind, s] of [
    ['review', r.review],
    ['baseline', r.baseline],
  ] as const) {
    for (const step of s.steps) {
      rows.push([
        step === s.knee ? `${kind} (knee)` : kind,
        step.concurrency,
        step.cases,
        step.completedPerSecond,
        step.failed,
        step.decisionToCallbackP99Ms,
      ]);
    }
  }
  const errors = [...r.review.steps, ...r.baseline.steps].flatMap((st) =>
    st.errors.map((e) => `  at concurrency ${st.concurrency}: ${e.count} × ${e.message}`),
  );
  return `${table(rows)}${errors.length > 0 ? `\n\nfailed cases:\n${errors.join('\n')}` : ''}\n\nknee: review ${r.review.knee.completedPerSecond} cases/s at concurrency ${r.review.knee.concurrency}, baseline ${r.baseline.knee.completedPerSecond} at ${r.baseline.knee.concurrency}; ratio ${r.kneeRatio}`;
}
