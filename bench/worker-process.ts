import { generateKeyPairSync } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { Policy } from '../shared/domain/policy';
import { POLICY_PRESETS } from '../shared/domain/policy-presets';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { CallbackSecrets } from '../shared/node/callback-secrets';
import { loadConfig } from '../shared/node/config';
import { KeyRing, type KeyRingFile } from '../shared/node/key-ring';
import { productClientInterceptors } from '../shared/node/message-binding';
import { sealedDataConverter } from '../shared/node/sealing';
import { keyIdOf } from '../shared/node/permanent-record';
import type { RecordSigner } from '../shared/node/record-keys';
import { FileRecordStore } from '../shared/node/record-store';
import { connectWorker, temporalTarget } from '../shared/node/temporal-connection';
import { installTemporalRuntime } from '../shared/node/temporal-runtime';
import { createBaselineActivities } from './baseline-activities';

/**
 * The benchmark's worker, in its own process so its memory is measured alone: the product's activities
 * (with the benchmark policies and lab secret) plus the baseline's, the prebuilt bundle of both workflows,
 * and the worker options the product uses (the SDK's defaults). Driven over IPC by bench/run.ts.
 */
export interface WorkerProcessConfig {
  /** The bench-started server; undefined means TEMPORAL_ADDRESS and friends from the environment. */
  address?: string;
  namespace: string;
  taskQueue: string;
  codePath: string;
  labId: string;
  secret: string;
  policies: Policy[];
  /** The run's payload key ring: the worker seals as the product's does. Without it, nothing is sealed. */
  payloadKeys?: KeyRingFile;
  logFile: string;
  /** Where its closed cases' records go: a folder of the run's, which the bench removes. */
  recordsDir: string;
  memoryIntervalMs: number;
  maxCachedWorkflows?: number;
}

export type WorkerMessage =
  | { type: 'ready'; maxCachedWorkflows: number; pid: number }
  | {
      type: 'memory';
      at: number;
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      /** Workflows in the worker's cache when the sample was taken. */
      cachedWorkflows: number;
    }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

const send = (m: WorkerMessage): void => {
  if (process.connected) process.send?.(m);
};

async function main(cfg: WorkerProcessConfig): Promise<void> {
  const logger = pino({ level: 'warn', base: { service: 'bench-worker' } }, pino.destination(cfg.logFile));
  installTemporalRuntime(logger);
  const env = loadConfig({ ...process.env, NODE_ENV: 'development', CALLBACK_ALLOW_INSECURE: 'true' });
  const connection =
    cfg.address === undefined
      ? await connectWorker(temporalTarget(env))
      : await NativeConnection.connect({ address: cfg.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: cfg.namespace,
      taskQueue: cfg.taskQueue,
      workflowBundle: { codePath: cfg.codePath },
      // The product's own default unless the bench is told otherwise (config WORKER_MAX_CACHED_WORKFLOWS).
      maxCachedWorkflows: cfg.maxCachedWorkflows ?? env.WORKER_MAX_CACHED_WORKFLOWS,
      ...(cfg.payloadKeys === undefined
        ? {}
        : { dataConverter: sealedDataConverter(KeyRing.of('payload', cfg.payloadKeys)) }),
      // The client its activities use binds each update and signal, as the product's workers' does.
      interceptors: { client: productClientInterceptors() },
      activities: {
        ...createActivities({
          config: env,
          logger,
          policies: new PolicyRegistry([...POLICY_PRESETS, ...cfg.policies.map((p) => Policy.parse(p))]),
          callbackSecrets: CallbackSecrets.of({ [cfg.labId]: [cfg.secret] }),
          // The bench's closed cases are archived as the product's are, with a key and a store of the run's own:
          // never into the deployment's records, and with no deployment key needed on a cluster.
          records: new FileRecordStore(cfg.recordsDir),
          recordSigner: runRecordSigner(),
        }),
        ...createBaselineActivities({ secret: cfg.secret, timeoutMs: env.CALLBACK_TIMEOUT_MS }),
      },
    });
    const sample = (): void => {
      const m = process.memoryUsage();
      send({
        type: 'memory',
        at: Date.now(),
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        cachedWorkflows: worker.getStatus().numCachedWorkflows,
      });
    };
    const sampler = setInterval(sample, cfg.memoryIntervalMs);
    const stop = (): void => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    process.on('message', (m: { type?: string }) => {
      if (m.type === 'stop') stop();
      if (m.type === 'sample') sample();
    });
    process.on('disconnect', stop);
    process.on('SIGTERM', stop);
    send({ type: 'ready', maxCachedWorkflows: worker.options.maxCachedWorkflows, pid: process.pid });
    try {
      await worker.run();
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await connection.close();
  }
}

/** A signing key pair made for this run. */
function runRecordSigner(): RecordSigner {
  const pair = generateKeyPairSync('ed25519');
  return { signingKey: pair.privateKey, publicKey: pair.publicKey, keyId: keyIdOf(pair.publicKey) };
}

/** What bench/worker-handle.ts sends: the worker's settings once the bundle is built, then stop or sample. */
export type DriverMessage =
  { type: 'config'; config: WorkerProcessConfig } | { type: 'stop' } | { type: 'sample' };

if (process.send === undefined) {
  process.stderr.write('bench/worker-process.ts is started by bench/run.ts (it has no IPC channel)\n');
  process.exit(2);
}
// Started while the bench still bundles the workflows: this process loads its modules meanwhile, and runs
// once the settings (with the bundle's path) arrive. A driver gone before then ends it.
const leave = (): never => process.exit(0);
process.once('disconnect', leave);
const configured = (m: DriverMessage): void => {
  if (m.type === 'stop') leave();
  if (m.type !== 'config') return;
  process.off('message', configured);
  process.off('disconnect', leave);
  main(m.config).then(
    () => {
      send({ type: 'stopped' });
      if (process.connected) process.disconnect();
    },
    (err: unknown) => {
      send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exitCode = 1;
      if (process.connected) process.disconnect();
    },
  );
};
process.on('message', configured);
