import assert from 'node:assert/strict';
import { ERRORS } from '../../../../shared/domain/errors';
import { close } from '../../../../shared/domain/review/closing';
import { MESSAGES, type Message } from '../../../../shared/domain/review/messages';
import { accepted, day, LAB, refuses } from './cases';

const table = Object.entries(MESSAGES) as [string, Message][];
/** A principal of each role, for the table-wide checks. */
const ANY_OF = {
  lab: LAB,
  agency: 'agency:NSA',
  operator: 'operator:grid-east',
  chair: 'chair',
  ops: 'ops',
} as const;

describe('the message table', () => {
  it('names each entry by its update, once', () => {
    for (const [key, m] of table) {
      assert.equal(m.name, key);
      assert.equal(m.update.name, key);
    }
    assert.equal(new Set(table.map(([, m]) => m.name)).size, table.length);
  });

  it('declares only codes of the error catalogue', () => {
    for (const [, m] of table) for (const code of m.rejects) assert.ok(code in ERRORS, `${m.name}: ${code}`);
  });

  for (const [name, m] of table) {
    describe(name, () => {
      it('refuses a payload with a field it does not know, as VALIDATION_FAILED', () => {
        refuses(
          m,
          accepted(),
          day(1),
          { actor: ANY_OF[m.senders[0]], unexpected: true },
          'VALIDATION_FAILED',
        );
      });

      it('refuses a principal of a role that does not send it, as NOT_ENTITLED', () => {
        const stranger = (['lab', 'agency', 'operator', 'chair', 'ops'] as const).find((r) => !m.senders.includes(r))!;
        refuses(m, accepted(), day(1), { ...minimal(m), actor: ANY_OF[stranger] }, 'NOT_ENTITLED');
      });

      it(m.whileClosed ? 'is accepted on a closed case' : 'refuses a closed case, as CASE_CLOSED', () => {
        const c = accepted();
        close(c, 'WITHDRAWN', day(1));
        if (!m.whileClosed) return refuses(m, c, day(2), minimal(m), 'CASE_CLOSED');
        // Its own rules may still refuse the minimal payload, but never because the case is closed.
        assert.doesNotThrow(() => {
          try {
            m.check(c, day(2), minimal(m));
          } catch (err) {
            if ((err as { type?: string }).type === 'CASE_CLOSED') throw err;
          }
        }, 'refused as CASE_CLOSED');
      });
    });
  }
});

/** A payload each message's schema accepts, from its sender. */
function minimal(m: Message): object {
  const bodies: Record<string, object> = {
    supplement: { fields: { access: { kind: 'API', details: 'x' } } },
    designateCoverage: { covered: true, reason: 'x' },
    nominateOperator: { operatorId: 'grid-east', reason: 'x' },
    answerInformationRequest: { requestId: 'NSA-1', answer: 'x' },
    amendReleaseDate: { plannedReleaseDate: day(30).toISOString() },
    respondToExtensionOffer: { offerId: 'offer-1', accept: true },
    withdraw: {},
    reportRelease: {},
    changeCallbackEndpoint: { callbackUrl: 'https://elsewhere.example/hook' },
    recordDecision: { decision: { kind: 'NO_CONCERNS', summary: 'x' } },
    requestInformation: { questions: ['q'] },
    requestExtension: { days: 1, reason: 'x' },
    resolveEscalation: { outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'x' },
    tollClocks: { lapseId: 'l', reason: 'x' },
    resumeClocks: { lapseId: 'l' },
    declareClosure: { closureId: 'c', dates: ['2027-03-02'], reason: 'x' },
    redeliverCallbacks: {},
  };
  return { actor: ANY_OF[m.senders[0]], ...bodies[m.name] };
}
