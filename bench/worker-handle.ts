import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DriverMessage, WorkerMessage, WorkerProcessConfig } from './worker-process';

export interface MemorySample {
  /** performance.now() in the driver's process when the sample arrived. */
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  cachedWorkflows: number;
}

export interface WorkerProcess {
  pid: number;
  maxCachedWorkflows: number;
  samples: MemorySample[];
  /** Samples taken between two driver times. */
  samplesBetween(from: number, to: number): MemorySample[];
  requestSample(): void;
  /** Set when the worker process ended (crash or stop), with how. */
  exit(): string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts bench/worker-process.ts as a child (fork inherits tsx's loader from execArgv) at once, so it loads
 * its modules while `cfg` is still being made (the bench bundles the workflows meanwhile), sends it `cfg`, and
 * resolves once its worker polls. stop() asks it to drain, and kills it after a grace period; it is also
 * killed if we exit.
 */
export async function startWorkerProcess(
  cfg: WorkerProcessConfig | Promise<WorkerProcessConfig>,
  readyTimeoutMs = 120_000,
): Promise<WorkerProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'worker-process.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const tell = (m: DriverMessage): void => {
    if (child.connected) child.send(m);
  };
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let exitedHow: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exitedHow = `exit code ${String(code)}, signal ${String(sig)}`;
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const samples: MemorySample[] = [];
  let failure: string | undefined;
  const ready = new Promise<{ maxCachedWorkflows: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'memory') {
        samples.push({
          at: performance.now(),
          rss: m.rss,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          cachedWorkflows: m.cachedWorkflows,
        });
      } else if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed') {
        failure = m.error;
        clearTimeout(timer);
        reject(new Error(`bench worker failed: ${m.error}`));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`bench worker exited before it was ready${failure ? `: ${failure}` : ''}`));
    });
  });

  // Awaited below once the settings are sent; a start abandoned before then must not leave it unhandled.
  ready.catch(() => undefined);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) tell({ type: 'stop' });
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    tell({ type: 'config', config: await cfg });
    const { maxCachedWorkflows } = await ready;
    return {
      pid: child.pid ?? -1,
      maxCachedWorkflows,
      samples,
      samplesBetween: (from, to) => samples.filter((s) => s.at >= from && s.at <= to),
      exit: () => (exitedHow === undefined ? undefined : `${exitedHow}${failure ? `: ${failure}` : ''}`),
      requestSample: () => tell({ type: 'sample' }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
