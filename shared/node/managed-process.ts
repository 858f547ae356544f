import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from './tools';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Where its output goes, appended. */
  logFile: string;
  /** Whether a line of its output says it is ready; without it, it is ready once spawned. */
  ready?: (line: string) => boolean;
  readyTimeoutMs?: number;
}

/**
 * A child process of the cluster profile or the drills (a Temporal service, a product process): its output goes
 * to a log file, it counts as started once a line says it is ready, and it ends when this process ends.
 */
export class ManagedProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly exited: Promise<void>,
  ) {}

  /** One of the product's own entry points (`workers/*.ts`), run with tsx. */
  static node(
    name: string,
    script: string,
    env: Record<string, string>,
    logFile: string,
    ready: (line: string) => boolean,
  ): Promise<ManagedProcess> {
    return ManagedProcess.start({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', script],
      env,
      logFile,
      ready,
    });
  }

  static async start(opts: ManagedProcessOptions): Promise<ManagedProcess> {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    const child = spawn(opts.command, opts.args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // This process ending for any reason ends its children (a failed start leaves nothing running).
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const exited = new Promise<void>((resolve) =>
      child.once('close', () => {
        process.off('exit', killOnExit);
        log.end();
        resolve();
      }),
    );
    const timeoutMs = opts.readyTimeoutMs ?? 60_000;
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () => finish(new Error(`${opts.name} not ready after ${timeoutMs} ms (log: ${opts.logFile})`)),
        timeoutMs,
      );
      void exited.then(() =>
        finish(new Error(`${opts.name} exited before it was ready (log: ${opts.logFile})`)),
      );
      pipeLines(child, log, (line) => {
        if (opts.ready?.(line) ?? true) finish();
      });
      if (opts.ready === undefined) finish();
    });
    return new ManagedProcess(opts.name, child, exited);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no drain, no clean-up, as a crash or the OOM killer. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the process drains and stops, as a deploy stops it; SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function pipeLines(child: ChildProcess, log: WriteStream, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      onLine(line);
    });
  }
}
