import assert from 'node:assert/strict';
import { assertEventTypes } from '../../../helpers/ledger';
import { DEFAULT_EARLY_ACCESS_TERMS } from '../../../../shared/domain/grants/terms';
import { grantFilingSchema, type GrantRecord } from '../../../../shared/domain/grants/grant';
import { GRANT_MESSAGES } from '../../../../shared/domain/grants/messages';
import {
  advanceGrant,
  approveGrant,
  caseClosed,
  nextGrantWake,
  openGrant,
  reportUse,
} from '../../../../shared/domain/grants/rules';
import { FEDERAL_HOLIDAYS_2025_2040 } from '../../../../shared/domain/washington/federal-holidays';
import { businessDaysDue, endOfDay } from '../../../helpers/washington';

const NOMINATED = Date.parse('2027-03-01T15:00:00.000Z'); // a Monday, 10:00 in Washington
const WINDOW_END = '2027-04-01T04:00:00.000Z';
const at = (ms: number) => new Date(ms);
const DAY = 86_400_000;

function nominated(): GrantRecord {
  const filing = grantFilingSchema().parse({
    grantId: 'acme~sub-1~grid-east',
    caseId: 'acme:sub-1',
    labId: 'acme',
    submissionId: 'sub-1',
    operator: 'operator:grid-east',
    nominatedBy: 'agency:CISA',
    reason: 'grid operator',
    nominatedAt: new Date(NOMINATED).toISOString(),
    summary: {
      model: { name: 'Frontier-1', version: '1.0' },
      outcome: 'NO_CONCERNS_IDENTIFIED',
      rationale: 'r',
    },
    windowEndsAt: WINDOW_END,
    policy: { id: 'draft-2026-90d', version: 6 },
    terms: DEFAULT_EARLY_ACCESS_TERMS,
    calendar: { closeOfBusiness: '17:00', holidays: [...FEDERAL_HOLIDAYS_2025_2040] },
    callbackUrl: 'https://callbacks.acme.example/hook',
  });
  return openGrant(filing, at(NOMINATED));
}

/** The grant's rules, pure (issue 14, part 4). */
describe('an early-access grant’s rules', () => {
  it('gives the lab 5 business days to answer, and its silence lapses the nomination', () => {
    const r = nominated();
    assert.equal(r.answerDue, new Date(businessDaysDue(NOMINATED, 5)).toISOString());
    advanceGrant(r, at(Date.parse(r.answerDue) - 1));
    assert.equal(r.state, 'NOMINATED');
    advanceGrant(r, at(Date.parse(r.answerDue)));
    assert.equal(r.state, 'LAPSED');
    assert.equal(nextGrantWake(r), undefined);
  });

  it('runs an approved grant to the window’s end plus 30 days, or the release plus 30 once reported', () => {
    const r = nominated();
    approveGrant(r, at(NOMINATED + DAY), 'lab:acme');
    assert.equal(r.endsAt, new Date(endOfDay(Date.parse(WINDOW_END), 30)).toISOString());
    reportUse(r, at(NOMINATED + 2 * DAY), 'operator:grid-east', 'used');
    const released = new Date(NOMINATED + 10 * DAY).toISOString();
    caseClosed(r, at(NOMINATED + 10 * DAY), { reason: 'RELEASED', at: released, releasedAt: released });
    assert.equal(r.endsAt, new Date(endOfDay(Date.parse(released), 30)).toISOString());
    assert.equal(r.events.at(-1)?.type, 'GRANT_END_SET');
    // A second telling changes nothing.
    caseClosed(r, at(NOMINATED + 11 * DAY), { reason: 'WITHDRAWN', at: released });
    assert.equal(r.state, 'ACTIVE');
    advanceGrant(r, at(Date.parse(r.endsAt)));
    assert.deepEqual([r.state, r.endReason, r.uses], ['ENDED', 'EXPIRED', 1]);
    assertEventTypes(r.callbacks, [
      'GRANT_NOMINATED',
      'GRANT_APPROVED',
      'GRANT_USE_REPORTED',
      'GRANT_END_SET',
      'GRANT_EXPIRED',
    ]);
  });

  it('ends an active grant when the case is withdrawn, and lapses a nomination when the case closes first', () => {
    const active = nominated();
    approveGrant(active, at(NOMINATED + DAY), 'lab:acme');
    caseClosed(active, at(NOMINATED + 2 * DAY), {
      reason: 'WITHDRAWN',
      at: new Date(NOMINATED + 2 * DAY).toISOString(),
    });
    assert.deepEqual([active.state, active.endReason], ['ENDED', 'WITHDRAWN']);
    const pending = nominated();
    caseClosed(pending, at(NOMINATED + DAY), {
      reason: 'RELEASED',
      at: new Date(NOMINATED + DAY).toISOString(),
    });
    assert.equal(pending.state, 'LAPSED');
  });

  it('lets the lab, CISA or the operator revoke, the lab only an active grant, and no one else', () => {
    const r = nominated();
    const revoke = GRANT_MESSAGES.revoke;
    const refused = (actor: string, code: string) =>
      assert.throws(
        () => revoke.check(r, at(NOMINATED), { actor, reason: 'x' }),
        (e: { type?: string }) => e.type === code,
      );
    refused('lab:acme', 'GRANT_WRONG_STATE');
    refused('agency:NSA', 'NOT_ENTITLED');
    refused('operator:water-west', 'NOT_ENTITLED');
    revoke.check(r, at(NOMINATED), { actor: 'operator:grid-east', reason: 'x' });
    revoke.check(r, at(NOMINATED), { actor: 'agency:CISA', reason: 'x' });
    approveGrant(r, at(NOMINATED + DAY), 'lab:acme');
    revoke.check(r, at(NOMINATED), { actor: 'lab:acme', reason: 'x' });
    revoke.apply(r, at(NOMINATED + 2 * DAY), { actor: 'lab:acme', reason: 'breach of terms' });
    assert.deepEqual([r.state, r.endReason], ['ENDED', 'REVOKED']);
    refused('agency:CISA', 'GRANT_CLOSED');
  });
});
