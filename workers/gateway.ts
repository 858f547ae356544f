import { Client } from '@temporalio/client';
import { buildApp } from '../gateway/app';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { gatewayApiKeys, gatewayFiles, gatewaySignIn } from '../gateway/keys';
import { isEmbedded, type Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { connectClient, temporalTarget } from '../shared/node/temporal-connection';
import { runtimeMetricsUrl } from '../shared/node/metrics';
import { noteKeyRing, payloadKeyRing, sealedDataConverter } from '../shared/node/sealing';
import { runMain, webUi } from './run-main';

/** The HTTP gateway alone, for deployments that run it apart from the worker. */
async function main(config: Config, logger: Logger): Promise<void> {
  const target = temporalTarget(config);
  // Local development (no TEMPORAL_ADDRESS) gets development keys on first start; a deployment brings its own.
  const apiKeys = await gatewayApiKeys(config, logger, isEmbedded(config));
  const payloads = payloadKeyRing(config, false).ring;
  const dataConverter = sealedDataConverter(payloads);
  const notes = noteKeyRing(config, false).ring;
  const connection = await connectClient(target);
  const people = await gatewaySignIn(config, isEmbedded(config));
  const app = buildApp({
    logger,
    oidc: people.oidc,
    signIn: people.signIn,
    temporal: new Client({ connection, namespace: target.namespace, dataConverter }),
    notes,
    payloads,
    apiKeys,
    config,
    // The gateway alone knows the presets; workers given other policies run with a gateway of their own.
    policyIds: new PolicyRegistry().ids(),
    runtimeMetricsUrl: runtimeMetricsUrl(config),
    temporalUi: webUi(config.TEMPORAL_UI_URL, config),
    ...gatewayFiles(config),
  });
  try {
    await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await app.close();
    await people.devProvider?.close();
    await connection.close();
  }
}

runMain('gateway', main);
