import assert from 'node:assert/strict';
import type { Processed } from '../../drills/receiver';
import { judge, type CaseRead } from '../../drills/chaos-checks';
import type { Action } from '../../drills/ledger';

const CASE = 'acme:c1';
const future = new Date(Date.now() + 86_400_000).toISOString();

const action = (over: Partial<Action>): Action => ({
  kind: 'decision',
  caseId: CASE,
  party: 'agency:NSA',
  method: 'POST',
  path: `/v1/submissions/${CASE}/decisions`,
  idempotencyKey: 'k',
  firstSentAt: 0,
  tries: 1,
  retried: [],
  status: 200,
  seq: 2,
  resolvedAt: 1,
  ...over,
});

const read = (over: Partial<CaseRead> = {}): CaseRead => ({
  stage: 'NATIONAL_SECURITY',
  nextDeadline: { dueAt: future },
  timeline: [
    { seq: 1, actor: 'lab:acme', type: 'RECEIVED' },
    { seq: 2, actor: 'agency:NSA', type: 'DECISION_RECORDED' },
  ],
  callbacks: { events: 2, pending: 0 },
  ...over,
});

const receiver = (sequences: number[]) => {
  const processed: Processed[] = sequences.map((sequence) => ({
    id: `c1:${sequence}`,
    sequence,
    type: 'X',
    occurredAt: new Date(0).toISOString(),
    processedAt: 1,
  }));
  const once = new Map(processed.map((p) => [p.id, 1]));
  return { processed: new Map([['c1', processed]]), processedCount: once, deliveries: once };
};

/** The chaos run's checks find what they exist to find (so a clean report means something). */
describe('the chaos run’s checks', () => {
  const problemsOf = (actions: Action[], c: CaseRead, seqs = [1, 2]) =>
    judge(actions, receiver(seqs), [CASE], new Map([[CASE, c]])).problems;

  it('pass a settled record that matches every answer', () => {
    assert.deepEqual(problemsOf([action({})], read()), []);
  });

  it('find an accepted action missing from the timeline', () => {
    assert.match(problemsOf([action({ seq: 3 })], read()).join('\n'), /is not at seq 3/);
  });

  it('find a refused action that was applied anyway', () => {
    const refused = action({ status: 409, seq: undefined, code: 'ALREADY_DECIDED' });
    assert.match(problemsOf([refused], read()).join('\n'), /applied without an accepted request/);
  });

  it('find an action applied twice', () => {
    const twice = read({
      timeline: [...read().timeline, { seq: 3, actor: 'agency:NSA', type: 'DECISION_RECORDED' }],
    });
    assert.match(problemsOf([action({})], twice).join('\n'), /seq 3\) was applied without/);
  });

  it('find a gap or a disorder in the events the lab processed, and an event processed twice', () => {
    assert.match(problemsOf([action({})], read(), [2, 1]).join('\n'), /processed sequences \[2,1\]/);
    assert.match(problemsOf([action({})], read(), [1]).join('\n'), /expected 1\.\.2/);
    const r = receiver([1, 2]);
    r.processedCount.set('c1:2', 2);
    assert.match(
      judge([action({})], r, [CASE], new Map([[CASE, read()]])).problems.join('\n'),
      /more than once/,
    );
  });

  it('find a read the gateway answered 500', () => {
    const r = receiver([1, 2]);
    const { problems, actions } = judge([action({})], r, [CASE], new Map([[CASE, read()]]), [
      `/v1/submissions/${CASE}`,
    ]);
    assert.equal(actions.internalErrors, 1);
    assert.match(problems.join('\n'), /a read of \/v1\/submissions\/acme:c1 answered 500/);
    assert.deepEqual(judge([action({})], r, [CASE], new Map([[CASE, read()]])).problems, []);
  });

  it('find a stuck case, an unanswered action and undelivered callbacks', () => {
    const stuck = read({ nextDeadline: { dueAt: new Date(0).toISOString() } });
    assert.match(problemsOf([action({})], stuck).join('\n'), /no future wake-up/);
    const unknown = action({ kind: 'extension', status: undefined, seq: undefined, retried: ['503'] });
    assert.match(problemsOf([action({}), unknown], read()).join('\n'), /no answer: extension/);
    assert.match(
      problemsOf([action({})], read({ callbacks: { events: 2, pending: 1 } })).join('\n'),
      /still pending/,
    );
  });

  it('take a fan-out asked again to name the same receipt, and find one applied twice', () => {
    const c = read({ timeline: [...read().timeline, { seq: 3, actor: 'ops', type: 'CLOCK_TOLLED' }] });
    const fan = (seq: number): Action =>
      action({
        kind: 'fan-out: toll',
        caseId: '*',
        party: 'ops',
        path: '/v1/ops/funding-lapses',
        body: { lapseId: 'l1' },
        seq: undefined,
        answer: { results: [{ caseId: CASE, outcome: 'APPLIED', receipt: { seq } }] },
      });
    assert.deepEqual(problemsOf([action({}), fan(3), fan(3)], c), []);
    const twice = read({ timeline: [...c.timeline, { seq: 4, actor: 'ops', type: 'CLOCK_TOLLED' }] });
    assert.match(problemsOf([action({}), fan(3), fan(4)], twice).join('\n'), /applied twice \(seq 3 and 4\)/);
  });

  it('find a fan-out entry no report names, but not the toll a case accepted during a lapse starts with', () => {
    const at = '2026-11-30T19:00:00.000Z';
    const c = read({ timeline: [...read().timeline, { seq: 3, at, actor: 'ops', type: 'CLOCK_TOLLED' }] });
    assert.match(problemsOf([action({})], c).join('\n'), /by ops \(seq 3\) is in no fan-out's report/);
    assert.deepEqual(problemsOf([action({})], { ...c, acceptedAt: at }), []);
  });
});
