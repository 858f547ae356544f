import assert from 'node:assert/strict';
import { due } from '../../../../shared/domain/review/clock';
import { MESSAGES } from '../../../../shared/domain/review/messages';
import { iso } from '../../../../shared/domain/time';
import { labPrincipal } from '../../../../shared/domain/principal';
import { accepted, acceptedUnderRules2, day, nationalSecurityDone, received, refuses, send } from './cases';

const M = MESSAGES;

describe('chair messages', () => {
  describe('resolveEscalation', () => {
    const resolution = {
      actor: 'chair',
      outcome: 'PROCEED_WITH_COMMITMENTS',
      rationale: 'agreed',
      commitments: ['c1'],
    };

    it('is refused for a case that is not escalated, as NOT_ESCALATED', () => {
      refuses(M.resolveEscalation, accepted(), day(1), resolution, 'NOT_ESCALATED');
    });

    it('issues the chair’s determination on an escalated case', () => {
      const c = accepted();
      send(M.recordDecision, c, day(1), {
        actor: 'agency:NSA',
        decision: { kind: 'CONCERNS_UNRESOLVED', summary: 'no' },
      });
      for (const a of ['CISA', 'DOW']) {
        send(M.recordDecision, c, day(1), {
          actor: `agency:${a}`,
          decision: { kind: 'NO_CONCERNS', summary: 'ok' },
        });
      }
      for (const a of ['CAISI', 'DOE', 'TREASURY']) {
        send(M.recordDecision, c, day(2), {
          actor: `agency:${a}`,
          decision: { kind: 'NO_CONCERNS', summary: 'ok' },
        });
      }
      assert.equal(c.escalation?.unresolvedAgencies[0], 'NSA');
      send(M.resolveEscalation, c, day(3), resolution);
      assert.deepEqual(
        [c.determination?.outcome, c.determination?.by, c.determination?.commitments, c.stage],
        ['PROCEED_WITH_COMMITMENTS', 'CHAIR', ['c1'], 'PRE_RELEASE'],
      );
      assert.equal(c.escalation?.resolvedAt, iso(day(3)));
      refuses(M.resolveEscalation, c, day(4), resolution, 'NOT_ESCALATED');
    });
  });
});

