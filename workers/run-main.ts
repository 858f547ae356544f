import { ConfigError, loadConfig, type Config } from '../shared/node/config';
import { createLogger, type Logger } from '../shared/node/logger';
import { installTemporalRuntime } from '../shared/node/temporal-runtime';

/**
 * The frame every process entry point shares: parse config (listing every problem), build the one logger,
 * route Temporal's runtime logs into it, run, and exit non-zero on failure.
 */
/** The Temporal Web UI the gateway knows of, if any. */
export const webUi = (url: string | undefined, config: Config) =>
  url === undefined ? undefined : { url, decodes: config.TEMPORAL_UI_DECODES };

export function runMain(name: string, main: (config: Config, logger: Logger) => Promise<void>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config).child({ process: name });
  installTemporalRuntime(logger, { metricsPort: config.TEMPORAL_RUNTIME_METRICS_PORT });
  main(config, logger).then(
    () => {
      logger.info('stopped');
      logger.flush();
    },
    (err: unknown) => {
      logger.fatal({ err }, 'failed');
      logger.flush();
      process.exitCode = 1;
    },
  );
}
