import assert from 'node:assert/strict';
import { eligibilityOf } from '../../../shared/domain/labs/eligibility';
import type { LabFact } from '../../../shared/domain/labs/facts';
import { emptyLabRecord } from '../../../shared/domain/labs/record';
import { applyFact, changeStatus, trimmedForNextRun } from '../../../shared/domain/labs/rules';
import { DEFAULT_POLICY } from '../../../shared/domain/policy-presets';

const TERMS = DEFAULT_POLICY.trustedPartner!;
const DAY_MS = 86_400_000;
const NOW = Date.parse('2028-06-01T12:00:00.000Z');
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY_MS).toISOString();

const accepted = (n: number, daysAgo: number): LabFact => ({
  kind: 'CASE_ACCEPTED',
  caseId: `acme:s${n}`,
  submissionId: `s${n}`,
  at: at(daysAgo),
  policy: { id: 'draft-2026-90d', version: 5 },
  status: 'PARTICIPANT',
  callbackUrl: `https://acme.example/hooks/${n}`,
});
const closed = (
  n: number,
  daysAgo: number,
  extra: Partial<Extract<LabFact, { kind: 'CASE_CLOSED' }>> = {},
): LabFact => ({
  kind: 'CASE_CLOSED',
  caseId: `acme:s${n}`,
  submissionId: `s${n}`,
  at: at(daysAgo),
  closedReason: 'WINDOW_ENDED',
  outcome: 'NO_CONCERNS_IDENTIFIED',
  earlyRelease: false,
  ...extra,
});

describe("a lab's record and the policy's proposal (issue 14, part 3)", () => {
  it('proposes a lab with two completed reviews, no early release within a year and nothing broken', () => {
    const r = emptyLabRecord('acme');
    const now = new Date(NOW);
    applyFact(r, accepted(1, 400), now);
    applyFact(r, closed(1, 300), now);
    assert.deepEqual(eligibilityOf(r, TERMS, NOW).unmet, [
      '1 of the 2 completed reviews the policy asks for',
    ]);
    applyFact(r, accepted(2, 200), now);
    applyFact(r, closed(2, 100), now);
    assert.equal(eligibilityOf(r, TERMS, NOW).eligible, true);
    // A withdrawn case, or one closed before its determination, is not a completed review.
    applyFact(r, accepted(3, 50), now);
    applyFact(r, closed(3, 40, { closedReason: 'WITHDRAWN', outcome: undefined }), now);
    assert.equal(eligibilityOf(r, TERMS, NOW).completedReviews, 2);
  });

  it('withholds the proposal for an early release within the lookback, and gives it back after', () => {
    const r = emptyLabRecord('acme');
    const now = new Date(NOW);
    for (const n of [1, 2]) applyFact(r, accepted(n, 500), now);
    applyFact(r, closed(1, 400), now);
    applyFact(r, closed(2, 200, { closedReason: 'RELEASED', releasedAt: at(200), earlyRelease: true }), now);
    assert.deepEqual(eligibilityOf(r, TERMS, NOW).unmet, ['1 early release(s) in the last 365 days']);
    assert.equal(eligibilityOf(r, TERMS, NOW + 200 * DAY_MS).eligible, true);
  });

  it('withholds it for a broken commitment, and takes each fact once whatever is sent again', () => {
    const r = emptyLabRecord('acme');
    const now = new Date(NOW);
    for (const n of [1, 2]) {
      applyFact(r, accepted(n, 300), now);
      applyFact(r, closed(n, 200), now);
      // A retried activity sends the same fact again: nothing changes.
      applyFact(r, closed(n, 200), now);
    }
    const standing = (s: 'PENDING' | 'BROKEN'): LabFact => ({
      kind: 'COMMITMENT_STANDING',
      commitmentId: 'acme~s1~1',
      caseId: 'acme:s1',
      owner: 'agency:NSA',
      standing: s,
      at: at(10),
    });
    applyFact(r, standing('PENDING'), now);
    applyFact(r, standing('BROKEN'), now);
    applyFact(r, standing('BROKEN'), now);
    assert.equal(r.cases.length, 2);
    assert.equal(r.events.length, 6);
    assert.deepEqual(eligibilityOf(r, TERMS, NOW).unmet, ['1 broken commitment(s); the policy allows 0']);
  });

  it("tells the lab each change of status on its latest case's endpoint, and keeps it across runs", () => {
    const r = emptyLabRecord('acme');
    const now = new Date(NOW);
    applyFact(r, accepted(1, 30), now);
    applyFact(r, accepted(2, 10), now);
    changeStatus(r, 'TRUSTED_PARTNER', now, 'chair', 'trusted', false);
    changeStatus(r, 'PARTICIPANT', now, 'chair', 'revoked', false);
    assert.equal(r.endpoint?.url, 'https://acme.example/hooks/2');
    assert.deepEqual(
      r.callbacks.map((c) => [c.seq, c.type, c.submissionId]),
      [
        [1, 'TRUSTED_PARTNER_DESIGNATED', 's2'],
        [2, 'TRUSTED_PARTNER_REVOKED', 's2'],
      ],
    );
    const next = trimmedForNextRun(r);
    assert.deepEqual(next.statusHistory, r.statusHistory);
    assert.equal(next.callbacks.length, 2, 'undelivered callbacks go on to the next run');
    assert.equal(next.nextSeq, r.nextSeq);
  });
});
