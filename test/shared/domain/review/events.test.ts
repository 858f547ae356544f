import assert from 'node:assert/strict';
import { EVENTS, LAB_EVENT_TYPES } from '../../../../shared/domain/review/events';
import { record } from '../../../../shared/domain/review/record';
import { iso } from '../../../../shared/domain/time';
import { day, received } from './cases';

describe('the event declaration and record()', () => {
  it('gives every lab event a payload schema and every other event none', () => {
    for (const [type, spec] of Object.entries(EVENTS)) {
      assert.equal('payload' in spec, spec.audience === 'lab', type);
    }
    assert.ok(LAB_EVENT_TYPES.includes('CALLBACK_ENDPOINT_CHANGED'));
    assert.ok(!(LAB_EVENT_TYPES as string[]).includes('DECISION_RECORDED'));
  });

  it('numbers the lab events of a case from 1 without gaps, and keeps government events off them', () => {
    const c = received();
    record(c, day(1), 'agency:NSA', 'DECISION_RECORDED', 'NSA recorded NO_CONCERNS');
    const r = record(c, day(2), 'system', 'ESCALATED', 'escalated to the chair: NSA unresolved', {});
    assert.deepEqual(r, { seq: 3, at: iso(day(2)) });
    assert.deepEqual(
      c.labEvents.map((e) => [e.id, e.sequence, e.type]),
      [
        ['sub-1:1', 1, 'RECEIVED'],
        ['sub-1:2', 2, 'ESCALATED'],
      ],
    );
    assert.deepEqual(c.timeline.at(-1), {
      seq: 3,
      at: iso(day(2)),
      actor: 'system',
      type: 'ESCALATED',
      summary: 'escalated to the chair: NSA unresolved',
      labSummary: 'escalated to the review chair',
    });
  });

  it('writes lab event payloads that their declared schemas accept', () => {
    const c = received();
    record(c, day(1), 'lab:acme', 'WITHDRAWN', 'withdrawn', { reason: 'x' });
    for (const e of c.labEvents) EVENTS[e.type].payload.parse(e.payload);
  });
});
