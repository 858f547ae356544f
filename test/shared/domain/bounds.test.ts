import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { BOUNDS_V7, DAY_MS, runIsFull, sizeOf } from '../../../shared/domain/bounds';
import {
  checkFilingSlot,
  emptyQuota,
  takeFilingSlot,
  type FilingQuota,
} from '../../../shared/domain/clearinghouse/quota';
import { withinCommitmentBudget } from '../../../shared/domain/commitments/bounds';
import type { CommitmentRecord } from '../../../shared/domain/commitments/commitment';
import type { ErrorCode } from '../../../shared/domain/errors';
import {
  compactGovernment,
  recentSent,
  withinGovernmentBudget,
  type Sent,
} from '../../../shared/domain/government/bounds';
import {
  checkDeclareClosure,
  checkEndLapse,
  checkStartLapse,
} from '../../../shared/domain/government/messages';
import type { GovernmentSnapshot } from '../../../shared/domain/government/state';
import { shownTimeline, withinUseBudget } from '../../../shared/domain/grants/budgets';
import { grantFilingSchema, type GrantRecord } from '../../../shared/domain/grants/grant';
import { GRANT_MESSAGES } from '../../../shared/domain/grants/messages';
import { approveGrant, openGrant, reportUse } from '../../../shared/domain/grants/rules';
import { DEFAULT_EARLY_ACCESS_TERMS } from '../../../shared/domain/grants/terms';
import { foldedRecord, withinStatusBudget } from '../../../shared/domain/labs/bounds';
import { eligibilityOf } from '../../../shared/domain/labs/eligibility';
import { LAB_MESSAGES } from '../../../shared/domain/labs/messages';
import { emptyLabRecord, type LabRecord } from '../../../shared/domain/labs/record';
import { applyFact, changeStatus, trimmedForNextRun } from '../../../shared/domain/labs/rules';
import { FEDERAL_HOLIDAYS_2025_2040 } from '../../../shared/domain/washington/federal-holidays';
import { noteErrorAsserted } from '../../helpers/ledger';

const T0 = Date.parse('2027-03-01T15:00:00.000Z'); // a Monday, 10:00 in Washington
const at = (ms: number) => new Date(ms);
const iso = (ms: number) => new Date(ms).toISOString();

/** `fn` throws the refusal a validator throws, with `code` (noted for the error catalogue's coverage). */
function refused(code: ErrorCode, fn: () => unknown, detail?: RegExp): void {
  noteErrorAsserted(code);
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.equal(err.type, code);
    if (detail !== undefined) assert.match(err.message, detail);
    return true;
  });
}

function activeGrant(): GrantRecord {
  const filing = grantFilingSchema().parse({
    grantId: 'acme~sub-1~grid-east',
    caseId: 'acme:sub-1',
    labId: 'acme',
    submissionId: 'sub-1',
    operator: 'operator:grid-east',
    nominatedBy: 'agency:CISA',
    reason: 'grid operator',
    nominatedAt: iso(T0),
    summary: {
      model: { name: 'Frontier-1', version: '1.0' },
      outcome: 'NO_CONCERNS_IDENTIFIED',
      rationale: 'r',
    },
    windowEndsAt: iso(T0 + 60 * DAY_MS),
    policy: { id: 'draft-2026-90d', version: 7 },
    terms: DEFAULT_EARLY_ACCESS_TERMS,
    calendar: { closeOfBusiness: '17:00', holidays: [...FEDERAL_HOLIDAYS_2025_2040] },
    callbackUrl: 'https://callbacks.acme.example/hook',
  });
  const r = openGrant(filing, at(T0));
  approveGrant(r, at(T0 + 1000), 'lab:acme');
  return r;
}

const OPERATOR = 'operator:grid-east';

