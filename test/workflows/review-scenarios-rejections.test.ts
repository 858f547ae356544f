import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { rejectedWithoutTrace } from '../helpers/assertions';
import { decide, decision, status, withAcceptedCaseOnDevServer } from '../helpers/review';

/*
 * These run on the real dev server: it drops the speculative workflow task of a rejected update, so "no trace"
 * includes the history. (The time-skipping test server records that task's three events.) Nothing here needs
 * time to pass. The lab's callbacks are delivered before each check, and every case is terminated once checked.
 */

describe('review workflow: messages out of turn are rejected without a trace (scenario 8)', () => {
  it('rejects a civilian agency deciding during the national-security stage with WRONG_STAGE', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      await rejectedWithoutTrace(h, 'WRONG_STAGE', () => decide(h, 'CAISI', decision('NO_CONCERNS')));
    });
  });

  it('rejects a second decision from the same agency with ALREADY_DECIDED; the first one stands', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      await decide(h, 'NSA', decision('NO_CONCERNS'));
      await rejectedWithoutTrace(h, 'ALREADY_DECIDED', () =>
        decide(h, 'NSA', decision('CONCERNS_UNRESOLVED')),
      );
      const nsa = (await status(h)).agencies.find((a) => a.agency === 'NSA');
      assert.equal(nsa?.decision?.kind, 'NO_CONCERNS');
    });
  });

  it('rejects another lab acting on the case with NOT_ENTITLED', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      await rejectedWithoutTrace(h, 'NOT_ENTITLED', () =>
        h.executeUpdate(M.withdraw.update, { args: [{ actor: 'lab:other', reason: 'not my model' }] }),
      );
    });
  });

  it('rejects the chair resolving a case that is not escalated with NOT_ESCALATED', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      await rejectedWithoutTrace(h, 'NOT_ESCALATED', () =>
        h.executeUpdate(M.resolveEscalation.update, {
          args: [{ actor: 'chair', outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'nothing to resolve' }],
        }),
      );
    });
  });

  it('rejects a malformed decision (kind MAYBE) with VALIDATION_FAILED', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      // Sent by name: the typed definition would not let a test build this payload.
      await rejectedWithoutTrace(h, 'VALIDATION_FAILED', () =>
        h.executeUpdate('recordDecision', {
          args: [{ actor: 'agency:NSA', decision: { kind: 'MAYBE', summary: 'undecided' } }],
        }),
      );
    });
  });
});
