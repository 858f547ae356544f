import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient } from './client';
import { resolveSettings } from './config';
import { UsageError } from './errors';
import { when } from './output';
import type { Receipt } from '../shared/domain/review/record';
import type { SignedActName } from '../shared/domain/signed-act';
import { signedActHeaders } from '../shared/node/act-statement';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What every command's action needs: the API client, and how to print. */
export interface Context {
  api: ApiClient;
  json: boolean;
  /** Prints the raw answer with --json, else the readable text `render` makes of it. */
  emit<T>(answer: T, render: (answer: T) => string): void;
  /** A line for people on stderr (never with --json on stdout). */
  note(text: string): void;
  /**
   * Sends an act that is signed (issue 36): with FRONTIER_REVIEW_SIGNING_KEY (the file of the system's Ed25519
   * private key, PEM, whose public half an administrator registered), the gateway writes the act's statement
   * and the CLI signs it; without it, the act is sent unsigned.
   */
  act<T>(
    /** The record's statements path: `v1/submissions/<case>/statements`, a finding's or a lab's. */
    statements: string,
    message: SignedActName,
    path: string,
    body: object,
    idempotencyKey?: string,
  ): Promise<T>;
}

export interface GlobalOptions {
  api?: string;
  json?: boolean;
}

/** The context of the running command, built from the global options, the environment and the config file. */
export function contextOf(cmd: Command): Context {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const note = (text: string) => process.stderr.write(`${text}\n`);
  const settings = resolveSettings({ api: globals.api }, process.env, note);
  if (settings.apiKey === undefined) {
    throw new UsageError(
      `no API key: set FRONTIER_REVIEW_API_KEY, or "apiKey" in ${settings.configPath} (see docs/operations.md, Command-line interface)`,
    );
  }
  // A key pasted into a file often brings a newline along; anything else unprintable is not a key.
  const apiKey = settings.apiKey.trim();
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new UsageError('the API key holds spaces or characters an API key never has (it is not shown)');
  }
  const json = globals.json === true;
  const api = new ApiClient({ api: settings.api, apiKey });
  return {
    api,
    json,
    async act<T>(
      statements: string,
      message: SignedActName,
      path: string,
      body: object,
      idempotencyKey?: string,
    ) {
      const keyFile = process.env.FRONTIER_REVIEW_SIGNING_KEY;
      if (keyFile === undefined || keyFile === '') return api.post<T>(path, body, idempotencyKey);
      let key;
      try {
        key = createPrivateKey(readFileSync(keyFile, 'utf8'));
      } catch (err) {
        throw new UsageError(
          `FRONTIER_REVIEW_SIGNING_KEY: cannot read an Ed25519 private key from ${keyFile}: ${(err as Error).message}`,
        );
      }
      const prepared = await api.post<{ encoded: string; reference: string }>(statements, {
        message,
        body,
      });
      // The reference, not the statement: an act of any length fits a header.
      return api.post<T>(
        path,
        body,
        idempotencyKey,
        await signedActHeaders(prepared.encoded, key, prepared.reference),
      );
    },
    emit(answer, render) {
      process.stdout.write(json ? `${JSON.stringify(answer, null, 2)}\n` : render(answer));
    },
    note,
  };
}

/** A date-time argument as the ISO instant the API wants; `2027-09-01` means midnight UTC. */
export function isoInstant(value: string): string {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms))
    throw new InvalidArgumentError('not a date-time (e.g. 2027-09-01 or 2027-09-01T12:00:00Z)');
  return new Date(ms).toISOString();
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('not a positive whole number');
  return n;
}

/** Repeatable option: each use adds one value. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** The option every write takes. */
export const idempotencyKeyOption = () =>
  new Option(
    '--idempotency-key <key>',
    'apply this write once: a retry with the same key gets the first answer (default: a fresh key per run)',
  );

/** The case a command acts on: its case id, or a submission id (the server resolves it for the caller). */
export const caseArgument = () =>
  new Argument('<case>', 'the case id (<labId>:<submissionId>), or a submission id: a lab names its own');

/** The path of one case, or of something under it; ids are escaped. */
export const casePath = (id: string, ...rest: string[]): string =>
  ['v1/submissions', id, ...rest]
    .map((p, i) => (i === 0 ? p : encodeURIComponent(p).replace(/%3A/g, ':')))
    .join('/');

/** The readable answer to an action: what was done and its timeline entry. */
export const receiptText = (done: string) => (r: Receipt) => `${done} (timeline #${r.seq}, ${when(r.at)})\n`;

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new UsageError(message);
}
