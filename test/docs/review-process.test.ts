import assert from 'node:assert/strict';
import { POLICY_PRESETS, type Policy } from '../../shared/domain/policy-presets';
import { advance } from '../../shared/domain/review/advance';
import { due, key } from '../../shared/domain/review/clock';
import { accept, openCase } from '../../shared/domain/review/intake';
import { MESSAGES, type Message } from '../../shared/domain/review/messages';
import { CURRENT_RULES } from '../../shared/domain/review/rules';
import type { CaseState } from '../../shared/domain/review/state';
import { Submission } from '../../shared/domain/submission';
import { readDoc, tableUnder } from './guides';

/**
 * Issue 41: the review process's worked examples are on real dates, and every date in them is the one the
 * product computes. Each example is rebuilt here with the domain's own functions (a case accepted, then the
 * messages of the example sent as the workflow's validator and handler would apply them) and its table in
 * docs/review-process.md must read exactly as the product's dates, written in Washington time.
 */

const GUIDE = readDoc('docs/review-process.md');
const ZONE = 'America/New_York';

/** Day 0 of every example: NSA designates the model covered at 10:00 on Wednesday 2 September 2037. */
const ACCEPTED_AT = washington('2037-09-02', '10:00');

/** Washington's wall clock at an instant, as the UTC fields of a timestamp. */
function wallClock(at: Date): Date {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')));
}

