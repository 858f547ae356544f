import { Runtime } from '@temporalio/worker';
import type { Logger } from './logger';
import { TemporalPinoLogger } from './logger';

let installed = false;

/**
 * Routes the Temporal runtime's logs (the TS SDK and its Rust core) through our pino logger.
 * Must run before any connection, worker or test environment is created; later calls are no-ops.
 */
export function installTemporalRuntime(logger: Logger, opts: { metricsPort?: number } = {}): void {
  if (installed) return;
  Runtime.install({
    logger: new TemporalPinoLogger(logger.child({ component: 'temporal-sdk' })),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} },
      ...(opts.metricsPort
        ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}` } } }
        : {}),
    },
  });
  installed = true;
}
