import { performance } from 'node:perf_hooks';
import { DEFAULT_POLICY_ID } from '../shared/domain/policy-names';
import { reviewWorkflowId } from '../shared/domain/review/workflow';
import type { SubmissionInput } from '../shared/domain/submission';
import { countHistories, memoryOver } from './lifecycle';
import { averageCounts } from './actions';
import type { BaselineInput } from './baseline-workflow';
import { CIVILIAN, NATIONAL_SECURITY } from './driver';
import { AT_RISK_POLICY_ID } from './policy';
import { mb, table, type Cell } from './report';
import { pool, seededRandom, summarize } from './stats';
import type { BenchEnvironment } from './environment';

const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it holds or `limitMs` passes; says whether it held. */
async function until(
  check: () => boolean | Promise<boolean>,
  limitMs: number,
  everyMs: number,
  signal: AbortSignal,
  tick?: () => void,
): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end && !signal.aborted) {
    if (await check()) return true;
    tick?.();
    await sleep(everyMs);
  }
  return check();
}

async function timed(repeats: number, call: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await call();
    ms.push(performance.now() - t);
  }
  return summarize(ms);
}

/**
 * Scale mode: opens `scale` cases on the 90-day policy (a seeded share on a variant whose first stage is at
 * risk 10 s after acceptance) and leaves them waiting on their windows; once every intake is done and
 * visibility shows them, measures the worker's memory, the server's data size and the operations list
 * queries (the gateway's query shapes and page sizes) at that size.
 */
