import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { PROJECT_ROOT } from '../../shared/node/tools';

/**
 * The main job (workers/main.ts) run as `npm start` runs it, for the start-up tests (test/foundation): its exit,
 * its last log line and everything it wrote.
 */

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lastLine: { level: number; msg: string };
  output: string;
}

export interface StartOptions {
  /** Once it says it is up: runs this (checks against the running job), then sends the signal. */
  whenUp?: () => Promise<void>;
  /** Command-line arguments after `workers/main.ts` (`--listen-publicly`). */
  args?: string[];
}

/**
 * Runs the main job with `env` until it exits by itself (a minute at most, else the test fails); with
 * `stopWhenUp`, sends it that signal once it says it is up (SIGINT as Ctrl-C does, SIGKILL as the OOM killer).
 */
export function startMain(
  env: Record<string, string>,
  stopWhenUp?: 'SIGINT' | 'SIGKILL',
  opts: StartOptions = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts', ...(opts.args ?? [])], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let interrupted = false;
    let failedWhenUp: Error | undefined;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      // Once, as Ctrl-C is pressed once: a second SIGINT ends a process at once, without draining.
      if (stopWhenUp !== undefined && !interrupted && output.includes('frontier-review is up')) {
        interrupted = true;
        void (opts.whenUp ?? (() => Promise.resolve()))()
          .catch((err: unknown) => (failedWhenUp = err instanceof Error ? err : new Error(String(err))))
          .finally(() => child.kill(stopWhenUp));
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the main job did not exit by itself within a minute:\n${output}`));
    }, 60_000);
    // 'close', not 'exit': it comes once the output has been read to its end.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failedWhenUp !== undefined) {
        reject(failedWhenUp);
        return;
      }
      const lines = output.split('\n').filter((l) => l.startsWith('{'));
      resolve({ code, signal, lastLine: JSON.parse(lines.at(-1) ?? '{}') as Exit['lastLine'], output });
    });
  });
}

/** Whether a port on loopback can be bound now (nothing was left listening on it). */
export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Something else listening on the port (on loopback unless `host` says otherwise). */
export function occupy(port: number, host = '127.0.0.1'): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, host, () => resolve(server));
  });
}

export const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
