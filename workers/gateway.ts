import { Client } from '@temporalio/client';
import { startGateway } from '../gateway/app';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { policyInForce } from '../shared/node/policy-in-force';
import { gatewayApiKeys, gatewayFiles, gatewaySignIn, workbenchSettings } from '../gateway/keys';
import { checkListeningAddresses, isDevelopment, isEmbedded, type Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { connectClient, temporalTarget } from '../shared/node/temporal-connection';
import { notesV1Before, noteKeyRing, payloadKeyRing, sealedClientOptions } from '../shared/node/sealing';
import { callbackUrlOptions } from '../shared/node/callback-url';
import { runMain, webUi } from './run-main';
import { Startup } from '../shared/node/startup';
import { preflightCluster, preflightCredentials, preflightPorts } from '../shared/node/preflight';

/** The HTTP gateway alone, for deployments that run it apart from the worker. */
async function main(config: Config, logger: Logger): Promise<void> {
  const embedded = isEmbedded(config);
  const development = isDevelopment(config);
  const target = temporalTarget(config);
  const s = new Startup(logger);
  try {
    // This process starts no Temporal server: only its own listening address is checked.
    await s.step('listening address', () =>
      checkListeningAddresses({ ...config, EMBEDDED_TEMPORAL_IP: undefined }),
    );
    await preflightPorts(s, config);
    if (!development) await preflightCredentials(s, config);
    const connection = await s.step(
      `Temporal at ${target.address}`,
      () => connectClient(target),
      (c) => c.close(),
    );
    if (!embedded) await preflightCluster(s, config, connection, target.address);
    // Development mode gets development keys on first start; a deployment brings its own.
    const apiKeys = await s.step('API keys', () => gatewayApiKeys(config, logger, development));
    const payloads = await s.step('payload keys', () => payloadKeyRing(config, false).ring);
    const notes = await s.step('note keys', () => noteKeyRing(config, false).ring);
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
            oidc: people.oidc,
            signIn: people.signIn,
            workbench: workbenchSettings(config, people),
            temporal: new Client({
              connection,
              namespace: target.namespace,
              ...sealedClientOptions(payloads),
            }),
            notes,
            notesV1Before: notesV1Before(config),
            payloads,
            apiKeys,
            config,
            callbackUrls: callbackUrlOptions(config),
            // The gateway alone knows the presets; workers given other policies run with a gateway of their own.
            policyInForce: policyInForce(new PolicyRegistry(), config),
            // No worker here: no Temporal runtime whose metrics /metrics could add.
            runtimeMetricsUrl: undefined,
            temporalUi: webUi(config.TEMPORAL_UI_URL, config),
            ...gatewayFiles(config),
          },
          { host: config.HTTP_HOST, port: config.HTTP_PORT },
        ),
      (app) => app.close(),
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await s.stop();
  }
}

runMain('gateway', main, { nativeRuntime: false });
