import type { Logger } from './logger';

/** A start-up step that failed: its name and the first cause, which nothing later replaces. */
export class StartupError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    // A reason that already names its step ("API keys: no file at ...") is not named twice.
    super(reason.startsWith(`${step}: `) ? reason : `${step}: ${reason}`, options);
    this.name = 'StartupError';
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The steps of a process's start, each with how to undo it. A step that fails becomes a StartupError named
 * after it; `stop` then undoes what was started, last first (worker, gateway, connections, embedded server),
 * and an error while undoing is logged but never replaces the cause.
 */
export class Startup {
  private readonly started: { name: string; stop: () => Promise<unknown> }[] = [];

  constructor(private readonly logger: Logger) {}

  /** Runs one step; on success remembers how to undo it. */
  async step<T>(
    name: string,
    start: () => Promise<T> | T,
    stop?: (value: T) => Promise<unknown>,
  ): Promise<T> {
    let value: T;
    try {
      value = await start();
    } catch (err) {
      throw err instanceof StartupError ? err : new StartupError(name, messageOf(err), { cause: err });
    }
    if (stop !== undefined) this.started.push({ name, stop: () => stop(value) });
    return value;
  }

  /** Undoes every step started so far, last first. */
  async stop(): Promise<void> {
    for (const { name, stop } of this.started.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        this.logger.error({ err, step: name }, `while stopping ${name}`);
      }
    }
  }
}
