import assert from 'node:assert/strict';
import type { ActedBy } from '../../../../shared/domain/acted-by';
import { MESSAGES as M } from '../../../../shared/domain/review/messages';
import { archiveEntries } from '../../../../shared/domain/review/archive';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../../../shared/domain/policy-presets';
import { accepted, day, LAB, refuses, send } from './cases';

const REVIEWER: ActedBy = {
  kind: 'PERSON',
  issuer: 'https://login.nsa.example/',
  subject: '00u1',
  name: 'Jane Roe',
};
const noConcerns = { kind: 'NO_CONCERNS', summary: 'fine' };
/** A case pinned to policy 7, from before people had to sign their decisions (policy 8). */
const POLICY_7 = POLICY_PRESETS.find((p) => p.id === DEFAULT_POLICY.id && p.version === 7)!;

/** Issue 36, part 1: the case records who acted beside the principal, on the acts a message made. */
describe('who acted, in the case and its permanent record', () => {
  it('names the person on the act the message made, not on what the case did on its own in the same step', () => {
    const c = accepted({}, POLICY_7);
    const before = c.timeline.length;
    send(M.recordDecision, c, day(1), { actor: 'agency:NSA', by: REVIEWER, decision: noConcerns });
    send(M.recordDecision, c, day(1), { actor: 'agency:CISA', decision: noConcerns });
    send(M.recordDecision, c, day(2), { actor: 'agency:DOW', by: REVIEWER, decision: noConcerns });
    const made = c.timeline.slice(before).map((e) => [e.type, e.actor, e.by]);
    assert.deepEqual(made.slice(0, 3), [
      ['DECISION_RECORDED', 'agency:NSA', REVIEWER],
      // A message from before issue 36 (or the workflow's own) names no one.
      ['DECISION_RECORDED', 'agency:CISA', undefined],
      ['DECISION_RECORDED', 'agency:DOW', REVIEWER],
    ]);
    // DOW's decision closed the stage: the stage's closing and the civilian stage's opening are the case's own.
    const own = made.slice(3);
    assert.ok(own.length > 0, 'the last decision moved the case on');
    assert.deepEqual(
      own.filter(([, actor, by]) => actor === 'system' && by !== undefined),
      [],
    );
    // The lab withdraws (its own key): the closed case's permanent record keeps who acted.
    send(M.withdraw, c, day(3), { actor: LAB });
    const archived = archiveEntries('acme:sub-1', c).filter(
      (e) => e.kind === 'TIMELINE' && e.type === 'DECISION_RECORDED',
    );
    assert.deepEqual(
      archived.map((e) => [e.actor, e.by]),
      [
        ['agency:NSA', REVIEWER],
        ['agency:CISA', undefined],
        ['agency:DOW', REVIEWER],
      ],
    );
  });

  it('refuses a message whose acted-by is malformed, as VALIDATION_FAILED, and records nothing', () => {
    const c = accepted();
    for (const by of [
      { kind: 'PERSON', issuer: 'https://login.example/' },
      { kind: 'ROBOT', keyId: 'k1', holder: 'x' },
      { kind: 'SYSTEM', keyId: 'k1', holder: 'x', extra: true },
    ])
      refuses(
        M.recordDecision,
        c,
        day(1),
        { actor: 'agency:NSA', by, decision: noConcerns },
        'VALIDATION_FAILED',
      );
  });

  it("refuses, under policy 8, a person's act that decides when it is unsigned, and nothing changes; a system's and a policy-7 case's pass", () => {
    const c = accepted();
    assert.equal(c.policy?.version, 8);
    const before = structuredClone(c);
    refuses(
      M.recordDecision,
      c,
      day(1),
      { actor: 'agency:NSA', by: REVIEWER, decision: noConcerns },
      'SIGNATURE_REQUIRED',
    );
    refuses(
      M.requestExtension,
      c,
      day(1),
      { actor: 'agency:NSA', by: REVIEWER, days: 2, reason: 'r' },
      'SIGNATURE_REQUIRED',
    );
    assert.deepEqual(c, before);
    // An agency's system (policy 8 does not require it yet), and a message naming no one, held to the same rule.
    send(M.recordDecision, c, day(1), {
      actor: 'agency:NSA',
      by: { kind: 'SYSTEM', keyId: 'key_1', holder: 'NSA review system' },
      decision: noConcerns,
    });
    send(M.recordDecision, c, day(1), { actor: 'agency:CISA', decision: noConcerns });
    // A case pinned to policy 7 keeps its rules: the person's unsigned decision is taken.
    const old = accepted({}, POLICY_7);
    send(M.recordDecision, old, day(1), { actor: 'agency:NSA', by: REVIEWER, decision: noConcerns });
  });
});
