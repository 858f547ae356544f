import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
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

/** Runs the CLI as a user would (`node bin/frontier-review.js ...`) and answers what it printed and its exit code. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: cleanEnv(env), timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        noteExitAsserted(code);
        resolve({ code, stdout, stderr });
      },
    );
  });
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
  const { gw, close } = await openGateway();
  await gw.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = gw.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    gw,
    url,
    as: (who, ...args) => runCli(args, { FRONTIER_REVIEW_API: url, FRONTIER_REVIEW_API_KEY: gw.keys[who] }),
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

/** A run that succeeded with nothing on stderr. */
export function succeeded(run: Run): string {
  assert.equal(run.code, 0, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
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
  noteErrorAsserted(code);
  assert.equal(run.code, 1, `exit ${run.code}: ${run.stdout}${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`^error: ${status} ${code}: .+\\n {2}request id: [0-9a-f-]{36}\\n$`));
}
