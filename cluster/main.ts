import { loadConfig } from '../shared/node/config';
import { createLogger } from '../shared/node/logger';
import { clusterSettings, startClusterProfile } from './profile';

/**
 * `npm run cluster`: the product on a real Temporal cluster on this machine (docs/administrators.md "Run the
 * cluster profile on one machine").
 * Ctrl-C (or SIGTERM) stops the gateway, the workers, the Temporal services and PostgreSQL, in that order; the
 * next start finds the same data.
 */
async function main(): Promise<void> {
  const logger = createLogger(loadConfig()).child({ process: 'cluster' });
  const settings = clusterSettings();
  const profile = await startClusterProfile(settings, logger).catch((err: unknown) => {
    logger.fatal({ err }, `start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  for (const { principal, key } of profile.createdKeys) {
    process.stdout.write(`development API key for ${principal} (shown this once): ${key}\n`);
  }
  logger.info(
    {
      api: `http://127.0.0.1:${settings.CLUSTER_HTTP_PORT}`,
      temporal: profile.temporal.address,
      namespace: settings.TEMPORAL_NAMESPACE,
      workers: profile.workers.length,
      historyShards: settings.CLUSTER_HISTORY_SHARDS,
      dir: settings.CLUSTER_DIR,
    },
    'frontier-review cluster is up; Ctrl-C stops it',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await profile.stop();
  logger.info('stopped');
}

void main();