export async function runScale(env: BenchEnvironment, atRiskAfterSeconds: number) {
  const { opts, server, receiver, worker, signal } = env;
  const client = server.client;
  const random = seededRandom(opts.seed);
  const review = opts.scaleWorkload === 'review';
  const atRisk = Array.from({ length: opts.scale }, () => review && random() < opts.scaleAtRisk);
  const ids: string[] = [];
  const log = (msg: string) => void process.stderr.write(`bench: ${msg}\n`);
  if (server.dbFile === undefined && !opts.scaleKeep) {
    env.defer('terminate scale cases', () =>
      pool(ids.length, 20, async (i) => {
        await client.workflow
          .getHandle(ids[i])
          .terminate('benchmark finished')
          .catch(() => undefined);
      }),
    );
  }

  // The idle worker's memory, before any case: what the cached cases add is measured over it.
  worker.requestSample();
  await sleep(3000);
  const t0 = performance.now();
  let lastLog = Date.now();
  // A worker that dies while opening is a result too: opening stops, the server-side figures are still taken.
  const opening = new AbortController();
  env.signal.addEventListener('abort', () => opening.abort());
  let workerEnded: { how: string; afterSeconds: number; openedBefore: number } | undefined;
  let endedAt = 0;
  const tick = (what: () => string) => {
    const how = worker.exit();
    if (how !== undefined && workerEnded === undefined) {
      endedAt = performance.now();
      const openedBefore = Math.floor(receiver.count() / 3);
      workerEnded = { how, afterSeconds: Math.round((endedAt - t0) / 1000), openedBefore };
      log(
        `scale: the worker process ended (${how}) with ${openedBefore} cases open; measuring the server side`,
      );
      opening.abort();
    }
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      log(what());
    }
  };
  let startErrors = 0;
  // Submissions arrive as intake absorbs them: a burst of thousands of concurrent intakes would only measure
  // the sticky cache thrashing (every step of an evicted case replays it).
  let launched = 0;
  const inIntake = () => launched - receiver.count('STAGE_OPENED');
  const launchUntil = Date.now() + opts.scaleOpenMinutes * 60_000;
  // Cases are launched in index order, so the at-risk ones among those started are a prefix count.
  const atRiskStarted = () => atRisk.slice(0, launched).filter(Boolean).length;
  await pool(
    opts.scale,
    opts.scaleConcurrency,
    async (i) => {
      while (inIntake() >= opts.scaleIntakeWindow && !opening.signal.aborted) {
        await sleep(25);
        tick(
          () =>
            `scale: ${ids.length}/${opts.scale} started, ${receiver.count('STAGE_OPENED')} through intake`,
        );
      }
      if (opening.signal.aborted || Date.now() > launchUntil) return;
      launched += 1;
      const submission: SubmissionInput = {
        submissionId: `bench-${env.runTag}-s${i}`,
        labId: 'bench-lab',
        model: { name: 'Bench-Scale', version: '1.0', trainingComputeFlop: 3e26 },
        access: { kind: 'API', details: 'benchmark evaluator keys' },
        callbackUrl: receiver.url,
        plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
        policyId: atRisk[i] ? AT_RISK_POLICY_ID : DEFAULT_POLICY_ID,
      };
      // The baseline waits on the same 90-day window with the same intake and callbacks, without the logic.
      const baseline: BaselineInput = {
        submissionId: submission.submissionId,
        labId: submission.labId,
        url: receiver.url,
        windowMs: 90 * DAY_MS,
        phases: [NATIONAL_SECURITY.length, CIVILIAN.length],
      };
      try {
        const h = review
          ? await client.workflow.start('review', {
              taskQueue: env.taskQueue,
              workflowId: reviewWorkflowId(submission.submissionId),
              args: [{ submission }],
            })
          : await client.workflow.start('benchBaseline', {
              taskQueue: env.taskQueue,
              workflowId: `baseline-${submission.submissionId}`,
              args: [baseline],
            });
        ids.push(h.workflowId);
      } catch {
        startErrors += 1;
      }
      tick(
        () =>
          `scale: ${ids.length}/${opts.scale} started, ${Math.floor(receiver.count() / 3)} through intake`,
      );
    },
    opening.signal,
  );
  const t1 = performance.now();
  log(`scale: ${ids.length} started in ${((t1 - t0) / 1000).toFixed(1)} s; waiting for every intake ...`);
  // The last window of intakes still finishes after the opening time is up.
  const intakeLimitMs = Math.max(120_000, launchUntil - Date.now());
  const intakeDone = await until(
    () => receiver.count() >= 3 * ids.length,
    intakeLimitMs,
    1000,
    opening.signal,
    () => tick(() => `scale: ${Math.floor(receiver.count() / 3)}/${ids.length} through intake`),
  );
  const t2 = performance.now();
  // Cases through intake (their third callback arrived); if time ran out first, the figures are at this size.
  const opened = Math.min(ids.length, Math.floor(receiver.count() / 3));

  const where = (clause: string) => `WorkflowType = '${review ? 'review' : 'benchBaseline'}' AND ${clause}`;
  const byStage = where(`ReviewStage = 'NATIONAL_SECURITY'`);
  const byAtRisk = where('ReviewAtRisk = true');
  const running = where(`ExecutionStatus = 'Running'`);
  const count = async (q: string) => (await client.workflow.count(q)).count;
  log('scale: waiting until visibility lists every case and every at-risk case ...');
  const visible = await until(
    async () =>
      review
        ? (await count(byStage)) >= opened && (await count(byAtRisk)) >= (intakeDone ? atRiskStarted() : 0)
        : (await count(running)) >= ids.length,
    300_000,
    2000,
    signal,
    () => tick(() => 'scale: visibility is catching up ...'),
  );
  const t3 = performance.now();
  log('scale: 15 s of steady state ...');
  if (workerEnded === undefined) await sleep(15_000);
  tick(() => 'scale: steady state sampled');
  const t4 = performance.now();
  // After a crash: the worker's last 15 s instead.
  const steady =
    workerEnded === undefined ? memoryOver(worker, t3, t4) : memoryOver(worker, endedAt - 15_000, endedAt);
  // What each cached case adds to the worker: the steady RSS over the idle worker's, per workflow in its cache.
  const idle = memoryOver(worker, -Infinity, t0);
  const perCachedMb =
    steady.rssMb === undefined || idle.rssMb === undefined || !steady.cachedWorkflows
      ? undefined
      : Math.round(((steady.rssMb - idle.rssMb) / steady.cachedWorkflows) * 1000) / 1000;

  log('scale: list queries ...');
  const list = (q: string, pageSize: number) => () =>
    client.workflowService.listWorkflowExecutions({ namespace: server.namespace, query: q, pageSize });
  const scan = async (q: string) => {
    let pages = 0;
    let rows = 0;
    let token: Uint8Array | undefined;
    const t = performance.now();
    do {
      const r = await client.workflowService.listWorkflowExecutions({
        namespace: server.namespace,
        query: q,
        pageSize: 100,
        nextPageToken: token,
      });
      pages += 1;
      rows += r.executions.length;
      token = r.nextPageToken && r.nextPageToken.length > 0 ? r.nextPageToken : undefined;
    } while (token !== undefined && pages < 1000);
    return { ms: Math.round(performance.now() - t), pages, rows };
  };
  const queries = [];
  const filters: [string, string][] = review
    ? [
        ['by stage (NATIONAL_SECURITY)', byStage],
        ['by at-risk', byAtRisk],
        ['every running case', running],
      ]
    : [['every running case', running]];
  for (const [name, q] of filters) {
    queries.push({
      name,
      query: q,
      matches: await count(q),
      firstPage20Ms: await timed(opts.queryRepeats, list(q, 20)),
      firstPage100Ms: await timed(opts.queryRepeats, list(q, 100)),
      countMs: await timed(opts.queryRepeats, () => count(q)),
      /** Every match in pages of 100, as the gateway's fan-out (toll every clock) reads them. */
      fullScan: await scan(q),
    });
  }
  // With --scale-keep the server also holds the cases of earlier runs: the data is divided by all of them.
  const openOnServer = Math.max(ids.length, queries.find((q) => q.query === running)?.matches ?? 0);
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 20)) === 0).slice(0, 20);
  const history = averageCounts(await countHistories(client, sample));
  return {
    workload: opts.scaleWorkload,
    cases: opts.scale,
    started: ids.length,
    opened,
    workerEnded,
    startErrors,
    atRiskCases: atRiskStarted(),
    atRiskAfterSeconds,
    intakeComplete: intakeDone,
    visibilityCaughtUp: visible,
    startSeconds: Math.round((t1 - t0) / 10) / 100,
    startsPerSecond: Math.round((ids.length / ((t1 - t0) / 1000)) * 10) / 10,
    /** First start to the last intake's third callback (STAGE_OPENED) received. */
    openSeconds: Math.round((t2 - t0) / 10) / 100,
    openedPerSecond: Math.round((opened / ((t2 - t0) / 1000)) * 10) / 10,
    callbacksReceived: receiver.count(),
    workerMemory: steady,
    workerIdleRssMb: idle.rssMb,
    workerRssPerCachedWorkflowMb: perCachedMb,
    workerMemoryPeakWhileOpening: memoryOver(worker, t0, t2),
    server: { dataMb: mb(server.dataBytes()), rssMb: mb(server.rssBytes()) },
    dataKbPerCase:
      server.dataBytes() === undefined
        ? undefined
        : Math.round((server.dataBytes()! / 1024 / openOnServer) * 10) / 10,
    queries,
    historyPerOpenCase: history,
  };
}
export type ScaleResult = Awaited<ReturnType<typeof runScale>>;

