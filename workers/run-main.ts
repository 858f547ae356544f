import { ConfigError, loadConfig, type Config } from '../shared/node/config';
import { createLogger, type Logger } from '../shared/node/logger';
import { installTemporalRuntime } from '../shared/node/temporal-runtime';
import { Startup, StartupError } from '../shared/node/startup';
import { checkPortFree } from '../shared/node/preflight';

/**
 * The frame every process entry point shares: parse config (listing every problem), build the one logger,
 * route Temporal's runtime logs into it, run, and exit non-zero on failure.
 */
/** The Temporal Web UI the gateway knows of, if any. */
export const webUi = (url: string | undefined, config: Config) =>
  url === undefined ? undefined : { url, decodes: config.TEMPORAL_UI_DECODES };

export function runMain(
  name: string,
  main: (config: Config, logger: Logger) => Promise<void>,
  /**
   * Whether the process runs Temporal's native runtime (a worker does). A process that only uses the client
   * must not install it: an installed runtime that nothing registers with never shuts down, and kept the
   * gateway alone alive after it had stopped.
   */
  { nativeRuntime = true }: { nativeRuntime?: boolean } = {},
): void {
  let config: Config;
  applyFlags();
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
  // The runtime binds its metrics port as it is installed: that port is checked first, so a process still
  // running is named instead of failing inside the runtime.
  const metricsPort = config.TEMPORAL_RUNTIME_METRICS_PORT;
  const started = nativeRuntime
    ? new Startup(logger)
        .step('runtime metrics port', () =>
          checkPortFree('127.0.0.1', metricsPort, 'TEMPORAL_RUNTIME_METRICS_PORT'),
        )
        .then(() => installTemporalRuntime(logger, { metricsPort }))
    : Promise.resolve();
  started
    .then(() => main(config, logger))
    .then(
      () => {
        logger.info('stopped');
        logger.flush();
      },
      (err: unknown) => {
        // Everything main started has been stopped by now; the last line names the cause that came first.
        const cause =
          err instanceof StartupError ? `start-up failed: ${err.message}` : `${name} failed: ${String(err)}`;
        logger.fatal({ err }, cause);
        // Exit now: a handle nobody owns any more (a timer of a library) must not keep a failed process alive.
        logger.flush(() => process.exit(1));
        setTimeout(() => process.exit(1), 2_000).unref();
      },
    );
}

/**
 * `npm start -- --register-search-attributes` is REGISTER_SEARCH_ATTRIBUTES=true for this start, and
 * `--listen-publicly` is LISTEN_PUBLICLY=true (development mode beyond loopback, asked for in words).
 */
function applyFlags(): void {
  if (process.argv.includes('--register-search-attributes')) process.env.REGISTER_SEARCH_ATTRIBUTES = 'true';
  if (process.argv.includes('--listen-publicly')) process.env.LISTEN_PUBLICLY = 'true';
}
