import { grantCallbackContract } from '../../shared/domain/grants/callbacks';
import { labCallbackContract } from '../../shared/domain/labs/callbacks';
import { commitmentCallbackContract } from '../../shared/domain/commitments/callbacks';
import { findingCallbackContract } from '../../shared/domain/clearinghouse/callbacks';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EVENTS, LabEventType } from '../../shared/domain/review/events';
import type { CallbackEventBody } from '../../shared/node/callback-signature';

/**
 * What the suite has asserted, kept as it runs: each error code a test saw exactly (a problem document, a
 * refused message), each lab event type whose callback body was checked against its declared payload, each
 * CLI exit code a test expected. At the end of a full run (npm test without arguments) the root hook fails
 * the run if an entry of the error catalogue, the event declaration or the CLI's exit codes was never
 * asserted: behaviour the README promises must be exercised by some test.
 */
const asserted = { error: new Set<string>(), event: new Set<string>(), exit: new Set<number>() };

export const noteErrorAsserted = (code: string): void => void asserted.error.add(code);
export const noteExitAsserted = (code: number): void => void asserted.exit.add(code);

/** The exit codes README "Command-line interface" documents. */
export const CLI_EXIT_CODES = [0, 1, 2, 3, 70];

/** Callback bodies that broke the contract (README "Lab status callbacks"): the global teardown fails the run on any. */
const violations: string[] = [];

/**
 * Writes what this process has noted into the run's folder (each mocha process keeps its own notes; the
 * global teardown reads them all with readLedgers). Called after each test file; it rewrites the whole file.
 */
export function writeLedger(runDir: string): void {
  const notes = {
    error: [...asserted.error],
    event: [...asserted.event],
    exit: [...asserted.exit],
    violations,
  };
  writeFileSync(path.join(runDir, `ledger-${process.pid}.json`), JSON.stringify(notes));
}

/** Every mocha process's notes of the run, together. */
export function readLedgers(runDir: string) {
  const all = {
    error: new Set<string>(),
    event: new Set<string>(),
    exit: new Set<number>(),
    violations: [] as string[],
  };
  for (const name of readdirSync(runDir).filter((n) => /^ledger-\d+\.json$/.test(n))) {
    const notes = JSON.parse(readFileSync(path.join(runDir, name), 'utf8')) as {
      error: string[];
      event: string[];
      exit: number[];
      violations: string[];
    };
    notes.error.forEach((c) => all.error.add(c));
    notes.event.forEach((t) => all.event.add(t));
    notes.exit.forEach((c) => all.exit.add(c));
    all.violations.push(...notes.violations);
  }
  return all;
}

const Envelope = z.strictObject({
  id: z.string().regex(/^.+:\d+$/),
  submissionId: z.string(),
  sequence: z.int().positive(),
  type: LabEventType,
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

/**
 * Checks one delivered callback body against the declared contract: the envelope, and the payload of its
 * type, with no field the declaration does not name.
 */
export function checkCallbackContract(body: CallbackEventBody): void {
  if (body.id.startsWith('finding:')) {
    const finding = findingCallbackContract().safeParse(body);
    if (!finding.success) violations.push(`${body.id}: ${finding.error.message}`);
    return;
  }
  if (body.id.startsWith('commitment:')) {
    const commitment = commitmentCallbackContract().safeParse(body);
    if (!commitment.success) violations.push(`${body.id}: ${commitment.error.message}`);
    return;
  }
  if (body.id.startsWith('grant:')) {
    const grant = grantCallbackContract().safeParse(body);
    if (!grant.success) violations.push(`${body.id}: ${grant.error.message}`);
    return;
  }
  if (body.id.startsWith('lab:')) {
    const lab = labCallbackContract().safeParse(body);
    if (!lab.success) violations.push(`${body.id}: ${lab.error.message}`);
    return;
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) {
    violations.push(`${body.id}: ${envelope.error.message}`);
    return;
  }
  const { type, payload, id, submissionId, sequence } = envelope.data;
  if (id !== `${submissionId}:${sequence}`) violations.push(`${id}: id is not <submissionId>:<sequence>`);
  const declared = EVENTS[type].payload.strict().safeParse(payload);
  if (!declared.success) violations.push(`${id} (${type}): ${declared.error.message}`);
  else asserted.event.add(type);
}
