import assert from 'node:assert/strict';
import { ERRORS, type ErrorCode } from '../../../../shared/domain/errors';
import type { Role } from '../../../../shared/domain/principal';
import { close } from '../../../../shared/domain/review/closing';
import { MESSAGES, type Message, type MessageName } from '../../../../shared/domain/review/messages';
import { accepted, day, LAB, refuses } from './cases';

const table = Object.entries(MESSAGES) as [MessageName, Message][];

/**
 * Who sends each message, written out from README ("HTTP API", the who column; "Early access": CISA nominates)
 * and domain.md section 2, not read from the table under test. Every other role is refused.
 */
const SENDERS: Record<MessageName, readonly Role[]> = {
  supplement: ['lab'],
  answerInformationRequest: ['lab'],
  amendReleaseDate: ['lab'],
  respondToExtensionOffer: ['lab'],
  withdraw: ['lab'],
  reportRelease: ['lab'],
  changeCallbackEndpoint: ['lab'],
  designateCoverage: ['agency'],
  recordDecision: ['agency'],
  requestInformation: ['agency'],
  requestExtension: ['agency'],
  nominateOperator: ['agency'],
  resolveEscalation: ['chair'],
  tollClocks: ['ops'],
  resumeClocks: ['ops'],
  declareClosure: ['ops'],
  redeliverCallbacks: ['ops', 'lab'],
};
const ROLES: readonly Role[] = ['lab', 'agency', 'operator', 'chair', 'ops'];

/**
 * The messages a closed case still takes while its last callbacks are delivered (README "Lab status callbacks":
 * a closed case waits for them), and what each answers to its minimal payload then: accepted, or refused by its
 * own rule.
 */
const AFTER_CLOSING: Partial<Record<MessageName, ErrorCode | 'ACCEPTED'>> = {
  changeCallbackEndpoint: 'ACCEPTED',
  // Nothing is failing on this case, so there is nothing to redeliver: its own rule, not CASE_CLOSED.
  redeliverCallbacks: 'NOTHING_TO_REDELIVER',
};

/** A principal of each role, for the table-wide checks. */
const ANY_OF: Record<Role, string> = {
  lab: LAB,
  agency: 'agency:NSA',
  operator: 'operator:grid-east',
  chair: 'chair',
  ops: 'ops',
};

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

  it('lets each message be sent by the roles the README names, and no other', () => {
    assert.deepEqual(Object.fromEntries(table.map(([name, m]) => [name, m.senders])), SENDERS);
  });

  it('takes on a closed case only the messages of its last callbacks', () => {
    assert.deepEqual(
      table.filter(([, m]) => m.whileClosed).map(([name]) => name),
      Object.keys(AFTER_CLOSING),
    );
  });

  for (const [name, m] of table) {
    const sender = ANY_OF[SENDERS[name][0]];
    const strangers = ROLES.filter((r) => !SENDERS[name].includes(r));

    describe(name, () => {
      it('refuses a payload with a field it does not know, as VALIDATION_FAILED', () => {
        refuses(m, accepted(), day(1), { actor: sender, unexpected: true }, 'VALIDATION_FAILED');
      });

      it(`refuses a principal of each role that does not send it (${strangers.join(', ')}), as NOT_ENTITLED`, () => {
        for (const role of strangers) {
          refuses(m, accepted(), day(1), { ...minimal(name), actor: ANY_OF[role] }, 'NOT_ENTITLED');
        }
      });

      if (SENDERS[name].includes('lab')) {
        it('refuses a lab other than the one that filed, as NOT_ENTITLED', () => {
          refuses(m, accepted(), day(1), { ...minimal(name), actor: 'lab:another-lab' }, 'NOT_ENTITLED');
        });
      }

      const afterClosing = AFTER_CLOSING[name];
      if (afterClosing === undefined) {
        it('refuses a closed case, as CASE_CLOSED', () => {
          const c = accepted();
          close(c, 'WITHDRAWN', day(1));
          refuses(m, c, day(2), minimal(name), 'CASE_CLOSED');
        });
      } else if (afterClosing === 'ACCEPTED') {
        it('is accepted on a closed case', () => {
          const c = accepted();
          close(c, 'WITHDRAWN', day(1));
          assert.doesNotThrow(() => m.check(c, day(2), minimal(name)));
        });
      } else {
        it(`is taken on a closed case, and refused there only by its own rule (${afterClosing})`, () => {
          const c = accepted();
          close(c, 'WITHDRAWN', day(1));
          refuses(m, c, day(2), minimal(name), afterClosing);
        });
      }
    });
  }
});

/** A payload each message's schema accepts, from its sender. */
function minimal(name: MessageName): object {
  const bodies: Record<MessageName, object> = {
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
  return { actor: ANY_OF[SENDERS[name][0]], ...bodies[name] };
}
