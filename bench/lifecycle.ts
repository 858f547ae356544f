import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { averageCounts, countHistory, type HistoryCount } from './actions';
import { driveCase, type CaseRun, type DriveContext, type WorkloadKind } from './driver';
import { mb } from './report';
import { median, pool, summarize } from './stats';
import type { WorkerProcess } from './worker-handle';

/** Every history of the cases that completed, fetched a few at a time and counted. */
export async function countHistories(
  client: Client,
  workflowIds: string[],
  concurrency = 8,
): Promise<HistoryCount[]> {
  const counts: HistoryCount[] = [];
  await pool(workflowIds.length, concurrency, async (i) => {
    const history = await client.workflow.getHandle(workflowIds[i]).fetchHistory();
    counts.push(countHistory(history));
  });
  return counts;
}

/** Resident set and heap of the worker process over a stretch of the run (median and peak, MB). */
export function memoryOver(worker: WorkerProcess, from: number, to: number) {
  const samples = worker.samplesBetween(from, to);
  const peak = (k: 'rss' | 'heapUsed') =>
    samples.length === 0 ? undefined : Math.max(...samples.map((s) => s[k]));
  return {
    samples: samples.length,
    rssMb: mb(median(samples.map((s) => s.rss))),
    heapUsedMb: mb(median(samples.map((s) => s.heapUsed))),
    peakRssMb: mb(peak('rss')),
    peakHeapUsedMb: mb(peak('heapUsed')),
    cachedWorkflows: median(samples.map((s) => s.cachedWorkflows)),
  };
}

const seconds = (ms: number) => ms / 1000;

function errorsOf(runs: CaseRun[]) {
  const byMessage = new Map<string, number>();
  for (const r of runs) if (r.error !== undefined) byMessage.set(r.error, (byMessage.get(r.error) ?? 0) + 1);
  return [...byMessage.entries()].slice(0, 5).map(([message, count]) => ({ message, count }));
}

/**
 * One workload's measured phase: `cases` lives at `concurrency`, then their histories counted. Steady-state
 * memory is the median of the worker's samples over the middle half of the phase (start-up and drain left out).
 */
export async function runPhase(
  kind: WorkloadKind,
  ctx: DriveContext,
  worker: WorkerProcess,
  cases: number,
  concurrency: number,
  signal: AbortSignal,
) {
  const runs: CaseRun[] = [];
  const t0 = performance.now();
  await pool(cases, concurrency, async (i) => void runs.push(await driveCase(kind, ctx, i)), signal);
  const t1 = performance.now();
  const ok = runs.filter((r) => r.error === undefined && r.completedAt !== undefined);
  // A case that failed may still be running: end it, so it neither loads the next phase nor outlives the bench.
  for (const r of runs) {
    if (r.error !== undefined && r.workflowId !== '') {
      await ctx.client.workflow
        .getHandle(r.workflowId)
        .terminate('benchmark case failed')
        .catch(() => undefined);
    }
  }
  const counts = await countHistories(
    ctx.client,
    ok.map((r) => r.workflowId),
  );
  const latency = (f: (r: CaseRun) => number | undefined) =>
    summarize(runs.map(f).filter((x): x is number => x !== undefined));
  const wallSeconds = seconds(t1 - t0);
  return {
    workload: kind,
    cases,
    concurrency,
    completed: ok.length,
    failed: runs.length - ok.length,
    notStarted: cases - runs.length,
    errors: errorsOf(runs),
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    completedPerSecond: Math.round((ok.length / wallSeconds) * 1000) / 1000,
    decisionToCallbackMs: latency((r) => r.stageClosedLatencyMs) && {
      both: summarize(
        runs
          .flatMap((r) => [r.stageClosedLatencyMs, r.determinationLatencyMs])
          .filter((x): x is number => x !== undefined),
      ),
      stageClosed: latency((r) => r.stageClosedLatencyMs),
      determinationIssued: latency((r) => r.determinationLatencyMs),
    },
    startToIntakeDoneSeconds: latency((r) =>
      r.openedAt === undefined ? undefined : seconds(r.openedAt - r.startedAt),
    ),
    updateAcceptMs: summarize(runs.flatMap((r) => r.updateAcceptMs)),
    startToDeterminationSeconds: latency((r) =>
      r.determinedAt === undefined ? undefined : seconds(r.determinedAt - r.startedAt),
    ),
    caseLifeSeconds: latency((r) =>
      r.completedAt === undefined ? undefined : seconds(r.completedAt - r.startedAt),
    ),
    updates: {
      accepted: runs.reduce((a, r) => a + r.updatesAccepted, 0),
      rejected: runs.reduce((a, r) => a + r.updatesRejected, 0),
    },
    /** Queries are billable but leave no history: the driver sends none while it drives. */
    queriesSent: 0,
    outcomes: Object.fromEntries(
      [...new Set(ok.map((r) => r.outcome ?? '(none)'))].map((o) => [
        o,
        ok.filter((r) => (r.outcome ?? '(none)') === o).length,
      ]),
    ),
    history: averageCounts(counts),
    workerMemory: memoryOver(worker, t0 + 0.25 * (t1 - t0), t0 + 0.75 * (t1 - t0)),
  };
}
export type PhaseResult = Awaited<ReturnType<typeof runPhase>>;