/** An instant given as a Washington date and time (daylight saving as in force that day). */
function washington(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const once = wall - (wallClock(new Date(wall)).getTime() - wall);
  return new Date(wall - (wallClock(new Date(once)).getTime() - once));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An instant as the guide writes it: `Mon 19 Oct 2037 17:00`; midnight is the end (24:00) of the day before. */
function written(at: Date): string {
  const wall = wallClock(at);
  const midnight = wall.getUTCHours() === 0 && wall.getUTCMinutes() === 0;
  const day = new Date(wall.getTime() - (midnight ? 86_400_000 : 0));
  const time = midnight ? '24:00' : wall.toISOString().slice(11, 16);
  return `${WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()} ${time}`;
}

const newest = (id: string): Policy =>
  POLICY_PRESETS.filter((p) => p.id === id).reduce((a, b) => (b.version > a.version ? b : a));

/** A case the product accepts at day 0, filed with this planned release. */
function accepted(policy = newest('draft-2026-90d'), plannedRelease = '2038-09-01T00:00:00.000Z'): CaseState {
  const c = openCase(
    Submission.parse({
      submissionId: 'frontier-2-rc1',
      labId: 'acme',
      model: { name: 'Frontier-2', version: '2.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'gated endpoint' },
      callbackUrl: 'https://callbacks.example.com/frontier-review',
      plannedReleaseDate: plannedRelease,
    }),
    ACCEPTED_AT,
    CURRENT_RULES,
  );
  accept(c, policy, { covered: true, reason: 'designated covered by NSA' }, ACCEPTED_AT);
  return c;
}

/** A message as the workflow applies it: its validator's check, its handler, then what time did. */
function send(message: Message, c: CaseState, at: Date, payload: object): void {
  message.check(c, at, payload);
  message.apply(c, at, payload as never);
  advance(c, at);
}

const dueOf = (c: CaseState, k: string, at: Date): string => written(due(c, k, at));
const stageDue = (c: CaseState, at: Date) => ({
  ns: dueOf(c, key.stage('NATIONAL_SECURITY'), at),
  civ: dueOf(c, key.stage('CIVILIAN'), at),
  det: dueOf(c, key.determination, at),
  end: dueOf(c, key.window, at),
});
const offered = (c: CaseState): string => written(new Date(c.extensionOffers.at(-1)!.proposedWindowEnd));

describe('the review process’s worked examples', () => {
  it('give the deadlines of an acceptance on Wednesday 2 September 2037 under each preset', () => {
    const [d90, d30, d14] = ['draft-2026-90d', 'eo-2026-30d', 'industry-14d'].map((id) =>
      stageDue(accepted(newest(id)), ACCEPTED_AT),
    );
    assert.deepEqual(tableUnder(GUIDE, 'Acceptance on Wednesday 2 September 2037'), [
      ['deadline', 'draft-2026-90d', 'eo-2026-30d', 'industry-14d'],
      ['national-security review', d90.ns, d30.ns, d14.ns],
      ['civilian review', d90.civ, d30.civ, d14.civ],
      ['determination', d90.det, d30.det, d14.det],
      ['window end', d90.end, d30.end, d14.end],
    ]);
  });

  it('move only the asking agency’s deadline while the lab answers an information request', () => {
    const c = accepted();
    const asked = washington('2037-09-24', '18:30');
    const answered = washington('2037-09-27', '18:30');
    const nsa = key.agency('NATIONAL_SECURITY', 'NSA');
    const before = dueOf(c, nsa, asked);
    send(MESSAGES.requestInformation, c, asked, { actor: 'agency:NSA', questions: ['Which evals ran?'] });
    const request = c.informationRequests[0];
    const answerDue = written(new Date(request.dueAt));
    send(MESSAGES.answerInformationRequest, c, answered, {
      actor: 'lab:acme',
      requestId: request.id,
      answer: 'The full cyber suite.',
    });
    const others = [key.agency('NATIONAL_SECURITY', 'CISA'), key.agency('NATIONAL_SECURITY', 'DOW')];
    const unmoved = [...others, key.stage('NATIONAL_SECURITY')].map((k) => dueOf(c, k, answered));
    assert.deepEqual(new Set(unmoved).size, 1);
    assert.deepEqual(tableUnder(GUIDE, 'An information request'), [
      ['what', 'when (Washington)'],
      ['NSA asks the lab a question', written(asked)],
      ["the lab's answer is due", answerDue],
      ['the lab answers', written(answered)],
      [`NSA's deadline, which was ${before}`, dueOf(c, nsa, answered)],
      ["CISA's, DOW's and the stage's deadlines", unmoved[0]],
    ]);
  });

  it('extend one agency’s deadline, offer the lab a longer window, and determine when the last agency decides', () => {
    const c = accepted();
    const nsDone = washington('2037-10-01', '11:00');
    for (const agency of ['NSA', 'CISA', 'DOW']) {
      send(MESSAGES.recordDecision, c, nsDone, {
        actor: `agency:${agency}`,
        decision: { kind: 'NO_CONCERNS', summary: 'No concerns.' },
      });
    }
    const civDone = washington('2037-11-09', '10:00');
    for (const agency of ['DOE', 'TREASURY']) {
      send(MESSAGES.recordDecision, c, civDone, {
        actor: `agency:${agency}`,
        decision: { kind: 'NO_CONCERNS', summary: 'No concerns.' },
      });
    }
    const caisi = key.agency('CIVILIAN', 'CAISI');
    const extendedAt = washington('2037-11-10', '10:00');
    const before = dueOf(c, caisi, extendedAt);
    send(MESSAGES.requestExtension, c, extendedAt, {
      actor: 'agency:CAISI',
      days: 5,
      reason: 'a second pass',
    });
    const after = dueOf(c, caisi, extendedAt);
    const others = [key.agency('CIVILIAN', 'DOE'), key.agency('CIVILIAN', 'TREASURY'), key.stage('CIVILIAN')];
    const unmoved = others.map((k) => dueOf(c, k, extendedAt));
    assert.equal(new Set(unmoved).size, 1);
    const window = offered(c);
    const decidedAt = washington('2037-11-23', '12:00');
    send(MESSAGES.recordDecision, c, decidedAt, {
      actor: 'agency:CAISI',
      decision: { kind: 'NO_CONCERNS', summary: 'No concerns.' },
    });
    const issued = c.timeline.find((e) => e.type === 'DETERMINATION_ISSUED')!;
    assert.deepEqual(tableUnder(GUIDE, 'An extension'), [
      ['what', 'when (Washington)'],
      ['CAISI extends its deadline by 5 days', written(extendedAt)],
      [`CAISI's deadline, which was ${before}`, after],
      ["DOE's, Treasury's and the stage's deadlines", unmoved[0]],
      ['the window the lab is offered ends', window],
      ['CAISI decides; the determination is issued', written(new Date(issued.at))],
    ]);
  });

  it('move every government deadline by a funding lapse of eight days, and not the window', () => {
    const c = accepted();
    const from = washington('2037-09-04', '10:00');
    const to = washington('2037-09-12', '10:00');
    const before = stageDue(c, from);
    send(MESSAGES.tollClocks, c, from, {
      actor: 'ops',
      lapseId: 'fy38-lapse',
      reason: 'appropriations lapse',
    });
    send(MESSAGES.resumeClocks, c, to, { actor: 'ops', lapseId: 'fy38-lapse' });
    const after = stageDue(c, to);
    assert.deepEqual(tableUnder(GUIDE, 'A funding lapse of eight days'), [
      ['deadline', 'before the lapse', 'after the lapse'],
      ['national-security review', before.ns, after.ns],
      ['civilian review', before.civ, after.civ],
      ['determination', before.det, after.det],
      ['window end', before.end, after.end],
      ['the window the lab is offered ends', '-', offered(c)],
    ]);
  });

  it('compress every government deadline into the time left before a release planned early', () => {
    const c = accepted(newest('draft-2026-90d'), washington('2037-10-17', '00:00').toISOString());
    assert.equal(c.shortNotice, true);
    const d = stageDue(c, ACCEPTED_AT);
    assert.deepEqual(tableUnder(GUIDE, 'A release planned early'), [
      ['deadline', 'due'],
      ['national-security review', d.ns],
      ['civilian review', d.civ],
      ['determination', d.det],
      ['window end', d.end],
    ]);
  });
});
