import type { Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { connectClient, connectWorker, temporalTarget } from '../shared/node/temporal-connection';
import { isEmbedded } from '../shared/node/config';
import { Startup } from '../shared/node/startup';
import { preflightCluster } from '../shared/node/preflight';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { payloadKeyRing, sealedDataConverter } from '../shared/node/sealing';
import { recordSigner } from '../shared/node/record-keys';
import { createReviewWorker } from './create-worker';
import { runMain } from './run-main';

/** The review worker alone, for deployments that run it apart from the gateway. */
async function main(config: Config, logger: Logger): Promise<void> {
  const target = temporalTarget(config);
  const s = new Startup(logger);
  try {
    if (!isEmbedded(config)) {
      // A client connection of its own for the checks, closed before the worker starts.
      const probe = await s.step(`Temporal at ${target.address}`, () => connectClient(target));
      try {
        await preflightCluster(s, config, probe, target.address);
      } finally {
        await probe.close();
      }
    }
    const connection = await s.step(
      `Temporal at ${target.address} (worker)`,
      () => connectWorker(target),
      (c) => c.close(),
    );
    const dataConverter = await s.step('payload keys', () =>
      sealedDataConverter(payloadKeyRing(config, false).ring),
    );
    const signer = await s.step('record signing key', () => recordSigner(config, false));
    const worker = await s.step('review worker', () =>
      createReviewWorker({
        connection,
        config,
        logger,
        policies: new PolicyRegistry(),
        dataConverter,
        recordSigner: signer,
      }),
    );
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'review worker polling');
    await worker.run();
  } finally {
    await s.stop();
  }
}

runMain('review-worker', main);
