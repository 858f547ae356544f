import type { Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { connectWorker, temporalTarget } from '../shared/node/temporal-connection';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { payloadKeyRing, sealedDataConverter } from '../shared/node/sealing';
import { createReviewWorker } from './create-worker';
import { runMain } from './run-main';

/** The review worker alone, for deployments that run it apart from the gateway. */
async function main(config: Config, logger: Logger): Promise<void> {
  const connection = await connectWorker(temporalTarget(config));
  try {
    const dataConverter = sealedDataConverter(payloadKeyRing(config, false).ring);
    const worker = await createReviewWorker({
      connection,
      config,
      logger,
      policies: new PolicyRegistry(),
      dataConverter,
    });
    logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'review worker polling');
    await worker.run();
  } finally {
    await connection.close();
  }
}

runMain('review-worker', main);
