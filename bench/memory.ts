import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { DEFAULT_POLICY_ID } from '../shared/domain/policy-names';
import { startAttributes } from '../shared/domain/review/search-attributes';
import { caseIdOf, REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { MESSAGES } from '../shared/domain/review/messages';
import { Submission } from '../shared/domain/submission';
import { loadConfig } from '../shared/node/config';
import { KeyRing, newKeyRingFile } from '../shared/node/key-ring';
import { productClientInterceptors } from '../shared/node/message-binding';
import { sealedDataConverter } from '../shared/node/sealing';
import { registerSearchAttributes } from '../shared/node/search-attributes';
import { resolveTemporalCli } from '../shared/node/tools';
import { bundleOptions } from '../workers/workflow-bundle';

/**
 * What a cached workflow costs a worker, and which part of the bundle it comes from (issue 13, item 5). For each
 * probe bundle, one in-process worker with a cache larger than N opens N workflows that only wait; the worker
 * process's memory before and after (both after a GC), divided by N, is the cost per cached workflow. The SDK
 * evaluates a bundle's modules once per workflow (a reusable V8 context, with a module cache per workflow), so
 * what a bundle's modules allocate at load is paid by every cached workflow, except the modules the bundle
 * preloads (../workers/workflow-bundle.ts), which are evaluated once per worker and shared.
 *
 *   npm run bench:memory [-- N [LABEL]]   (default 300 workflows; only the probes whose label holds LABEL)
 */
/** A probe: a bundle whose workflow only waits, or (`review`) real review cases, accepted and waiting. */
const PROBES: readonly { label: string; file: string; preload: boolean; review?: true }[] = [
  { label: 'the SDK alone (a workflow that only waits)', file: 'trivial-workflow.ts', preload: false },
  { label: '+ zod, evaluated per workflow', file: 'zod-workflow.ts', preload: false },
  { label: '+ zod, preloaded (shared)', file: 'zod-workflow.ts', preload: true },
  { label: '+ the review domain, zod per workflow', file: 'domain-workflow.ts', preload: false },
  { label: '+ the review domain, zod preloaded', file: 'domain-workflow.ts', preload: true },
  { label: "the product's workflows, as workers bundle them", file: 'product-workflow.ts', preload: true },
  {
    label: 'review cases through intake, waiting (real)',
    file: 'product-workflow.ts',
    preload: true,
    review: true,
  },
];

/** A filing that intake accepts on the 90-day policy, its callbacks to a receiver that takes everything. */
const filing = (labId: string, submissionId: string, callbackUrl: string): Submission =>
  Submission.parse({
    submissionId,
    labId,
    callbackUrl,
    model: { name: 'Memory-Probe', version: '1.0', trainingComputeFlop: 3e26 },
    access: { kind: 'API', details: 'probe' },
    plannedReleaseDate: new Date(Date.now() + 365 * 86_400_000).toISOString(),
    policyId: DEFAULT_POLICY_ID,
  });

/** Real review cases: the product's activities and sealing, each case started as the gateway starts it. */
async function reviewCases(
  env: TestWorkflowEnvironment,
  queue: string,
  n: number,
  debugMode: boolean,
  callbackUrl: string,
) {
  const dataConverter = sealedDataConverter(KeyRing.of('payload', newKeyRingFile()));
  const bundle = await bundleWorkflowCode({ ...bundleOptions(), logger: quiet });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle: bundle,
    maxCachedWorkflows: n + 10,
    debugMode,
    dataConverter,
    interceptors: { client: productClientInterceptors() },
    activities: createActivities({
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: pino({ level: 'silent' }),
      policies: new PolicyRegistry(),
      callbackSecrets: { secretsFor: () => ['memory-probe-secret'] },
    }),
  });
  const client = new Client({
    connection: env.connection,
    dataConverter,
    interceptors: productClientInterceptors(),
  });
  const start = (id: string) => {
    const submission = filing(queue, id, callbackUrl);
    return client.workflow.start(REVIEW_WORKFLOW_TYPE, {
      taskQueue: queue,
      workflowId: reviewWorkflowId(caseIdOf(queue, id)),
      args: [{ submission }],
      typedSearchAttributes: startAttributes(submission, new Date()),
    });
  };
  const accepted = `${SA.lab.name} = '${queue}' AND ${SA.stage.name} = 'NATIONAL_SECURITY'`;
  const designating = `${SA.lab.name} = '${queue}' AND ${SA.stage.name} = 'DESIGNATION'`;
  const through = async (count: number) => {
    for (let waited = 0; waited < 120_000; waited += 500) {
      // NSA designates each case intake has screened (the presets in force wait for it), as through the gateway;
      // one that visibility still lists after its designation refuses a second one, which is fine here.
      for await (const w of client.workflow.list({ query: designating })) {
        await client.workflow
          .getHandle(w.workflowId)
          .executeUpdate(MESSAGES.designateCoverage.update, {
            args: [{ actor: 'agency:NSA', covered: true, reason: 'memory probe' }],
          })
          .catch(() => undefined);
      }
      if ((await client.workflow.count(accepted)).count >= count) return;
      await sleep(500);
    }
    throw new Error(`fewer than ${count} cases through intake after 2 minutes`);
  };
  return { worker, start, through, bundleKb: bundle.code.length / 1024 };
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = async () => {
  global.gc?.();
  await sleep(1000);
  global.gc?.();
};

