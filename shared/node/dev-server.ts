import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../domain/search-attributes';
import type { Logger } from './logger';

export interface DevServerOptions {
  cliPath: string;
  ip: string;
  port: number;
  namespace: string;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  /** SQLite file for a persistent server; undefined keeps everything in memory. */
  dbFile?: string;
  logger: Logger;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** The server process's id (recorded beside the data by the embedded default). */
  pid: number;
  /** Settles with the exit code once the server has exited, however it ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface, for servers started by tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `temporal server start-dev` as a child process with the product's search attributes registered,
 * pipes its JSON logs into ours, and resolves once the frontend answers. stop() ends it with SIGTERM
 * (SIGKILL after a grace period).
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const log = opts.logger.child({ component: 'temporal-server' });
  const address = `${opts.ip}:${opts.port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    opts.ip,
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace,
  ];
  args.push('--log-format', 'json', '--log-level', 'warn');
  if (opts.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  if (opts.dbFile !== undefined) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  }
  for (const sa of searchAttributeDefinitions()) args.push('--search-attribute', `${sa.name}=${sa.type}`);

  log.debug({ cli: opts.cliPath, args }, 'starting dev server');
  // Its own process group: a terminal's Ctrl-C must reach only us, so the worker drains before the server stops.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  guardAgainstOrphaning(child);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );
  forwardLines(child, log);

  try {
    await waitUntilServing(address, exited, opts.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  const uiUrl = opts.uiPort === undefined ? undefined : `http://${opts.ip}:${opts.uiPort}`;
  log.info({ address, uiUrl, dbFile: opts.dbFile ?? '(in memory)' }, 'dev server ready');
  return { address, uiUrl, pid: child.pid!, exited, stop: () => stopChild(child, exited) };
}

/**
 * A process killed outright (SIGKILL, the OOM killer) runs no exit handler, and the server in its own process
 * group would outlive it, holding the data file and the ports. A detached shell watches both: once this process
 * is gone and the server is not, it stops the server (SIGTERM, then SIGKILL after 10 s). It ends by itself
 * when the server ends.
 */
export function guardAgainstOrphaning(child: ChildProcess | number): void {
  const pid = typeof child === 'number' ? child : child.pid;
  if (pid === undefined) return;
  const script =
    'while kill -0 "$2" 2>/dev/null; do ' +
    'if ! kill -0 "$1" 2>/dev/null; then kill -TERM "$2"; i=0; ' +
    'while kill -0 "$2" 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done; ' +
    'if kill -0 "$2" 2>/dev/null; then kill -KILL "$2"; fi; exit 0; fi; ' +
    'sleep 1; done';
  spawn('sh', ['-c', script, 'frontier-review-dev-server-guard', String(process.pid), String(pid)], {
    stdio: 'ignore',
    detached: true,
  }).unref();
}

function forwardLines(child: ChildProcess, log: Logger): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      let entry: { level?: string; msg?: string } | undefined;
      try {
        entry = JSON.parse(line) as { level?: string; msg?: string };
      } catch {
        entry = undefined;
      }
      if (entry?.msg === undefined) {
        if (line.trim() !== '') log.info(line);
        return;
      }
      const { level, msg, ...rest } = entry;
      const method = level === 'error' || level === 'fatal' ? 'error' : level === 'warn' ? 'warn' : 'debug';
      log[method](rest, msg);
    });
  }
}

async function waitUntilServing(
  address: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let done = false;
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    done = true;
    exitCode = code;
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (done) throw new Error(`temporal dev server exited with code ${String(exitCode)} before it was ready`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`temporal dev server at ${address} not ready after ${timeoutMs} ms`, { cause: lastError });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
