import path from 'node:path';
import { Client } from '@temporalio/client';
import { buildApp } from '../gateway/app';
import { devSignInText, gatewayApiKeys, gatewayFiles, gatewaySignIn } from '../gateway/keys';
import { isEmbedded, type Config } from '../shared/node/config';
import { startDevServer, type DevServer } from '../shared/node/dev-server';
import type { Logger } from '../shared/node/logger';
import { connectClient, connectWorker, temporalTarget } from '../shared/node/temporal-connection';
import { PROJECT_ROOT, resolveTemporalCli } from '../shared/node/tools';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { createReviewWorker } from './create-worker';
import { ensureDevelopmentSecret } from '../shared/node/callback-secrets';
import { createMetrics, runtimeMetricsUrl } from '../shared/node/metrics';
import { noteKeyRing, payloadKeyRing, sealedDataConverter } from '../shared/node/sealing';

/** The lab the embedded default's development API key acts for (see shared/node/api-keys.ts). */
const DEVELOPMENT_LAB = 'sample-lab';
import { runMain, webUi } from './run-main';

/**
 * The main job: on the embedded default it starts a persistent local Temporal dev server, then the review
 * worker and the HTTP gateway in this process. With TEMPORAL_ADDRESS set it starts nothing locally.
 * Ctrl-C (or SIGTERM) shuts the worker down, closes the gateway, then stops the dev server.
 */
async function main(config: Config, logger: Logger): Promise<void> {
  const devServer = isEmbedded(config) ? await startEmbeddedServer(config, logger) : undefined;
  try {
    const target = temporalTarget(config);
    const workerConnection = await connectWorker(target);
    const clientConnection = await connectClient(target);
    try {
      const { ring: payloadRing, created } = payloadKeyRing(config, isEmbedded(config));
      const { ring: noteRing, created: notesCreated } = noteKeyRing(config, isEmbedded(config));
      if (created || notesCreated) logger.warn({ dataDir: config.DATA_DIR }, 'created development key rings');
      const dataConverter = sealedDataConverter(payloadRing);
      const temporal = new Client({
        connection: clientConnection,
        namespace: target.namespace,
        dataConverter,
      });
      const metrics = createMetrics({ temporal });
      if (isEmbedded(config)) showDevelopmentCallbackSecret(config);
      const policies = new PolicyRegistry();
      const worker = await createReviewWorker({
        connection: workerConnection,
        config,
        logger,
        metrics,
        policies,
        dataConverter,
      });
      const people = await gatewaySignIn(config, isEmbedded(config));
      const app = buildApp({
        logger,
        temporal,
        oidc: people.oidc,
        signIn: people.signIn,
        apiKeys: await gatewayApiKeys(config, logger, isEmbedded(config)),
        config,
        policyIds: policies.ids(),
        notes: noteRing,
        metrics,
        runtimeMetricsUrl: runtimeMetricsUrl(config),
        payloads: payloadRing,
        temporalUi: webUi(devServer?.uiUrl ?? config.TEMPORAL_UI_URL, config),
        ...gatewayFiles(config),
      });
      await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
      if (people.devProvider !== undefined) {
        const dashboard = `http://${config.HTTP_HOST}:${config.HTTP_PORT}/dashboard`;
        process.stdout.write(devSignInText(people.devProvider.issuer, dashboard));
      }
      logger.info(
        {
          api: `http://${config.HTTP_HOST}:${config.HTTP_PORT}`,
          temporal: target.address,
          namespace: target.namespace,
          temporalUi: devServer?.uiUrl,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
        },
        'frontier-review is up; Ctrl-C stops it',
      );
      try {
        // Resolves when the runtime's shutdown signals (SIGINT, SIGTERM) have drained the worker.
        await worker.run();
      } finally {
        await app.close();
        await people.devProvider?.close();
      }
    } finally {
      await clientConnection.close();
      await workerConnection.close();
    }
  } finally {
    await devServer?.stop();
  }
}

/** The development lab's callback secret is created on the first embedded start and shown that once. */
function showDevelopmentCallbackSecret(config: Config): void {
  const file = path.resolve(PROJECT_ROOT, config.CALLBACK_SECRETS_FILE);
  const secret = ensureDevelopmentSecret(file, DEVELOPMENT_LAB);
  if (secret === undefined) return;
  process.stdout.write(
    `\nCallback secret of ${DEVELOPMENT_LAB}, created in ${file} (verify callbacks with it; shown this once):\n  ${secret}\n`,
  );
}

async function startEmbeddedServer(config: Config, logger: Logger): Promise<DevServer> {
  const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
  return startDevServer({
    cliPath: config.TEMPORAL_CLI_PATH ?? (await resolveTemporalCli()),
    ip: config.EMBEDDED_TEMPORAL_IP,
    port: config.EMBEDDED_TEMPORAL_PORT,
    uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.join(dataDir, 'temporal.db'),
    logger,
  });
}

runMain('main', main);
