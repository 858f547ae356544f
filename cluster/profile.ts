import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensureDevelopmentSecret } from '../shared/node/callback-secrets';
import { loadApiKeys } from '../shared/node/api-keys';
import { loadConfig } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { ManagedProcess } from '../shared/node/managed-process';
import { noteKeyRing, payloadKeyRing } from '../shared/node/sealing';
import { recordSigner } from '../shared/node/record-keys';
import { Startup } from '../shared/node/startup';
import { resolveTemporalServer } from '../shared/node/tools';
import { startPostgres, stopLeftoverPostgres, type Postgres } from './postgres';
import { TemporalCluster } from './temporal';

/**
 * The cluster profile's settings (docs/administrators.md "Run the cluster profile on one machine"); the
 * product's own are in .env as always.
 */
export const ClusterSettings = z.object({
  /** Everything the profile keeps: PostgreSQL's data, the server's config and logs, the product's keys. */
  CLUSTER_DIR: z.string().min(1).default('/var/tmp/frontier-review-cluster'),
  CLUSTER_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  /**
   * The frontend's port; the other services use ports beside it (history +1, matching +2, worker +6, HTTP +10,
   * membership -300 to -294). The server keeps membership ports as a PostgreSQL smallint: below 32768.
   */
  CLUSTER_TEMPORAL_PORT: z.coerce
    .number()
    .int()
    .min(301)
    .max(32_757, 'must be at most 32757: the services keep their membership ports in a smallint')
    .default(7233),
  CLUSTER_HISTORY_SHARDS: z.coerce.number().int().min(1).max(16384).default(4),
  CLUSTER_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  CLUSTER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
});
export type ClusterSettings = z.infer<typeof ClusterSettings>;

export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const given = Object.fromEntries(
    Object.keys(ClusterSettings.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])),
  );
  return ClusterSettings.parse(given);
}

/** The running profile: PostgreSQL, the Temporal services, the review workers and the gateway. */
export interface ClusterProfile {
  settings: ClusterSettings;
  postgres: Postgres;
  temporal: TemporalCluster;
  workers: ManagedProcess[];
  gateway: ManagedProcess;
  /** Development API keys created on this start (first start only), by principal. */
  createdKeys: { principal: string; key: string }[];
  /** The environment every product process runs with. */
  productEnv: Record<string, string>;
  startWorker(): Promise<ManagedProcess>;
  stop(): Promise<void>;
}

/**
 * Brings the whole cluster profile up, each step undone (last first) if a later one fails: PostgreSQL on its
 * own data directory, the schemas, the Temporal services as separate processes, the namespace and search
 * attributes, then the product pointed at the cluster by configuration alone.
 */
export async function startClusterProfile(
  settings: ClusterSettings,
  logger: Logger,
): Promise<ClusterProfile> {
  const s = new Startup(logger);
  const dir = settings.CLUSTER_DIR;
  const productDir = path.join(dir, 'product');
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  // PostgreSQL runs as its own user (as root: postgres), which must pass through this folder to its data.
  chmodSync(dir, 0o755);
  try {
    const pgData = path.join(dir, 'postgres');
    await s.step('leftover PostgreSQL', () => stopLeftoverPostgres(pgData, logger));
    const postgres = await s.step(
      `PostgreSQL on port ${settings.CLUSTER_POSTGRES_PORT}`,
      () => startPostgres({ dataDir: pgData, port: settings.CLUSTER_POSTGRES_PORT, logger }),
      (p) => p.stop(),
    );
    const serverDir = await s.step('Temporal server build', () => resolveTemporalServer());
    const temporal = await s.step(
      `Temporal cluster on port ${settings.CLUSTER_TEMPORAL_PORT}`,
      async () => {
        const cluster = new TemporalCluster({
          serverDir,
          dir: path.join(dir, 'temporal'),
          postgresPort: postgres.port,
          frontendPort: settings.CLUSTER_TEMPORAL_PORT,
          historyShards: settings.CLUSTER_HISTORY_SHARDS,
          namespace: settings.TEMPORAL_NAMESPACE,
          logger,
        });
        try {
          await cluster.start();
        } catch (err) {
          await cluster.stop();
          throw err;
        }
        return cluster;
      },
      (c) => c.stop(),
    );

    // The product, configured as on any existing cluster. Like the embedded default, a first start creates
    // development keys in its data directory.
    const productEnv: Record<string, string> = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: settings.TEMPORAL_NAMESPACE,
      DATA_DIR: productDir,
      CALLBACK_ALLOW_INSECURE: process.env.CALLBACK_ALLOW_INSECURE ?? 'true',
      TEMPORAL_RUNTIME_METRICS_PORT: '0',
      LOG_FORMAT: 'json',
    };
    const config = loadConfig({ ...process.env, ...productEnv });
    payloadKeyRing(config, true);
    noteKeyRing(config, true);
    recordSigner(config, true);
    const { created } = await loadApiKeys(config.API_KEYS_FILE, true);
    ensureDevelopmentSecret(config.CALLBACK_SECRETS_FILE, 'sample-lab');
    const logFile = (name: string) => path.join(dir, 'logs', `${name}.log`);
    const workers: ManagedProcess[] = [];
    let started = 0;
    const startWorker = async () => {
      const name = `worker-${++started}`;
      const worker = await ManagedProcess.node(
        name,
        'workers/review-worker.ts',
        productEnv,
        logFile(name),
        (l) => l.includes('review worker polling'),
      );
      workers.push(worker);
      return worker;
    };
    await s.step(
      `${settings.CLUSTER_WORKERS} review workers`,
      async () => {
        for (let i = 0; i < settings.CLUSTER_WORKERS; i++) await startWorker();
      },
      async () => {
        for (const w of workers) await w.stop();
      },
    );
    const gateway = await s.step(
      `HTTP gateway on port ${settings.CLUSTER_HTTP_PORT}`,
      () =>
        ManagedProcess.node(
          'gateway',
          'workers/gateway.ts',
          { ...productEnv, HTTP_PORT: String(settings.CLUSTER_HTTP_PORT) },
          logFile('gateway'),
          (l) => l.includes('Server listening at'),
        ),
      (g) => g.stop(),
    );
    return {
      settings,
      postgres,
      temporal,
      workers,
      gateway,
      createdKeys: created.map((c) => ({ principal: c.principal, key: c.key })),
      productEnv,
      startWorker,
      stop: () => s.stop(),
    };
  } catch (err) {
    await s.stop();
    throw err;
  }
}
