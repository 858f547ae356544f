import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorCode } from '../../../../shared/domain/errors';
import type { Policy } from '../../../../shared/domain/policy';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy-presets';
import { advance } from '../../../../shared/domain/review/advance';
import { accept, openCase } from '../../../../shared/domain/review/intake';
import { COMMON_REJECTIONS, type Message } from '../../../../shared/domain/review/messages';
import type { CaseState } from '../../../../shared/domain/review/state';
import { Submission, type SubmissionInput } from '../../../../shared/domain/submission';
import { DAY_MS } from '../../../../shared/domain/time';
import { noteErrorAsserted } from '../../../helpers/ledger';

/**
 * Cases built by the domain's own functions, without a server, for testing each message's check and apply
 * as the pure functions they are. Day 0 is a Monday at noon UTC.
 */
export const DAY0 = Date.parse('2027-03-01T12:00:00.000Z');
export const day = (n: number): Date => new Date(DAY0 + n * DAY_MS);
export const LAB = 'lab:acme';

export function filing(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    submissionId: 'sub-1',
    labId: 'acme',
    model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
    access: { kind: 'API', details: 'gated endpoint' },
    callbackUrl: 'https://callbacks.acme.example/hook',
    plannedReleaseDate: '2028-12-31T00:00:00.000Z',
    ...overrides,
  };
}

/** A case as received, before intake ran. */
export const received = (overrides: Partial<SubmissionInput> = {}): CaseState =>
  openCase(Submission.parse(filing(overrides)), day(0));

/** A case accepted on day 0 under the default 90-day policy (or another): the national-security stage is open. */
export function accepted(
  overrides: Partial<SubmissionInput> = {},
  policy: Policy = DEFAULT_POLICY,
): CaseState {
  const c = received(overrides);
  accept(c, policy, { covered: true, reason: 'covered' }, day(0));
  return c;
}

/** The same, for a case opened under rules 2 (Washington's business calendar). */
export function acceptedUnderRules2(overrides: Partial<SubmissionInput> = {}): CaseState {
  const c = openCase(Submission.parse(filing(overrides)), day(0), 2);
  accept(c, DEFAULT_POLICY, { covered: true, reason: 'covered' }, day(0));
  return c;
}

/** Sends a message as its validator and then its handler would see it; answers the receipt. */
export function send(m: Message, c: CaseState, at: Date, payload: object) {
  m.check(c, at, payload);
  const receipt = m.apply(c, at, payload as never);
  advance(c, at);
  return receipt;
}

/** The validator refuses with `code`, which the message declares, and changes nothing. */
export function refuses(m: Message, c: CaseState, at: Date, payload: object, code: ErrorCode): void {
  noteErrorAsserted(code);
  const before = structuredClone(c);
  assert.throws(
    () => m.check(c, at, payload),
    (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, `expected a refusal, got ${String(err)}`);
      assert.equal(err.type, code, err.message);
      assert.ok(
        (COMMON_REJECTIONS as readonly string[]).includes(code) || m.rejects.includes(code),
        `${m.name} refused with ${code}, which it does not declare`,
      );
      return true;
    },
  );
  assert.deepEqual(c, before, 'a refused message changes nothing');
}

/** Every agency of the default national-security roster decides NO_CONCERNS, which opens the civilian stage. */
export function nationalSecurityDone(c: CaseState, decide: Message, at: Date): void {
  for (const a of ['NSA', 'CISA', 'DOW']) {
    send(decide, c, at, { actor: `agency:${a}`, decision: { kind: 'NO_CONCERNS', summary: 'fine' } });
  }
  assert.equal(c.stage, 'CIVILIAN');
}
