import { newCallbackSecret } from '../shared/node/callback-signature';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { TemporalPinoLogger, type Logger } from '../shared/node/logger';
import { installTemporalRuntime } from '../shared/node/temporal-runtime';
import { KeyRing, newKeyRingFile } from '../shared/node/key-ring';
import { sealedDataConverter } from '../shared/node/sealing';
import { productClientInterceptors } from '../shared/node/message-binding';
import { PROJECT_ROOT } from '../shared/node/tools';
import { bundleOptions } from '../workers/workflow-bundle';
import { ACTION_RULES } from './actions';
import type { BenchEnvironment } from './environment';
import { driveCase, type DriveContext } from './driver';
import { runPhase, type PhaseResult } from './lifecycle';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { atRiskPolicy, BENCH_POLICY_ID, secondsPolicy } from './policy';
import { startBenchReceiver } from './receiver';
import { mb, pct, ratio, table, writeJson, type Cell } from './report';
import { runSaturation, saturationTable } from './saturation';
import { runScale, scaleTable } from './scale';
import { startBenchServer } from './server';
import { pool } from './stats';
import { startWorkerProcess } from './worker-handle';

const LAB_ID = 'bench-lab';
const AT_RISK_AFTER_SECONDS = 10;

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function temporalCliVersion(): string | undefined {
  try {
    const cli = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-temporal-cli.sh')], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    return cli === undefined ? undefined : execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** What the bench starts, stopped in reverse order however the run ends. */
class Stack {
  private readonly items: { name: string; stop: () => Promise<unknown> }[] = [];
  push(name: string, stop: () => Promise<unknown>): void {
    this.items.push({ name, stop });
  }
  async unwind(logger: Logger): Promise<void> {
    for (const item of this.items.splice(0).reverse()) {
      try {
        await item.stop();
      } catch (err) {
        logger.warn({ err, item: item.name }, 'could not stop');
      }
    }
  }
}

async function setUp(
  opts: BenchOptions,
  logger: Logger,
  stack: Stack,
  signal: AbortSignal,
): Promise<BenchEnvironment> {
  const runTag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const taskQueue = `bench-${runTag}`;
  const secret = newCallbackSecret();
  // Every payload is sealed, as the product seals it, with a key ring of this run's own.
  const payloadKeys = newKeyRingFile('bench');
  const dataConverter = sealedDataConverter(KeyRing.of('payload', payloadKeys));
  progress('starting the Temporal server, the lab receiver, the workflow bundle and the workers ...');
  const started = startBenchServer(logger, dataConverter, opts.clusterDir).then(
    (s) => (stack.push('temporal server', () => s.stop()), s),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-bench-bundle-'));
  stack.push('bundle', async () => rmSync(dir, { recursive: true, force: true }));
  const bundled =
    opts.bundle !== undefined
      ? Promise.resolve({ dir, codePath: path.resolve(opts.bundle) })
      : bundleWorkflowCode({
          ...bundleOptions(require.resolve('./workflows')),
          logger: new TemporalPinoLogger(logger.child({ component: 'bundler' })),
        }).then((bundle) => {
          const codePath = path.join(dir, 'workflow-bundle.js');
          writeFileSync(codePath, bundle.code);
          return { dir, codePath };
        });
  // The worker processes start at once and load their modules while the server starts and the bundle builds.
  const workerConfig = Promise.all([started, bundled]).then(([server, { dir, codePath }]) => ({
    address: server.workerAddress,
    namespace: server.namespace,
    codePath,
    labId: LAB_ID,
    secret,
    policies: [secondsPolicy(opts.windowSeconds), atRiskPolicy(AT_RISK_AFTER_SECONDS)],
    logFile: path.join(PROJECT_ROOT, 'bench-results', 'bench-worker.log'),
    // Removed with the bundle, whether the workers stopped or were killed.
    recordsDir: path.join(dir, 'records'),
    memoryIntervalMs: 1000,
    maxCachedWorkflows: opts.maxCachedWorkflows,
  }));
  // The same review without the payload codec, on a task queue and worker of its own: the codec's cost.
  const plainQueue = `${taskQueue}-plaintext`;
  const [server, receiver, worker, plainWorker] = await Promise.all([
    started,
    startBenchReceiver(secret).then((r) => (stack.push('callback receiver', () => r.close()), r)),
    startWorkerProcess(workerConfig.then((c) => ({ ...c, taskQueue, payloadKeys }))).then(
      (w) => (stack.push('worker', () => w.stop()), w),
    ),
    startWorkerProcess(workerConfig.then((c) => ({ ...c, taskQueue: plainQueue }))).then(
      (w) => (stack.push('plaintext worker', () => w.stop()), w),
    ),
  ]);
  // Unsealed, but its messages bound to their case as every client of the product binds them.
  const plainClient = new Client({
    connection: server.client.connection,
    namespace: server.namespace,
    interceptors: productClientInterceptors(),
  });
  return {
    opts,
    logger,
    server,
    receiver,
    worker,
    taskQueue,
    plaintext: { worker: plainWorker, taskQueue: plainQueue, client: plainClient },
    runTag,
    signal,
    defer: (name, stop) => stack.push(name, stop),
  };
}

const progress = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

function driveContext(env: BenchEnvironment): DriveContext {
  return {
    client: env.server.client,
    taskQueue: env.taskQueue,
    receiver: env.receiver,
    labId: LAB_ID,
    policyId: BENCH_POLICY_ID,
    windowMs: env.opts.windowSeconds * 1000,
    waitMs: 60_000,
    seed: env.opts.seed,
    runTag: env.runTag,
  };
}

async function lifecycle(env: BenchEnvironment) {
  const { opts } = env;
  const ctx = driveContext(env);
  if (opts.warmup > 0) {
    progress(`warm-up: ${opts.warmup} case(s) of each workload, not counted ...`);
    await pool(opts.warmup * 2, opts.warmup * 2, async (i) => {
      await driveCase(i % 2 === 0 ? 'review' : 'baseline', { ...ctx, runTag: `${env.runTag}w` }, i);
    });
  }
  const plainCtx = {
    ...ctx,
    client: env.plaintext.client,
    taskQueue: env.plaintext.taskQueue,
    runTag: `${env.runTag}p`,
  };
  const phases: (() => Promise<PhaseResult>)[] = [
    ...(['review', 'baseline'] as const).map((kind) => () => {
      progress(
        `${kind}: ${opts.cases} cases at concurrency ${opts.concurrency}, ${opts.windowSeconds}-second windows ...`,
      );
      return runPhase(kind, ctx, env.worker, opts.cases, opts.concurrency, env.signal);
    }),
    () => {
      progress(`review without the payload codec: ${opts.cases} cases, for the codec's cost ...`);
      return runPhase('review', plainCtx, env.plaintext.worker, opts.cases, opts.concurrency, env.signal);
    },
  ];
  // Each phase is measured alone. The smoke run only shows that every workload completes and its figures are
  // written, so its phases share the window they would otherwise wait out one after another.
  const results: PhaseResult[] = [];
  if (opts.smoke) results.push(...(await Promise.all(phases.map((phase) => phase()))));
  else for (const phase of phases) results.push(await phase());
  const [review, baseline, plaintext] = results;
  return {
    review,
    baseline,
    plaintext,
    serverAfter: { dataMb: mb(env.server.dataBytes()), rssMb: mb(env.server.rssBytes()) },
  };
}

/** The payload codec's cost: the same review, sealed and not. */
function codecTable(r: Awaited<ReturnType<typeof lifecycle>>): string {
  const { review: a, plaintext: b } = r;
  const row = (label: string, x: number | undefined, y: number | undefined): Cell[] => [
    label,
    x,
    y,
    ratio(x, y),
  ];
  return table([
    ['metric', 'sealed', 'plaintext', 'sealed/plaintext'],
    row('completed cases per second', a.completedPerSecond, b.completedPerSecond),
    row(
      'decision accepted → callback, p50 ms',
      pct(a.decisionToCallbackMs?.both, 'p50'),
      pct(b.decisionToCallbackMs?.both, 'p50'),
    ),
    row(
      'decision accepted → callback, p99 ms',
      pct(a.decisionToCallbackMs?.both, 'p99'),
      pct(b.decisionToCallbackMs?.both, 'p99'),
    ),
    row('update request → accepted, p50 ms', pct(a.updateAcceptMs, 'p50'), pct(b.updateAcceptMs, 'p50')),
    row('history KB per case', a.history.bytes / 1024, b.history.bytes / 1024),
    row('worker RSS, steady MB', a.workerMemory.rssMb, b.workerMemory.rssMb),
  ]);
}

function lifecycleTable(r: Awaited<ReturnType<typeof lifecycle>>): string {
  const { review: a, baseline: b } = r;
  const row = (label: string, x: number | undefined, y: number | undefined): Cell[] => [
    label,
    x,
    y,
    ratio(x, y),
  ];
  const lat = (p: PhaseResult) => p.decisionToCallbackMs;
  const act = (p: PhaseResult, k: string) => p.history.actionsByRule[k] ?? 0;
  const ev = (p: PhaseResult, k: string) => p.history.eventsByType[k] ?? 0;
  return table([
    ['metric', 'review', 'baseline', 'review/baseline'],
    row('cases completed', a.completed, b.completed),
    row('cases failed', a.failed, b.failed),
    row('completed cases per second', a.completedPerSecond, b.completedPerSecond),
    row('decision accepted → callback, p50 ms', pct(lat(a)?.both, 'p50'), pct(lat(b)?.both, 'p50')),
    row('decision accepted → callback, p95 ms', pct(lat(a)?.both, 'p95'), pct(lat(b)?.both, 'p95')),
    row('decision accepted → callback, p99 ms', pct(lat(a)?.both, 'p99'), pct(lat(b)?.both, 'p99')),
    row('  … to STAGE_CLOSED, p50 ms', pct(lat(a)?.stageClosed, 'p50'), pct(lat(b)?.stageClosed, 'p50')),
    row(
      '  … to DETERMINATION_ISSUED, p50 ms',
      pct(lat(a)?.determinationIssued, 'p50'),
      pct(lat(b)?.determinationIssued, 'p50'),
    ),
    row('update request → accepted, p50 ms', pct(a.updateAcceptMs, 'p50'), pct(b.updateAcceptMs, 'p50')),
    row('update request → accepted, p95 ms', pct(a.updateAcceptMs, 'p95'), pct(b.updateAcceptMs, 'p95')),
    row(
      'start → intake done (3rd callback), p50 s',
      pct(a.startToIntakeDoneSeconds, 'p50'),
      pct(b.startToIntakeDoneSeconds, 'p50'),
    ),
    row(
      'start → determination received, p50 s',
      pct(a.startToDeterminationSeconds, 'p50'),
      pct(b.startToDeterminationSeconds, 'p50'),
    ),
    row('history events per case', a.history.events, b.history.events),
    row('history KB per case', a.history.bytes / 1024, b.history.bytes / 1024),
    row('billable actions per case', a.history.actions, b.history.actions),
    row('  timers started', act(a, 'TimerStarted'), act(b, 'TimerStarted')),
    row('  activity attempts', act(a, 'ActivityTaskStarted'), act(b, 'ActivityTaskStarted')),
    row(
      '  the permanent record (issue 15, not in the 25)',
      act(a, 'ActivityTaskStarted:archiveCase'),
      act(b, 'ActivityTaskStarted:archiveCase'),
    ),
    row(
      '  updates accepted',
      act(a, 'WorkflowExecutionUpdateAccepted'),
      act(b, 'WorkflowExecutionUpdateAccepted'),
    ),
    row(
      '  search-attribute upserts',
      act(a, 'UpsertWorkflowSearchAttributes'),
      act(b, 'UpsertWorkflowSearchAttributes'),
    ),
    row('  workflow started', act(a, 'WorkflowExecutionStarted'), act(b, 'WorkflowExecutionStarted')),
    row('workflow tasks per case', ev(a, 'WorkflowTaskCompleted'), ev(b, 'WorkflowTaskCompleted')),
    row('worker RSS, steady MB', a.workerMemory.rssMb, b.workerMemory.rssMb),
    row('worker heap used, steady MB', a.workerMemory.heapUsedMb, b.workerMemory.heapUsedMb),
  ]);
}

async function main(): Promise<number> {
  let opts: BenchOptions | undefined;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (opts === undefined) {
    process.stdout.write(USAGE);
    return 0;
  }
  const logDir = path.join(PROJECT_ROOT, 'bench-results');
  mkdirSync(logDir, { recursive: true });
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'frontier-review-bench' } },
    pino.destination({ dest: path.join(logDir, 'bench.log'), sync: true }),
  );
  installTemporalRuntime(logger);
  // The cluster profile's frontend, unless TEMPORAL_ADDRESS names another existing cluster (bench/server.ts).
  if (opts.cluster && !process.env.TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${process.env.CLUSTER_TEMPORAL_PORT ?? '7233'}`;
    // On this machine: its PostgreSQL data and its services' memory are measured too.
    opts.clusterDir = process.env.CLUSTER_DIR ?? '/var/tmp/frontier-review-cluster';
  }

  const stack = new Stack();
  const abort = new AbortController();
  const startedAt = new Date();
  let stopping: Promise<void> | undefined;
  const stopAll = (why: string, code: number) => {
    if (stopping !== undefined) return;
    progress(`${why}: stopping everything ...`);
    abort.abort();
    stopping = stack.unwind(logger).finally(() => process.exit(code));
  };
  const deadline = setTimeout(
    () => stopAll(`time limit of ${opts.timeoutMinutes} minutes reached`, 1),
    opts.timeoutMinutes * 60_000,
  );
  deadline.unref();
  process.once('SIGINT', () => stopAll('interrupted', 130));
  process.once('SIGTERM', () => stopAll('terminated', 143));

  try {
    const env = await setUp(opts, logger, stack, abort.signal);
    const common = {
      benchmark: 'frontier-review',
      mode: opts.mode,
      command: `npm run bench --${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
      startedAt: startedAt.toISOString(),
      machine: machine(),
      temporal: { server: env.server.kind, address: env.server.address, cli: temporalCliVersion() },
      worker: {
        process:
          opts.maxCachedWorkflows === undefined
            ? "bench/worker-process.ts (own process; the product's worker options, as workers/create-worker.ts)"
            : `bench/worker-process.ts (own process; the product's options but maxCachedWorkflows ${opts.maxCachedWorkflows})`,
        maxCachedWorkflows: env.worker.maxCachedWorkflows,
      },
      options: opts,
    };
    let results: Record<string, unknown>;
    let text: string;
    /** Why the run counts as failed (CI's smoke run relies on the exit code); figures are written regardless. */
    let failure: string | undefined;
    if (opts.mode === 'saturate') {
      const saturation = await runSaturation(driveContext(env), env.worker, opts, env.signal, progress);
      results = { ...common, policy: secondsPolicy(opts.windowSeconds), saturation };
      text = saturationTable(saturation);
      const failed = [saturation.review, saturation.baseline]
        .flatMap((w) => w.steps)
        .filter((s) => s.failed > 0);
      // The knee may be where cases began to fail: that ends the climb, it does not fail the run.
      if (failed.length > 0)
        text += `\n(steps with failed cases end the climb: ${failed.map((s) => s.concurrency).join(', ')})`;
    } else if (opts.mode === 'scale') {
      const scale = await runScale(env, AT_RISK_AFTER_SECONDS);
      results = { ...common, scale };
      text = scaleTable(scale);
      if (scale.workerEnded !== undefined) failure = `the worker process ended: ${scale.workerEnded.how}`;
    } else {
      const lc = await lifecycle(env);
      results = {
        ...common,
        policy: secondsPolicy(opts.windowSeconds),
        definitions: {
          decisionToCallback:
            "From the moment the client's startUpdate(recordDecision, waitForStage ACCEPTED) for a stage's last " +
            'decision resolves to the moment the loopback receiver has verified the callback that decision causes: ' +
            'STAGE_CLOSED (NATIONAL_SECURITY) and DETERMINATION_ISSUED (CIVILIAN). One clock: the driver process.',
          completedPerSecond:
            'Cases whose workflow completed, divided by the phase wall time (first start to last completion).',
          steadyMemory: "Median of the worker process's 1-second samples over the middle half of the phase.",
        },
        actionRules: ACTION_RULES,
        ...lc,
      };
      text = `${lifecycleTable(lc)}\n\nThe payload codec's cost (the same review without it):\n${codecTable(lc)}`;
      const failed = [lc.review, lc.baseline, lc.plaintext].reduce((n, p) => n + p.failed + p.notStarted, 0);
      if (failed > 0)
        failure = `${failed} case(s) did not complete: ${JSON.stringify([...lc.review.errors, ...lc.baseline.errors, ...lc.plaintext.errors])}`;
      text += `\nserver after both phases: data ${lc.serverAfter.dataMb ?? '—'} MB, RSS ${lc.serverAfter.rssMb ?? '—'} MB`;
    }
    results.finishedAt = new Date().toISOString();
    results.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const file = writeJson(opts.json, results);
    process.stdout.write(
      `\n${text}\n\nmachine: ${common.machine.cpus} × ${common.machine.cpuModel ?? 'cpu'}, ${common.machine.memoryGiB} GiB; results: ${path.relative(process.cwd(), file)}\n`,
    );
    if (failure !== undefined) {
      process.stderr.write(`bench: FAILED: ${failure}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    logger.error({ err }, 'bench failed');
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  } finally {
    clearTimeout(deadline);
    if (stopping === undefined) await stack.unwind(logger);
  }
}

void main().then((code) => process.exit(code));