/** Issue 34, item 5: every long-lived workflow is bounded as a case is, by policy version 7's numbers. */
describe('the bounds of the long-lived workflows (policy version 7)', () => {
  describe("a grant's use reports", () => {
    it('takes 10 use reports from the operator in a day, refuses the 11th, and takes more the next day', () => {
      const r = activeGrant();
      const report = (ms: number) => {
        GRANT_MESSAGES.reportUse.check(r, at(ms), { actor: OPERATOR, note: 'used' });
        reportUse(r, at(ms), OPERATOR, 'used');
      };
      for (let i = 0; i < 10; i += 1) report(T0 + DAY_MS + i * 60_000);
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () =>
          GRANT_MESSAGES.reportUse.check(r, at(T0 + DAY_MS + 3_600_000), { actor: OPERATOR, note: 'used' }),
        /10 uses in the last 1 day\(s\); the policy allows 10/,
      );
      assert.equal(r.uses, 10);
      report(T0 + 2 * DAY_MS + 1);
      assert.equal(r.uses, 11);
    });

    it('refuses a use report past the 100 of a grant’s life, and a note over 1,000 characters', () => {
      const r = activeGrant();
      for (let day = 0; day < 10; day += 1) {
        for (let i = 0; i < 10; i += 1) reportUse(r, at(T0 + day * DAY_MS + i), OPERATOR, 'used');
      }
      assert.equal(r.uses, 100);
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => withinUseBudget(r, at(T0 + 30 * DAY_MS), OPERATOR, 'used'),
        /the 100 use reports it allows/,
      );
      refused(
        'VALIDATION_FAILED',
        () => withinUseBudget(activeGrant(), at(T0 + DAY_MS), OPERATOR, 'x'.repeat(1001)),
        /at most 1000 characters/,
      );
      withinUseBudget(activeGrant(), at(T0 + DAY_MS), OPERATOR, 'x'.repeat(1000));
    });

    it('shows every step with the latest 20 use reports, and how many it left out', () => {
      const r = activeGrant();
      for (let i = 0; i < 35; i += 1) reportUse(r, at(T0 + DAY_MS + i), OPERATOR, `use ${i + 1}`);
      const { timeline, usesOmitted } = shownTimeline(r);
      assert.equal(usesOmitted, 15);
      assert.deepEqual(
        timeline.map((e) => e.note ?? e.type),
        ['grid operator', 'GRANT_APPROVED', ...Array.from({ length: 20 }, (_, i) => `use ${i + 16}`)],
      );
    });

    it('keeps a grant at its worst (every use report, every note at its longest, every callback queued) under the run’s size bound', () => {
      const r = activeGrant();
      const note = 'é'.repeat(BOUNDS_V7.grants.noteChars);
      for (let i = 0; i < BOUNDS_V7.grants.usesTotal; i += 1)
        reportUse(r, at(T0 + DAY_MS + i), OPERATOR, note);
      assert.ok(sizeOf(r) < BOUNDS_V7.runs.stateChars, `${sizeOf(r)} characters`);
      // Under Temporal's 2 MiB even in UTF-8 bytes, every character at its widest.
      assert.ok(Buffer.byteLength(JSON.stringify(r)) < 2 * 1024 * 1024);
    });
  });

  describe("a lab's record", () => {
    const CHAIR = 'chair';
    const labMessage = (r: LabRecord, ms: number, reason = 'r') =>
      (r.status === 'PARTICIPANT' ? LAB_MESSAGES.designate : LAB_MESSAGES.revoke).check(
        r,
        { actor: CHAIR, reason, eligible: true },
        at(ms),
      );

    it('takes 4 status changes from the chair in 30 days, refuses the 5th, and takes one once the first is 30 days old', () => {
      const r = emptyLabRecord('acme');
      for (let i = 0; i < 4; i += 1) {
        labMessage(r, T0 + i * DAY_MS);
        changeStatus(
          r,
          r.status === 'PARTICIPANT' ? 'TRUSTED_PARTNER' : 'PARTICIPANT',
          at(T0 + i * DAY_MS),
          CHAIR,
          'r',
          true,
        );
      }
      refused('MESSAGE_BUDGET_EXHAUSTED', () => labMessage(r, T0 + 10 * DAY_MS), /the policy allows 4/);
      labMessage(r, T0 + 30 * DAY_MS + 1);
      refused('VALIDATION_FAILED', () =>
        withinStatusBudget(emptyLabRecord('x'), at(T0), CHAIR, 'x'.repeat(1001)),
      );
    });

    it('folds the oldest closed cases, settled commitments and status changes beyond 200, and eligibility still counts them', () => {
      let r = emptyLabRecord('acme');
      const now = T0 + 400 * DAY_MS;
      for (let i = 0; i < 260; i += 1) {
        const caseId = `acme:s${i}`;
        const when = iso(T0 + i * DAY_MS);
        applyFact(
          r,
          {
            kind: 'CASE_ACCEPTED',
            caseId,
            submissionId: `s${i}`,
            at: when,
            policy: { id: 'p', version: 7 },
            status: 'PARTICIPANT',
          },
          at(T0),
        );
        if (i < 250) {
          applyFact(
            r,
            {
              kind: 'CASE_CLOSED',
              caseId,
              submissionId: `s${i}`,
              at: when,
              closedReason: i % 2 === 0 ? 'RELEASED' : 'WITHDRAWN',
              ...(i % 2 === 0 ? { outcome: 'NO_CONCERNS_IDENTIFIED' as const } : {}),
              earlyRelease: i === 3 || i === 249,
              ...(i === 3 || i === 249 ? { releasedAt: when } : {}),
            },
            at(T0),
          );
        }
        applyFact(
          r,
          {
            kind: 'COMMITMENT_STANDING',
            commitmentId: `c${i}`,
            caseId,
            owner: 'agency:NSA',
            standing: i % 10 === 0 ? 'BROKEN' : 'KEPT',
            at: when,
          },
          at(T0),
        );
      }
      for (let i = 0; i < 210; i += 1)
        changeStatus(r, i % 2 === 0 ? 'TRUSTED_PARTNER' : 'PARTICIPANT', at(T0 + i), CHAIR, 'r', true);
      const terms = {
        eligibility: { completedReviews: 2, earlyReleaseLookbackDays: 365, brokenCommitments: 0 },
        effect: { skipDesignation: true },
      };
      const before = eligibilityOf(r, terms, now);
      const sizeBefore = sizeOf(r);
      r = foldedRecord(trimmedForNextRun(r));
      assert.deepEqual(eligibilityOf(r, terms, now), before);
      assert.deepEqual(
        { ...before, unmet: [] },
        { eligible: false, completedReviews: 125, earlyReleases: 1, brokenCommitments: 26, unmet: [] },
      );
      assert.equal(r.cases.length, 210, '10 open cases and the latest 200 closed ones');
      assert.equal(r.cases.filter((c) => c.closedAt === undefined).length, 10);
      assert.equal(r.commitments.length, 200);
      assert.equal(r.statusHistory.length, 200);
      assert.deepEqual(r.earlier, {
        cases: 50,
        completedReviews: 25,
        earlyReleases: [iso(T0 + 3 * DAY_MS)],
        commitments: { kept: 54, broken: 6 },
        statusChanges: 10,
      });
      assert.ok(sizeOf(r) < sizeBefore);
      assert.equal(foldedRecord(r), r, 'a record within its bounds is handed on as it is');
    });
  });

  describe("the government's state", () => {
    const OPS = 'ops';
    const g = (): GovernmentSnapshot => ({ lapses: [], closures: [] });
    const sentAt = (budget: Sent['budget'], n: number, ms: number): Sent[] =>
      Array.from({ length: n }, () => ({ budget, by: OPS, at: iso(ms) }));

    it('refuses a third new lapse, an eleventh new closure and a 21st re-send in 30 days; never the end of the active lapse', () => {
      const now = Date.now();
      const state: GovernmentSnapshot = {
        lapses: [{ id: 'L2', reason: 'r', from: iso(now - DAY_MS), startedBy: OPS }],
        closures: [{ id: 'C1', dates: ['2099-01-02'], reason: 'r', declaredAt: iso(now), declaredBy: OPS }],
      };
      const sent = [
        ...sentAt('lapses', 2, now - DAY_MS),
        ...sentAt('closures', 10, now),
        ...sentAt('resends', 20, now),
      ];
      // Another lapse while one is active is refused for that first; here the active one ended.
      const ended: GovernmentSnapshot = { ...state, lapses: [{ ...state.lapses[0], to: iso(now) }] };
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => checkStartLapse(ended, { actor: OPS, lapseId: 'L3', reason: 'r' }, sent),
        /new lapses/,
      );
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () =>
          checkDeclareClosure(
            state,
            { actor: OPS, closureId: 'C2', dates: ['2099-01-03'], reason: 'r' },
            at(now),
            sent,
          ),
        /new closures/,
      );
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => checkStartLapse(state, { actor: OPS, lapseId: 'L2', reason: 'r' }, sent),
        /re-sent/,
      );
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => checkEndLapse(ended, { actor: OPS, lapseId: 'L2' }, sent),
        /re-sent/,
      );
      checkEndLapse(state, { actor: OPS, lapseId: 'L2' }, sent);
      // The period rolls: what was sent 31 days ago no longer counts, and a run hands on only what does.
      const old = sentAt('closures', 10, now - 31 * DAY_MS);
      checkDeclareClosure(
        state,
        { actor: OPS, closureId: 'C2', dates: ['2099-01-03'], reason: 'r' },
        at(now),
        old,
      );
      assert.deepEqual(
        recentSent([...old, ...sentAt('resends', 1, now)], at(now)),
        sentAt('resends', 1, now),
      );
      withinGovernmentBudget([], 'lapses', OPS, at(now));
    });

    it('hands on the active lapse, every coming closure and only the latest 20 ended lapses and past closures', () => {
      const now = Date.parse('2030-06-01T15:00:00.000Z');
      const state = g();
      for (let i = 0; i < 30; i += 1) {
        state.lapses.push({
          id: `L${i}`,
          reason: 'r',
          from: iso(now - (60 - i) * DAY_MS),
          to: iso(now - (59 - i) * DAY_MS),
          startedBy: OPS,
          endedBy: OPS,
        });
        state.closures.push({
          id: `P${i}`,
          dates: ['2030-01-02'],
          reason: 'r',
          declaredAt: iso(now - 200 * DAY_MS),
          declaredBy: OPS,
        });
      }
      state.lapses.push({ id: 'ACTIVE', reason: 'r', from: iso(now), startedBy: OPS });
      state.closures.push({
        id: 'TODAY',
        dates: ['2030-05-01', '2030-06-01'],
        reason: 'r',
        declaredAt: iso(now),
        declaredBy: OPS,
      });
      state.closures.push({
        id: 'LATER',
        dates: ['2030-12-24'],
        reason: 'r',
        declaredAt: iso(now),
        declaredBy: OPS,
      });
      const next = compactGovernment(state, at(now));
      assert.deepEqual(
        next.lapses.map((l) => l.id),
        [...Array.from({ length: 20 }, (_, i) => `L${i + 10}`), 'ACTIVE'],
      );
      assert.deepEqual(
        next.closures.map((x) => x.id),
        [...Array.from({ length: 20 }, (_, i) => `P${i + 10}`), 'TODAY', 'LATER'],
      );
    });
  });

  describe("a commitment's messages", () => {
    it('refuses a second attestation or answer from the same party even were its state to allow it', () => {
      const r = {
        state: 'OPEN',
        events: [{ seq: 1, type: 'COMMITMENT_ATTESTED', at: iso(T0), actor: 'lab:acme' }],
      } as unknown as CommitmentRecord;
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => withinCommitmentBudget(r, 'lab:acme', 'attestations'),
        /1 of the 1 attestations/,
      );
      withinCommitmentBudget(r, 'agency:NSA', 'answers');
    });
  });

  describe("a filer's quota of findings", () => {
    const NSA = 'agency:NSA';
    const take = (q: FilingQuota, findingId: string, subject: string, ms: number) => {
      const msg = checkFilingSlot(q, { actor: NSA, findingId, subject }, at(ms));
      return takeFilingSlot(q, msg, at(ms));
    };

    it('takes 20 findings about one case in 30 days and refuses the 21st; another case still has room; a retry is never refused', () => {
      const q = emptyQuota(NSA);
      for (let i = 0; i < 20; i += 1) take(q, `F-${i}`, 'case:acme:s1', T0 + i);
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => take(q, 'F-20', 'case:acme:s1', T0 + 100),
        /about case:acme:s1/,
      );
      assert.deepEqual(take(q, 'F-3', 'case:acme:s1', T0 + 200), {
        findingId: 'F-3',
        subject: { filed: 20, allowed: 20 },
        all: { filed: 20, allowed: 200 },
      });
      take(q, 'F-21', 'lab:acme', T0 + 300);
      // 30 days after the first, its slot is free again.
      take(q, 'F-22', 'case:acme:s1', T0 + 30 * DAY_MS + 1);
      refused('NOT_ENTITLED', () =>
        checkFilingSlot(q, { actor: 'agency:CISA', findingId: 'F-9', subject: 'lab:x' }, at(T0)),
      );
      refused('VALIDATION_FAILED', () =>
        checkFilingSlot(q, { actor: NSA, findingId: 'F 9', subject: 'lab:x' }, at(T0)),
      );
    });

    it('refuses the 201st finding in 30 days, whatever it is about', () => {
      const q = emptyQuota(NSA);
      for (let i = 0; i < 200; i += 1) take(q, `F-${i}`, `lab:lab-${i % 50}`, T0 + i);
      refused(
        'MESSAGE_BUDGET_EXHAUSTED',
        () => take(q, 'F-200', 'lab:other', T0 + 1000),
        /200 findings in the last 30 days/,
      );
      assert.ok(sizeOf(q) < BOUNDS_V7.runs.stateChars);
    });
  });

  it('hands a run on at 8,000 events, 1,000 messages, a record of 400,000 characters, or when the server suggests it', () => {
    const run = { historyLength: 10, messages: 0, continueAsNewSuggested: false };
    const small = { x: 'y' };
    assert.equal(runIsFull(run, small, BOUNDS_V7.runs), false);
    assert.equal(runIsFull({ ...run, historyLength: 8_000 }, small, BOUNDS_V7.runs), true);
    assert.equal(runIsFull({ ...run, messages: 1_000 }, small, BOUNDS_V7.runs), true);
    assert.equal(runIsFull({ ...run, continueAsNewSuggested: true }, small, BOUNDS_V7.runs), true);
    assert.equal(runIsFull(run, { x: 'y'.repeat(400_000) }, BOUNDS_V7.runs), true);
  });
});