describe('operations messages', () => {
  describe('tollClocks and resumeClocks', () => {
    it('refuses to toll a case not yet accepted, as NOT_ACCEPTED', () => {
      refuses(M.tollClocks, received(), day(0), { actor: 'ops', lapseId: 'l1', reason: 'x' }, 'NOT_ACCEPTED');
    });

    it('refuses a second lapse while one is active, or a lapse id used before, as FUNDING_LAPSE_ACTIVE', () => {
      const c = accepted();
      send(M.tollClocks, c, day(1), { actor: 'ops', lapseId: 'l1', reason: 'x' });
      refuses(M.tollClocks, c, day(2), { actor: 'ops', lapseId: 'l2', reason: 'x' }, 'FUNDING_LAPSE_ACTIVE');
      send(M.resumeClocks, c, day(3), { actor: 'ops', lapseId: 'l1' });
      refuses(M.tollClocks, c, day(4), { actor: 'ops', lapseId: 'l1', reason: 'x' }, 'FUNDING_LAPSE_ACTIVE');
    });

    it('refuses to resume a lapse that is not active, as FUNDING_LAPSE_NOT_ACTIVE', () => {
      refuses(
        M.resumeClocks,
        accepted(),
        day(1),
        { actor: 'ops', lapseId: 'l1' },
        'FUNDING_LAPSE_NOT_ACTIVE',
      );
    });

    it('moves every open government deadline by the lapse and leaves the window alone', () => {
      const c = accepted();
      send(M.tollClocks, c, day(10), { actor: 'ops', lapseId: 'l1', reason: 'appropriations' });
      send(M.resumeClocks, c, day(18), { actor: 'ops', lapseId: 'l1' });
      assert.deepEqual(c.fundingLapses, [
        { id: 'l1', reason: 'appropriations', from: iso(day(10)), to: iso(day(18)) },
      ]);
      for (const k of ['stage:NATIONAL_SECURITY', 'agency:CIVILIAN:DOE', 'determination']) {
        assert.equal(c.deadlines[k].tolls.length, 1, k);
      }
      assert.equal(c.deadlines.window.tolls.length, 0);
      // The lab's timeline says a lapse tolled the clocks, not operations' free text.
      const tolled = c.timeline.find((e) => e.type === 'CLOCK_TOLLED')!;
      assert.equal(tolled.labSummary, 'government clocks tolled by a funding lapse');
    });

    it('tolls the civilian deadlines too when the lapse starts during the national-security stage', () => {
      const c = accepted();
      send(M.tollClocks, c, day(1), { actor: 'ops', lapseId: 'l1', reason: 'x' });
      nationalSecurityDone(c, M.recordDecision, day(2));
      assert.equal(c.deadlines['agency:CIVILIAN:CAISI'].tolls[0].id, 'l1');
    });
  });

  describe('declareClosure', () => {
    // Day 45 of a case accepted on Monday 2027-03-01 is Thursday 2027-04-15: the national-security deadline.
    const closure = { actor: 'ops', closureId: 'eo-1', dates: ['2027-04-15'], reason: 'executive order' };

    it('refuses a case not yet accepted, as NOT_ACCEPTED', () => {
      refuses(M.declareClosure, received(), day(0), closure, 'NOT_ACCEPTED');
    });

    it('refuses a case of rules 1, which has no closures, as RULES_TOO_OLD', () => {
      refuses(M.declareClosure, accepted(), day(1), closure, 'RULES_TOO_OLD');
    });

    it('moves a deadline that falls on the closure to the next business day, once per closure id', () => {
      const c = acceptedUnderRules2();
      const nsDue = () => due(c, 'stage:NATIONAL_SECURITY', day(1)).toISOString();
      assert.equal(nsDue(), '2027-04-15T21:00:00.000Z', '17:00 EDT on day 45');
      send(M.declareClosure, c, day(1), closure);
      assert.equal(nsDue(), '2027-04-16T21:00:00.000Z', '17:00 EDT on Friday, the next business day');
      const declared = c.timeline.at(-1)!;
      assert.equal(declared.type, 'CLOSURE_DECLARED');
      assert.deepEqual(
        c.closures?.map((x) => [x.id, x.dates]),
        [['eo-1', ['2027-04-15']]],
      );
      refuses(M.declareClosure, c, day(2), { ...closure, dates: ['2027-04-16'] }, 'CLOSURE_ALREADY_DECLARED');
    });
  });

  describe('redeliverCallbacks', () => {
    it('is refused when nothing is failing and no event is named, as NOTHING_TO_REDELIVER', () => {
      refuses(M.redeliverCallbacks, accepted(), day(1), { actor: 'ops' }, 'NOTHING_TO_REDELIVER');
    });

    it('is refused for an event the case never had, as CALLBACK_EVENT_NOT_FOUND', () => {
      refuses(
        M.redeliverCallbacks,
        accepted(),
        day(1),
        { actor: 'ops', eventId: 'sub-1:99' },
        'CALLBACK_EVENT_NOT_FOUND',
      );
    });

    it('is refused for an event not yet attempted, as NOTHING_TO_REDELIVER', () => {
      refuses(
        M.redeliverCallbacks,
        accepted(),
        day(1),
        { actor: 'ops', eventId: 'sub-1:1' },
        'NOTHING_TO_REDELIVER',
      );
    });

    it('unblocks a failing event, or queues a delivered one to be sent again', () => {
      const c = accepted();
      c.callbacks.cursor = 2;
      c.callbacks.blockedOn = 'sub-1:3';
      send(M.redeliverCallbacks, c, day(1), { actor: 'ops', eventId: 'sub-1:1' });
      assert.deepEqual(c.callbacks.redeliver, ['sub-1:1']);
      send(M.redeliverCallbacks, c, day(1), { actor: 'ops' });
      assert.equal(c.callbacks.blockedOn, undefined);
      assert.equal(c.timeline.at(-1)?.type, 'CALLBACKS_REDELIVERED');
    });

    it('queues a delivered event once: named again while it waits, it is NOTHING_TO_REDELIVER', () => {
      const c = accepted();
      c.callbacks.cursor = 2;
      c.callbacks.blockedOn = 'sub-1:3';
      send(M.redeliverCallbacks, c, day(1), { actor: 'ops', eventId: 'sub-1:1' });
      refuses(M.redeliverCallbacks, c, day(1), { actor: 'ops', eventId: 'sub-1:1' }, 'NOTHING_TO_REDELIVER');
      assert.deepEqual(c.callbacks.redeliver, ['sub-1:1']);
    });

    it("is sent by operations staff or the case's own lab (issue 38), never another lab or an agency", () => {
      const c = accepted();
      c.callbacks.cursor = 2;
      send(M.redeliverCallbacks, c, day(1), { actor: labPrincipal(c.submission.labId), eventId: 'sub-1:1' });
      assert.deepEqual(c.callbacks.redeliver, ['sub-1:1']);
      for (const actor of ['lab:another', 'agency:NSA', 'chair']) {
        refuses(M.redeliverCallbacks, c, day(1), { actor, eventId: 'sub-1:2' }, 'NOT_ENTITLED');
      }
    });
  });
});
