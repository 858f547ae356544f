import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';

/**
 * One JVM hosting the run's time-skipping test servers (scripts/test-server/TimeSkippingPool.java, started
 * as `temporal-test-server --pool`). Each test that needs a scenario's clock gets a server of its own, so a
 * run starts hundreds: without the pool each was a JVM's start and a cold JIT, about half of a scenario test's
 * time. The servers are the same Java test server, each with its own store and clock; the launcher the SDK
 * starts asks the pool for one when TEMPORAL_TEST_SERVER_POOL names its control port, and the server stops
 * when the SDK kills the launcher. The pool stops with the process that started it (its stdin closes).
 */
export interface TimeSkippingPool {
  port: number;
  stop(): Promise<void>;
}

export async function startTimeSkippingPool(
  launcher: string,
  logger: Logger,
): Promise<TimeSkippingPool | undefined> {
  const child = spawn(launcher, ['--pool'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) =>
    logger.warn({ pool: chunk.toString('utf8').trim() }, 'time-skipping pool'),
  );
  const port = await firstLine(child);
  if (port === undefined) {
    logger.warn('no time-skipping pool: each test server starts a JVM of its own');
    return undefined;
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      await exited;
    },
  };
}

/** The control port the pool prints first, or undefined when it could not start. */
function firstLine(child: ChildProcess): Promise<number | undefined> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    child.once('exit', () => resolve(undefined));
    child.once('error', () => resolve(undefined));
    lines.once('line', (line) => {
      const port = Number(line.trim());
      resolve(Number.isInteger(port) && port > 0 ? port : undefined);
    });
  });
}
