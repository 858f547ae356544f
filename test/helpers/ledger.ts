import { grantCallbackContract } from '../../shared/domain/grants/callbacks';
import { labCallbackContract } from '../../shared/domain/labs/callbacks';
import { commitmentCallbackContract } from '../../shared/domain/commitments/callbacks';
import { findingCallbackContract } from '../../shared/domain/clearinghouse/callbacks';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EVENTS, EVENT_TYPES, LAB_EVENT_TYPES, LabEventType } from '../../shared/domain/review/events';
import { FindingEventType } from '../../shared/domain/clearinghouse/finding';
import { COMMITMENT_EVENT_TYPES } from '../../shared/domain/commitments/commitment';
import { GRANT_EVENT_TYPES } from '../../shared/domain/grants/grant';
import { LAB_CALLBACK_TYPES, LAB_EVENT_TYPES as LAB_RECORD_EVENT_TYPES } from '../../shared/domain/labs/record';
import type { CallbackEventBody } from '../../shared/node/callback-signature';

/**
 * What the suite has asserted, kept as it runs: each error code a test expected by name (a problem document, a
 * refused message), each event type a test expected by name in a case's, finding's, commitment's, grant's or
 * lab's events (assertEventTypes), each CLI exit code a test expected (test/cli/support.ts `exited`). Seeing
 * something is not asserting it: a code, event or exit code counts only through these explicit calls, made
 * after the test's own check passed. Apart from that, every callback body any test's receiver accepted is checked
 * against its declared contract (checkCallbackContract), and the types whose bodies were checked are kept too.
 * At the end of a full run (npm test without arguments) the global teardown fails the run naming every entry of
 * the error catalogue, the event declarations or the CLI's exit codes that no test asserted, and every event
 * type no delivered body showed: behaviour the guides promise must be exercised by some test.
 */
const asserted = {
  error: new Set<string>(),
  event: new Set<string>(),
  exit: new Set<number>(),
  delivered: new Set<string>(),
};

export const noteErrorAsserted = (code: string): void => void asserted.error.add(code);
export const noteExitAsserted = (code: number): void => void asserted.exit.add(code);

/** Every event type the product declares, of every workflow: the review's lab events, findings', commitments', grants', labs'. */
export const ALL_EVENT_TYPES: readonly string[] = [
  ...LAB_EVENT_TYPES,
  ...FindingEventType.options,
  ...COMMITMENT_EVENT_TYPES,
  ...GRANT_EVENT_TYPES,
  ...LAB_CALLBACK_TYPES,
];

/** Every type a timeline may hold: the above, the review's government-only events and the labs' record's. */
const DECLARED_TYPES = new Set<string>([...ALL_EVENT_TYPES, ...EVENT_TYPES, ...LAB_RECORD_EVENT_TYPES]);

/**
 * Asserts that `events` are exactly `expected`, by type and in order, then notes each expected type as
 * asserted. The one way a test's expectation of events counts in the ledger.
 */
export function assertEventTypes(
  events: readonly object[],
  expected: readonly string[],
  message?: string,
): void {
  assert.deepEqual(
    events.map((e) => (e as { type?: unknown }).type),
    expected,
    message,
  );
  for (const type of expected) {
    assert.ok(DECLARED_TYPES.has(type), `${type} is not a declared event type`);
    asserted.event.add(type);
  }
}

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
    delivered: [...asserted.delivered],
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
    delivered: new Set<string>(),
    violations: [] as string[],
  };
  for (const name of readdirSync(runDir).filter((n) => /^ledger-\d+\.json$/.test(n))) {
    const notes = JSON.parse(readFileSync(path.join(runDir, name), 'utf8')) as {
      error: string[];
      event: string[];
      exit: number[];
      delivered: string[];
      violations: string[];
    };
    notes.error.forEach((c) => all.error.add(c));
    notes.event.forEach((t) => all.event.add(t));
    notes.exit.forEach((c) => all.exit.add(c));
    notes.delivered.forEach((t) => all.delivered.add(t));
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
/** The contracts of the callbacks other workflows send, by the prefix of their event ids. */
const CONTRACTS: [string, () => z.ZodObject][] = [
  ['finding:', findingCallbackContract],
  ['commitment:', commitmentCallbackContract],
  ['grant:', grantCallbackContract],
  ['lab:', labCallbackContract],
];

export function checkCallbackContract(body: CallbackEventBody): void {
  const other = CONTRACTS.find(([prefix]) => body.id.startsWith(prefix));
  if (other !== undefined) {
    const checked = other[1]().safeParse(body);
    if (!checked.success) violations.push(`${body.id}: ${checked.error.message}`);
    else asserted.delivered.add(body.type);
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
  else asserted.delivered.add(type);
}