export function scaleTable(s: ScaleResult): string {
  const rows: Cell[][] = [
    [`scale figure (${s.workload})`, 'value'],
    ['cases started', s.started],
    ['cases open (intake done)', s.opened],
    [
      'worker process ended early',
      s.workerEnded === undefined
        ? 'no'
        : `after ${s.workerEnded.afterSeconds} s: ${s.workerEnded.how.split(':')[0]}`,
    ],
    ['of which at risk', s.atRiskCases],
    ['starts per second', s.startsPerSecond],
    ['opened (intake done, 3 callbacks) per second', s.openedPerSecond],
    ['time to open them all, s', s.openSeconds],
    ['worker RSS, steady MB', s.workerMemory.rssMb],
    ['worker heap used, steady MB', s.workerMemory.heapUsedMb],
    ['workflows in the worker cache, steady', s.workerMemory.cachedWorkflows],
    ['worker RSS per cached workflow (over the idle worker), MB', s.workerRssPerCachedWorkflowMb],
    ['worker RSS peak while opening, MB', s.workerMemoryPeakWhileOpening.peakRssMb],
    ['server data (SQLite + WAL, or PostgreSQL on the cluster profile), MB', s.server.dataMb],
    ['server data per case, KB', s.dataKbPerCase],
    ['server RSS, MB', s.server.rssMb],
    ['history events per open case', s.historyPerOpenCase.events],
    ['billable actions per open case so far', s.historyPerOpenCase.actions],
  ];
  for (const q of s.queries) {
    rows.push([`${q.name}: matches`, q.matches]);
    rows.push([`  first page of 20, p50 / p95 ms`, `${q.firstPage20Ms?.p50} / ${q.firstPage20Ms?.p95}`]);
    rows.push([`  first page of 100, p50 / p95 ms`, `${q.firstPage100Ms?.p50} / ${q.firstPage100Ms?.p95}`]);
    rows.push([`  count, p50 / p95 ms`, `${q.countMs?.p50} / ${q.countMs?.p95}`]);
    rows.push([`  every match in pages of 100, ms (pages)`, `${q.fullScan.ms} (${q.fullScan.pages})`]);
  }
  return table(rows);
}
