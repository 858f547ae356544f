import path from 'node:path';
import { Client } from '@temporalio/client';
import { checkListeningAddresses, isDevelopment, isEmbedded, type Config } from '../shared/node/config';
import { startDevServer, type DevServer } from '../shared/node/dev-server';
import {
  removeDevServerRecord,
  stopLeftoverServer,
  writeDevServerRecord,
} from '../shared/node/dev-server-record';
import type { Logger } from '../shared/node/logger';
import { connectClient, connectWorker, temporalTarget } from '../shared/node/temporal-connection';
import { PROJECT_ROOT, resolveTemporalCli } from '../shared/node/tools';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { policyInForce } from '../shared/node/policy-in-force';
import { ensureDevelopmentSecret } from '../shared/node/callback-secrets';
import { createMetrics, runtimeMetricsUrl } from '../shared/node/metrics';
import {
  noteKeyRing,
  notesV1Before,
  payloadKeyRing,
  sealedClientOptions,
  sealedDataConverter,
} from '../shared/node/sealing';
import { recordSigner } from '../shared/node/record-keys';
import { Startup } from '../shared/node/startup';
import { preflightCluster, preflightCredentials, preflightPorts } from '../shared/node/preflight';
import { callbackUrlOptions } from '../shared/node/callback-url';

/** The lab development mode's development API key acts for (see shared/node/api-keys.ts). */
const DEVELOPMENT_LAB = 'sample-lab';
import { runMain, webUi } from './run-main';

/**
 * The main job: on the embedded default it starts a persistent local Temporal dev server, then the review
 * worker and the HTTP gateway in this process. With TEMPORAL_ADDRESS set it starts nothing locally, and first
 * checks what a start on an existing cluster needs (./preflight.ts).
 *
 * Development mode (the embedded default without NODE_ENV=production) makes and prints development keys and
 * runs the development identity provider, on loopback only unless `--listen-publicly`. In production mode the
 * embedded server still runs, but every key comes from the deployment (`admin bootstrap`, `admin encryption
 * init`, `admin record-keys init`), as on an existing cluster.
 *
 * Every step is undone, last first, when a later one fails, and the cause names the step that failed first
 * (docs/administrators.md "Install on an existing Temporal cluster"). Ctrl-C (or SIGTERM) drains the worker,
 * then closes the gateway, the connections and the dev server in that order.
 */
async function main(config: Config, logger: Logger): Promise<void> {
  const embedded = isEmbedded(config);
  const development = isDevelopment(config);
  const s = new Startup(logger);
  const dataDir = path.resolve(PROJECT_ROOT, config.DATA_DIR);
  try {
    await s.step('listening address', () => checkListeningAddresses(config));
    if (embedded) await s.step('previous embedded server', () => stopLeftoverServer(dataDir, logger));
    await preflightPorts(s, config, embedded);
    if (!development) await preflightCredentials(s, config);
    const devServer = embedded
      ? await s.step(
          'embedded Temporal server',
          () => startEmbeddedServer(config, dataDir, logger),
          async (d) => {
            await d.stop();
            removeDevServerRecord(dataDir);
          },
        )
      : undefined;
    const target = temporalTarget(config);
    const clientConnection = await s.step(
      `Temporal at ${target.address}`,
      () => connectClient(target),
      (c) => c.close(),
    );
    if (!embedded) await preflightCluster(s, config, clientConnection, target.address);
    const workerConnection = await s.step(
      `Temporal at ${target.address} (worker)`,
      () => connectWorker(target),
      (c) => c.close(),
    );
    const { ring: payloadRing, created } = await s.step('payload keys', () =>
      payloadKeyRing(config, development),
    );
    const { ring: noteRing, created: notesCreated } = await s.step('note keys', () =>
      noteKeyRing(config, development),
    );
    const signer = await s.step('record signing key', () => recordSigner(config, development));
    if (created || notesCreated || signer.created) {
      logger.warn({ dataDir: config.DATA_DIR }, 'created development key rings');
    }
    // The gateway and the worker load only now, once every check that can fail fast has passed: a start that
    // cannot succeed says so without loading them (seconds on a busy two-core machine).
    const [
      { startGateway },
      { devSignInText, gatewayApiKeys, gatewayFiles, gatewaySignIn, workbenchSettings },
      { createReviewWorker },
    ] = await Promise.all([import('../gateway/app'), import('../gateway/keys'), import('./create-worker')]);
    const dataConverter = sealedDataConverter(payloadRing);
    const temporal = new Client({
      connection: clientConnection,
      namespace: target.namespace,
      ...sealedClientOptions(payloadRing),
    });
    const metrics = createMetrics({ temporal });
    if (development) showDevelopmentCallbackSecret(config);
    const policies = new PolicyRegistry();
    const apiKeys = await s.step('API keys', () => gatewayApiKeys(config, logger, development));
    const people = await s.step(
      'sign-in',
      () => gatewaySignIn(config, development),
      (p) => p.devProvider?.close() ?? Promise.resolve(),
    );
    await s.step(
      `HTTP gateway on ${config.HTTP_HOST}:${config.HTTP_PORT}`,
      () =>
        startGateway(
          {
            logger,
            temporal,
            oidc: people.oidc,
            signIn: people.signIn,
            workbench: workbenchSettings(config, people),
            apiKeys,
            config,
            callbackUrls: callbackUrlOptions(config),
            policyInForce: policyInForce(policies, config),
            policies,
            notes: noteRing,
            notesV1Before: notesV1Before(config),
            metrics,
            runtimeMetricsUrl: runtimeMetricsUrl(config),
            payloads: payloadRing,
            temporalUi: webUi(devServer?.uiUrl ?? config.TEMPORAL_UI_URL, config),
            ...gatewayFiles(config),
          },
          { host: config.HTTP_HOST, port: config.HTTP_PORT },
        ),
      (a) => a.close(),
    );
    // The worker last: nothing after it can fail, and its connection is closed only once it has stopped.
    const worker = await s.step('review worker', () =>
      createReviewWorker({
        connection: workerConnection,
        config,
        logger,
        metrics,
        policies,
        dataConverter,
        recordSigner: signer,
      }),
    );
    // Running before it is announced: a Ctrl-C right after "up" then reaches a running worker and drains it.
    const running = worker.run();
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
    // Resolves when the runtime's shutdown signals (SIGINT, SIGTERM) have drained the worker.
    await running;
  } finally {
    await s.stop();
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

/** The embedded dev server on DATA_DIR/temporal.db, recorded beside it while it runs. */
async function startEmbeddedServer(config: Config, dataDir: string, logger: Logger): Promise<DevServer> {
  const dbFile = path.join(dataDir, 'temporal.db');
  const server = await startDevServer({
    cliPath: config.TEMPORAL_CLI_PATH ?? (await resolveTemporalCli()),
    ip: config.EMBEDDED_TEMPORAL_IP,
    port: config.EMBEDDED_TEMPORAL_PORT,
    uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile,
    logger,
  });
  writeDevServerRecord(dataDir, { pid: server.pid, address: server.address, dbFile });
  return server;
}

runMain('main', main);
