import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { resolveTemporalCli } from '../shared/node/tools';

/**
 * What a cached workflow costs a worker, and which part of the bundle it comes from (issue 13, item 5). For each
 * probe bundle, one in-process worker with a cache larger than N opens N workflows that only wait; the worker
 * process's RSS before and after (both after a GC), divided by N, is the cost per cached workflow. The SDK
 * evaluates a bundle's modules once per workflow (a reusable V8 context, with a module cache per workflow), so
 * what a bundle's modules allocate at load is paid by every cached workflow.
 *
 *   npm run bench:memory [-- N]      (default 300; node --expose-gc)
 */
const PROBES = [
  ['the SDK alone (a workflow that only waits)', 'trivial-workflow.ts'],
  ['+ zod imported (one schema)', 'zod-workflow.ts'],
  ['+ the review domain (message table, schemas)', 'domain-workflow.ts'],
] as const;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const settle = async () => {
  global.gc?.();
  await sleep(1000);
  global.gc?.();
};

async function perWorkflow(env: TestWorkflowEnvironment, file: string, n: number, queue: string) {
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'memory', file),
    logger: quiet,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle: bundle,
    maxCachedWorkflows: n + 10,
  });
  const client: Client = env.client;
  return worker.runUntil(async () => {
    await client.workflow.start('memoryProbe', { taskQueue: queue, workflowId: `${queue}-warm` });
    await sleep(2000);
    await settle();
    const before = rssMb();
    for (let i = 0; i < n; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, (_, j) =>
          client.workflow.start('memoryProbe', { taskQueue: queue, workflowId: `${queue}-${i + j}` }),
        ),
      );
    }
    for (let waited = 0; worker.getStatus().numCachedWorkflows < n + 1 && waited < 60_000; waited += 500) {
      await sleep(500);
    }
    await settle();
    const cached = worker.getStatus().numCachedWorkflows;
    return { cached, perWorkflowMb: (rssMb() - before) / (cached - 1), bundleKb: bundle.code.length / 1024 };
  });
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  if (global.gc === undefined) throw new Error('run with node --expose-gc (npm run bench:memory does)');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await resolveTemporalCli() } },
  });
  try {
    console.log(`bench: memory per cached workflow, ${n} workflows per probe (RSS after GC)\n`);
    console.log('probe                                            cached  MB per workflow  bundle KB');
    for (const [i, [label, file]] of PROBES.entries()) {
      const r = await perWorkflow(env, file, n, `memory-${i}-${Date.now().toString(36)}`);
      console.log(
        `${label.padEnd(48)} ${String(r.cached).padStart(6)}  ${r.perWorkflowMb.toFixed(3).padStart(15)}  ${r.bundleKb.toFixed(0).padStart(9)}`,
      );
    }
  } finally {
    await env.teardown();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