/**
 * Two ways to count, both after a GC: the process's RSS with workflows on the worker's threads (as the product
 * runs them; noisy by a few tenths of a MB per workflow at this size), and the V8 heap with workflows on the main
 * thread (the SDK's debug mode, same reusable context), which counts only what the workflows hold.
 */
const WAYS = {
  rss: { debugMode: false, read: () => process.memoryUsage().rss },
  heap: { debugMode: true, read: () => process.memoryUsage().heapUsed },
} as const;

/** The lab's side for the real cases: every callback answered 204. */
let receiverUrl = '';

async function perWorkflow(
  env: TestWorkflowEnvironment,
  probe: (typeof PROBES)[number],
  way: keyof typeof WAYS,
  n: number,
): Promise<{ cached: number; mb: number; bundleKb: number }> {
  const queue = `memory-${way}-${Date.now().toString(36)}`;
  if (probe.review) {
    const { worker, start, through, bundleKb } = await reviewCases(
      env,
      queue,
      n,
      WAYS[way].debugMode,
      receiverUrl,
    );
    return worker.runUntil(async () => {
      await start('warm');
      await through(1);
      await settle();
      const before = WAYS[way].read();
      for (let i = 0; i < n; i += 25) {
        await Promise.all(Array.from({ length: Math.min(25, n - i) }, (_, j) => start(`c${i + j}`)));
      }
      await through(n + 1);
      await settle();
      const cached = worker.getStatus().numCachedWorkflows;
      return { cached, mb: (WAYS[way].read() - before) / 2 ** 20 / (cached - 1), bundleKb };
    });
  }
  const bundle = await bundleWorkflowCode({
    ...(probe.preload
      ? bundleOptions(path.join(__dirname, 'memory', probe.file))
      : { workflowsPath: path.join(__dirname, 'memory', probe.file) }),
    logger: quiet,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle: bundle,
    maxCachedWorkflows: n + 10,
    debugMode: WAYS[way].debugMode,
  });
  const client: Client = env.client;
  return worker.runUntil(async () => {
    await client.workflow.start('memoryProbe', { taskQueue: queue, workflowId: `${queue}-warm` });
    await sleep(2000);
    await settle();
    const before = WAYS[way].read();
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
    return {
      cached,
      mb: (WAYS[way].read() - before) / 2 ** 20 / (cached - 1),
      bundleKb: bundle.code.length / 1024,
    };
  });
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  if (global.gc === undefined) throw new Error('run with node --expose-gc (npm run bench:memory does)');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await resolveTemporalCli() } },
  });
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks`;
  try {
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    console.log(`bench: memory per cached workflow, ${n} workflows per probe and way (after GC)\n`);
    console.log('probe                                              cached  MB (RSS)  MB (heap)  bundle KB');
    const only = process.argv[3];
    for (const probe of PROBES.filter((p) => only === undefined || p.label.includes(only))) {
      const rss = await perWorkflow(env, probe, 'rss', n);
      const heap = await perWorkflow(env, probe, 'heap', n);
      console.log(
        `${probe.label.padEnd(50)} ${String(Math.min(rss.cached, heap.cached)).padStart(6)}  ` +
          `${rss.mb.toFixed(3).padStart(8)}  ${heap.mb.toFixed(3).padStart(9)}  ${rss.bundleKb.toFixed(0).padStart(9)}`,
      );
    }
    console.log("\ntarget (issue 13): at most 0.5 MB per cached workflow for the product's workflows");
  } finally {
    receiver.close();
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
