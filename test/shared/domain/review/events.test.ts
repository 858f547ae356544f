import assert from 'node:assert/strict';
import type { z } from 'zod';
import { EVENTS, LAB_EVENT_TYPES, type LabEventType } from '../../../../shared/domain/review/events';
import { record } from '../../../../shared/domain/review/record';
import { iso } from '../../../../shared/domain/time';
import { day, received } from './cases';

const payloadOf = (type: LabEventType): z.ZodType => (EVENTS[type] as { payload: z.ZodType }).payload;

const at = (n: number): string => iso(day(n));
const deadlines = {
  windowEnd: at(90),
  nationalSecurityReview: at(45),
  civilianReview: at(75),
  determination: at(85),
};

/**
 * A payload of each lab event as a callback carries it, written from README "Lab status callbacks" (the
 * events table), in its order.
 */
const BODIES: Record<LabEventType, object> = {
  RECEIVED: {
    receivedAt: at(0),
    model: { name: 'Frontier-1', version: '1.0' },
    previousSubmissionId: 'sub-0',
  },
  DEFICIENT: {
    gaps: ['access', 'callbackUrl'],
    problems: ['no model access arrangement'],
    supplementDue: at(30),
  },
  SUPPLEMENTED: { fields: ['access'] },
  DESIGNATION_PENDING: {
    agency: 'NSA',
    dueAt: at(5),
    proposal: { covered: true, reason: 'at or above 1e26 FLOP' },
  },
  DESIGNATED: { agency: 'NSA', covered: true, reason: 'covered', source: 'AGENCY' },
  NOT_COVERED: { reason: 'below every threshold' },
  INSUFFICIENT_NOTICE: { reason: 'the planned release leaves less than the minimum notice' },
  ACCEPTED: {
    acceptedAt: at(0),
    policy: { id: 'draft-2026-90d', version: 1 },
    shortNotice: false,
    deadlines,
  },
  STAGE_OPENED: { stage: 'NATIONAL_SECURITY', dueAt: at(45) },
  STAGE_CLOSED: { stage: 'NATIONAL_SECURITY', lateByMs: 3_600_000, deadlines },
  INFORMATION_REQUESTED: {
    requestId: 'NSA-1',
    agency: 'NSA',
    questions: ['Which red-team results are withheld?'],
    answerDueAt: at(10),
    tolledDeadline: 'agency:NATIONAL_SECURITY:NSA',
  },
  INFORMATION_ANSWERED: {
    requestId: 'NSA-1',
    agency: 'NSA',
    resumedDeadline: 'agency:NATIONAL_SECURITY:NSA',
    newDueAt: at(48),
  },
  INFORMATION_OVERDUE: { requestId: 'NSA-1', agency: 'NSA' },
  CLOCK_EXTENDED: { agency: 'CAISI', stage: 'CIVILIAN', days: 10, newDueAt: at(85) },
  WINDOW_AT_RISK: { offerId: 'offer-1', windowEnd: at(90), proposedWindowEnd: at(100) },
  WINDOW_EXTENDED: { offerId: 'offer-1', accepted: true, windowEnd: at(100) },
  EXTENSION_DECLINED: { offerId: 'offer-1', accepted: false, windowEnd: at(90) },
  CLOCK_TOLLED: { reason: 'FUNDING_LAPSE', lapseId: 'lapse-2027' },
  CLOCK_RESUMED: { reason: 'TOLL_CAP', requestId: 'NSA-1', agency: 'NSA', newDueAt: at(50) },
  CLOSURE_DECLARED: { closureId: 'snow-day', dates: ['2027-03-02'], deadlines },
  DEADLINE_MOVED: {
    requestId: 'NSA-1',
    agency: 'NSA',
    dueAt: at(4),
    previousDueAt: at(3),
    reason: 'CLOSURE',
    closureId: 'snow-day',
  },
  RELEASE_DATE_AMENDED: { plannedReleaseDate: at(120), shortNotice: false, deadlines },
  ESCALATED: {},
  DETERMINATION_ISSUED: {
    outcome: 'PROCEED_WITH_COMMITMENTS',
    rationale: 'Mitigated with one commitment.',
    commitments: ['Keep the refusal layer on'],
    agencySummaries: [{ agency: 'NSA', kind: 'CONCERNS_MITIGATED', summary: 'Mitigated.' }],
  },
  WINDOW_ENDED: { releaseEligible: true, outcome: 'NO_CONCERNS_IDENTIFIED' },
  WITHDRAWN: { reason: 'retraining' },
  RELEASE_REPORTED: { releasedAt: at(91), early: false },
  CALLBACK_ENDPOINT_CHANGED: { callbackUrl: 'https://elsewhere.example/hook' },
  CLOSED: { reason: 'WINDOW_ENDED', outcome: 'NO_CONCERNS_IDENTIFIED' },
};

/** Malformed payloads, each wrong in one field, with that field's path. */
const MALFORMED: [LabEventType, object, (string | number)[]][] = [
  ['RECEIVED', { ...BODIES.RECEIVED, receivedAt: 'yesterday' }, ['receivedAt']],
  [
    'ACCEPTED',
    { ...BODIES.ACCEPTED, deadlines: { ...deadlines, windowEnd: undefined } },
    ['deadlines', 'windowEnd'],
  ],
  ['STAGE_CLOSED', { ...BODIES.STAGE_CLOSED, lateByMs: 0 }, ['lateByMs']],
  ['DEFICIENT', { ...BODIES.DEFICIENT, gaps: ['model.name'] }, ['gaps', 0]],
  ['CLOCK_EXTENDED', { ...BODIES.CLOCK_EXTENDED, days: 1.5 }, ['days']],
  ['CLOCK_RESUMED', { ...BODIES.CLOCK_RESUMED, reason: 'HOLIDAY' }, ['reason']],
  ['CLOSURE_DECLARED', { ...BODIES.CLOSURE_DECLARED, dates: ['2027-3-2'] }, ['dates', 0]],
  ['DEADLINE_MOVED', { ...BODIES.DEADLINE_MOVED, dueAt: undefined }, ['dueAt']],
  [
    'DETERMINATION_ISSUED',
    { ...BODIES.DETERMINATION_ISSUED, agencySummaries: [{ agency: 'NSA', kind: 'MAYBE', summary: 'x' }] },
    ['agencySummaries', 0, 'kind'],
  ],
  ['WINDOW_ENDED', { releaseEligible: false }, ['releaseEligible']],
  ['CLOSED', {}, ['reason']],
];

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

  it('declares the lab events the README lists, in its order', () => {
    assert.deepEqual(LAB_EVENT_TYPES, Object.keys(BODIES));
  });

  for (const [type, body] of Object.entries(BODIES) as [LabEventType, object][]) {
    it(`accepts a representative ${type} payload as it is`, () => {
      assert.deepEqual(payloadOf(type).parse(body), body);
    });
  }

  it('refuses a malformed payload, naming the field', () => {
    for (const [type, body, path] of MALFORMED) {
      const result = payloadOf(type).safeParse(body);
      assert.equal(result.success, false, `${type} accepted ${JSON.stringify(body)}`);
      // Every issue names that one field (a date may break more than one of its rules).
      const paths = new Set(result.error.issues.map((i) => JSON.stringify(i.path)));
      assert.deepEqual([...paths], [JSON.stringify(path)], type);
    }
  });
});
