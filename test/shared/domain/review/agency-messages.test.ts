import assert from 'node:assert/strict';
import { MESSAGES } from '../../../../shared/domain/review/messages';
import { sealNote } from '../../../../shared/node/note-seal';
import { TEST_NOTE_RING } from '../../../helpers/sealing';
import { iso } from '../../../../shared/domain/time';
import { accepted, day, nationalSecurityDone, received, refuses, send } from './cases';

const M = MESSAGES;
const NSA = 'agency:NSA';
const noConcerns = { kind: 'NO_CONCERNS', summary: 'fine' };

describe('agency messages', () => {
  describe('recordDecision', () => {
    it('is refused before acceptance, as NOT_ACCEPTED', () => {
      refuses(M.recordDecision, received(), day(0), { actor: NSA, decision: noConcerns }, 'NOT_ACCEPTED');
    });

    it("is refused for an agency on none of the case's rosters, as NOT_ENTITLED", () => {
      refuses(
        M.recordDecision,
        accepted(),
        day(1),
        { actor: 'agency:FBI', decision: noConcerns },
        'NOT_ENTITLED',
      );
    });

    it('is refused for a civilian agency during the national-security stage, as WRONG_STAGE', () => {
      refuses(
        M.recordDecision,
        accepted(),
        day(1),
        { actor: 'agency:CAISI', decision: noConcerns },
        'WRONG_STAGE',
      );
    });

    it('refuses a second decision and keeps the first, as ALREADY_DECIDED', () => {
      const c = accepted();
      send(M.recordDecision, c, day(1), {
        actor: NSA,
        decision: { kind: 'CONCERNS_UNRESOLVED', summary: 'no' },
      });
      refuses(M.recordDecision, c, day(2), { actor: NSA, decision: noConcerns }, 'ALREADY_DECIDED');
      assert.equal(c.agencies[0].decision?.kind, 'CONCERNS_UNRESOLVED');
    });

    it("is refused once the agency's deadline passed without a response, as DEADLINE_PASSED", () => {
      const c = accepted();
      send(M.recordDecision, c, day(1), { actor: 'agency:CISA', decision: noConcerns });
      send(M.recordDecision, c, day(1), { actor: 'agency:DOW', decision: noConcerns });
      refuses(M.recordDecision, c, day(46), { actor: NSA, decision: noConcerns }, 'DEADLINE_PASSED');
    });

    it('records the decision, meets the deadline and closes the open information request', () => {
      const c = accepted();
      send(M.requestInformation, c, day(1), { actor: NSA, questions: ['q'] });
      const sealed = sealNote(TEST_NOTE_RING, 'secret', {
        record: 'review-x',
        field: 'decision.restrictedNote:NSA',
      });
      send(M.recordDecision, c, day(2), { actor: NSA, decision: { ...noConcerns, restrictedNote: sealed } });
      assert.deepEqual(c.agencies[0].decision, {
        kind: 'NO_CONCERNS',
        summary: 'fine',
        restrictedNote: sealed,
        commitments: [],
        recordedAt: iso(day(2)),
        recordedBy: NSA,
      });
      assert.equal(c.deadlines['agency:NATIONAL_SECURITY:NSA'].metAt, iso(day(2)));
      assert.equal(c.informationRequests[0].status, 'CLOSED_BY_DECISION');
      assert.equal(c.timeline.at(-1)?.type, 'DECISION_RECORDED');
      assert.ok(
        !c.labEvents.some((e) => e.type.startsWith('DECISION')),
        'the lab is not told of a single decision',
      );
    });
    it('refuses a restricted note that the gateway did not seal, as VALIDATION_FAILED', () => {
      refuses(
        M.recordDecision,
        accepted(),
        day(1),
        { actor: NSA, decision: { ...noConcerns, restrictedNote: 'plain' } },
        'VALIDATION_FAILED',
      );
    });
  });

  describe('requestInformation', () => {
    it('is refused while the agency has an open request, as INFORMATION_REQUEST_OPEN', () => {
      const c = accepted();
      send(M.requestInformation, c, day(1), { actor: NSA, questions: ['q'] });
      refuses(
        M.requestInformation,
        c,
        day(2),
        { actor: NSA, questions: ['again'] },
        'INFORMATION_REQUEST_OPEN',
      );
    });

    it("tolls only the asking agency's deadline and gives the lab 3 business days", () => {
      const c = accepted();
      send(M.requestInformation, c, day(1), { actor: NSA, questions: ['q'] });
      const [r] = c.informationRequests;
      // Day 1 is a Tuesday: three business days later is Friday.
      assert.deepEqual([r.id, r.status, r.dueAt], ['NSA-1', 'OPEN', iso(day(4))]);
      assert.equal(c.deadlines['agency:NATIONAL_SECURITY:NSA'].tolls.length, 1);
      assert.equal(c.deadlines['agency:NATIONAL_SECURITY:CISA'].tolls.length, 0);
    });
  });

  describe('requestExtension', () => {
    it('is refused for more days than the policy allows, as EXTENSION_TOO_LONG', () => {
      refuses(
        M.requestExtension,
        accepted(),
        day(1),
        { actor: NSA, days: 11, reason: 'x' },
        'EXTENSION_TOO_LONG',
      );
    });

    it('is refused the second time, as EXTENSION_ALREADY_USED', () => {
      const c = accepted();
      send(M.requestExtension, c, day(1), { actor: NSA, days: 5, reason: 'x' });
      refuses(M.requestExtension, c, day(2), { actor: NSA, days: 1, reason: 'y' }, 'EXTENSION_ALREADY_USED');
    });

    it("moves only the agency's own deadline, and tells the lab without the reason", () => {
      const c = accepted();
      send(M.requestExtension, c, day(1), { actor: NSA, days: 5, reason: 'red team needs time' });
      assert.deepEqual(c.deadlines['agency:NATIONAL_SECURITY:NSA'].extensions, [
        { id: 'NSA-ext-1', who: NSA, days: 5, at: iso(day(1)) },
      ]);
      assert.equal(c.deadlines['stage:NATIONAL_SECURITY'].extensions.length, 0);
      const entry = c.timeline.at(-1)!;
      assert.match(entry.summary, /red team/);
      assert.equal(entry.labSummary, 'NSA extended its NATIONAL_SECURITY deadline by 5 day(s)');
    });

    it('is open to civilian agencies once their stage opens', () => {
      const c = accepted();
      nationalSecurityDone(c, M.recordDecision, day(2));
      send(M.requestExtension, c, day(3), { actor: 'agency:DOE', days: 2, reason: 'x' });
      assert.equal(c.agencies.find((a) => a.agency === 'DOE')?.extensionsUsed, 1);
    });
  });

  it('refuses the 11th information request from one agency, as MESSAGE_BUDGET_EXHAUSTED', () => {
    const c = accepted();
    for (let i = 1; i <= 10; i++) {
      send(M.requestInformation, c, day(1), { actor: NSA, questions: [`q${i}`] });
      send(M.answerInformationRequest, c, day(1), { actor: 'lab:acme', requestId: `NSA-${i}`, answer: 'a' });
    }
    refuses(
      M.requestInformation,
      c,
      day(2),
      { actor: NSA, questions: ['one more'] },
      'MESSAGE_BUDGET_EXHAUSTED',
    );
  });
});
