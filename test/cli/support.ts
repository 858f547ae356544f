import assert from 'node:assert/strict';
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { filing, openGateway, type Gateway } from '../gateway/support';
import { noteErrorAsserted, noteExitAsserted } from '../helpers/ledger';
import { waitFor } from '../helpers/wait';
import { uniqueId } from '../helpers/workers';
import type { CliReply, CliRequest } from './cli-runner';

const BIN = path.join(PROJECT_ROOT, 'bin', 'frontier-review.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A folder of this run's own, for filings and config files; no user config is ever read. */
export const scratch = mkdtempSync(path.join(tmpdir(), 'frontier-review-cli-'));

/** The environment without anything the developer's shell says about the CLI. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('FRONTIER_REVIEW_')),
  );
  return { ...env, XDG_CONFIG_HOME: path.join(scratch, 'no-config'), ...extra };
}

/**
 * Runs the CLI as a user would (`node bin/frontier-review.js ...`) and answers what it printed and its exit code.
 * The tests of the bin itself use it (help, usage errors, configuration, exit codes); the commands' own tests
 * run them in a warm CLI process instead (runWarm).
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: cleanEnv(env), timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** How long one command may run before it counts as hung (as runCli's process would be killed). */
const COMMAND_TIMEOUT_MS = 30_000;

/**
 * A Node process that loaded the CLI once (./cli-runner.ts) and runs commands one after another: each is the
 * same `main` with its own arguments and environment, so a command's output and exit code are those of a run
 * of the bin, without a second or more of loading the CLI for each. It is started on first use and ends with
 * this process.
 */
class WarmCli {
  private child: ChildProcess | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: Run) => void; timer: NodeJS.Timeout }>();

  run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
    const child = this.started();
    const id = ++this.next;
    return new Promise<Run>((resolve) => {
      const timer = setTimeout(() => {
        // Hung: ended as runCli's process would be, and every command still waiting in it with it.
        this.stop({ code: -1, stdout: '', stderr: `timed out after ${COMMAND_TIMEOUT_MS} ms` });
      }, COMMAND_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
      // Only while commands are waiting does the runner keep this process alive.
      child.channel?.ref();
      child.send({ id, args, env } satisfies CliRequest);
    });
  }

  private started(): ChildProcess {
    if (this.child !== undefined) return this.child;
    const child = fork(path.join(__dirname, 'cli-runner.ts'), [], {
      execArgv: ['--require', 'tsx/cjs'],
      // Its output is captured per command; the streams themselves are no terminal, as a piped bin's are not.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.on('message', (reply: CliReply) => {
      const w = this.waiting.get(reply.id);
      if (w === undefined) return;
      this.waiting.delete(reply.id);
      clearTimeout(w.timer);
      if (this.waiting.size === 0) child.channel?.unref();
      w.resolve({ code: reply.code, stdout: reply.stdout, stderr: reply.stderr });
    });
    child.once('exit', (code, signal) => {
      if (this.child === child)
        this.stop({ code: -1, stdout: '', stderr: `runner exited ${code ?? signal}` });
    });
    child.unref();
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    this.child = child;
    return child;
  }

  /** Ends the runner; every command waiting in it gets `run`. */
  private stop(run: Run): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      this.waiting.delete(id);
      w.resolve(run);
    }
  }
}

const warm = new WarmCli();

/** Runs a CLI command in the warm CLI process (WarmCli), with the environment runCli would give it. */
export async function runWarm(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return warm.run(args, cleanEnv(env));
}

/** A gateway listening on a real port, with a worker on the dev server; the CLI reaches it over HTTP. */
export interface LiveApi {
  gw: Gateway;
  url: string;
  /** Runs the CLI as a principal (its key in FRONTIER_REVIEW_API_KEY). */
  as(who: string, ...args: string[]): Promise<Run>;
  close(): Promise<void>;
}

export async function openLiveApi(): Promise<LiveApi> {
  // A toll, resumption or closure reaches the open cases in two passes; the dev server's list is current well
  // within the product's 2 s between them, which the ops commands' tests would otherwise wait out each time.
  const { gw, close } = await openGateway({ visibilitySettleMs: 200 });
  await gw.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = gw.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    gw,
    url,
    as: (who, ...args) => runWarm(args, { FRONTIER_REVIEW_API: url, FRONTIER_REVIEW_API_KEY: gw.keys[who] }),
    close,
  };
}

/** Writes a complete filing with a fresh submission id to a file and answers both. */
export function filingFile(overrides: Record<string, unknown> = {}): { id: string; file: string } {
  const id = uniqueId('cli');
  const file = path.join(scratch, `${id}.json`);
  writeFileSync(file, JSON.stringify(filing({ submissionId: id, ...overrides })));
  return { id, file };
}

/** Asserts a run's exit code, and notes it in the run's ledger (the one way an exit code counts as asserted). */
export function exited(run: Run, code: number, message?: string): void {
  assert.equal(run.code, code, message ?? `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  noteExitAsserted(code);
}

/** A run that succeeded with nothing on stderr. */
export function succeeded(run: Run): string {
  exited(run, 0);
  assert.equal(run.stderr, '');
  return run.stdout;
}

/** The JSON a successful --json run printed, read as the API's schema for it. */
export function jsonOf<S extends z.ZodType>(run: Run, schema: S): z.infer<S> {
  return schema.parse(JSON.parse(succeeded(run)));
}

/** Repeats a CLI read (bounded, real time) until `check` accepts its JSON: lists lag the cases. */
export async function until<S extends z.ZodType>(
  read: () => Promise<Run>,
  schema: S,
  check: (x: z.infer<S>) => boolean,
  what: string,
): Promise<z.infer<S>> {
  return waitFor(async () => jsonOf(await read(), schema), check, what);
}

/** A time as the CLI prints it: UTC to the minute. */
export const shown = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')}Z`;

/** The cells of a table line (columns are separated by two or more spaces). */
export const cells = (line: string): string[] => line.split(/ {2,}/);

/** The table rows (after the header) of a printed table whose first cell is `first`. */
export function rowOf(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => cells(l)[0] === first);
  assert.ok(line !== undefined, `no row ${first} in\n${text}`);
  return cells(line);
}

/** A receipt line: what was done, then the timeline entry it made. */
export function receipt(run: Run, done: string): number {
  const m = /^(.*) \(timeline #(\d+), (\d{4}-\d\d-\d\d \d\d:\d\dZ)\)\n$/.exec(succeeded(run));
  assert.ok(m !== null, run.stdout);
  assert.equal(m[1], done);
  return Number(m[2]);
}

/** A refusal: exit 1, and the problem's status, code and detail on stderr. */
export function refused(run: Run, status: number, code: string): void {
  exited(run, 1, `exit ${run.code}: ${run.stdout}${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`^error: ${status} ${code}: .+\\n {2}request id: [0-9a-f-]{36}\\n$`));
  noteErrorAsserted(code);
}
