import assert from 'node:assert/strict';
import type * as Fastify from 'fastify';
import { ACTS, actsFor, fieldOfPath } from '../../workbench/acts';
import { businessDaysLeft, timeLeft, washington } from '../../workbench/format';
import {
  fieldsOf,
  routeOf,
  washingtonInstant,
  washingtonLocal,
  type AnyCase,
} from '../../workbench/form-values';
import { newSessionToken, WorkbenchSessions } from '../../workbench/sessions';

/** Issue 37: the workbench's pure parts, without a browser. */
describe('workbench: Washington time, acts as forms, sessions (issue 37)', () => {
  describe('times as the people who decide read them', () => {
    it('writes a deadline in Washington time with its zone, across daylight saving', () => {
      assert.equal(washington('2026-12-01T22:00:00Z'), 'Tue 1 Dec 2026, 5:00 p.m. ET');
      assert.equal(washington('2026-07-01T21:00:00Z'), 'Wed 1 Jul 2026, 5:00 p.m. ET');
      assert.equal(washington('2026-12-07T05:30:00Z'), 'Mon 7 Dec 2026, 12:30 a.m. ET');
      assert.equal(washington(undefined), '—');
    });

    it('counts business days left on Washington’s calendar: weekends and federal holidays do not count', () => {
      // Wednesday 25 Nov 2026, 9 a.m. ET; Thanksgiving is Thursday 26 Nov.
      const wednesday = Date.parse('2026-11-25T14:00:00Z');
      assert.equal(businessDaysLeft(wednesday, '2026-11-27T22:00:00Z'), 1, 'Friday only');
      assert.equal(businessDaysLeft(wednesday, '2026-11-30T22:00:00Z'), 2, 'Friday and Monday');
      assert.equal(timeLeft(wednesday, '2026-11-25T22:00:00Z'), 'due today');
      assert.equal(timeLeft(wednesday, '2026-11-27T22:00:00Z'), '1 business day left');
      assert.equal(
        timeLeft(wednesday, '2026-11-24T22:00:00Z'),
        'overdue since Tue 24 Nov 2026, 5:00 p.m. ET',
      );
      // Monday 11 p.m. in Washington is already Tuesday in UTC: the date that counts is Washington's, so a
      // deadline on Tuesday at close of business is one business day away, not due today.
      assert.equal(businessDaysLeft(Date.parse('2026-12-08T04:00:00Z'), '2026-12-08T22:00:00Z'), 1);
    });
  });

  describe('acts as forms', () => {
    it('offers each role its own acts, and the designation to NSA alone', () => {
      assert.deepEqual(
        actsFor({ role: 'agency', id: 'NSA' }).map((a) => a.name),
        ['designateCoverage', 'recordDecision', 'requestInformation', 'requestExtension', 'nominateOperator'],
      );
      assert.ok(!actsFor({ role: 'agency', id: 'CAISI' }).some((a) => a.name === 'designateCoverage'));
      assert.deepEqual(
        actsFor({ role: 'chair' }).map((a) => a.name),
        ['resolveEscalation'],
      );
      assert.deepEqual(
        actsFor({ role: 'lab', id: 'acme' }).map((a) => a.name),
        [
          'supplement',
          'answerInformationRequest',
          'amendReleaseDate',
          'respondToExtensionOffer',
          'withdraw',
          'reportRelease',
          'changeCallbackEndpoint',
          'redeliverCallbacks',
        ],
      );
      assert.deepEqual(
        actsFor({ role: 'lab', id: 'acme' }, 'grant').map((a) => a.name),
        ['approveGrant', 'declineGrant', 'revokeGrant'],
      );
      assert.deepEqual(
        actsFor({ role: 'operator', id: 'grid' }, 'grant').map((a) => a.name),
        ['revokeGrant', 'reportGrantUse'],
      );
      assert.deepEqual(
        actsFor({ role: 'lab', id: 'acme' }, 'finding').map((a) => a.name),
        ['extendRemediation'],
      );
      assert.deepEqual(actsFor({ role: 'ops' }), []);
    });

    it('turns a form into the API’s body and checks it with the API’s own shape, refusals beside their field', () => {
      const act = ACTS.recordDecision;
      const body = act.body(
        {
          kind: 'CONCERNS_MITIGATED',
          summary: ' fine ',
          restrictedNote: '',
          commitments: 'one\r\n\r\n two ',
        },
        {},
      );
      assert.deepEqual(body, {
        decision: { kind: 'CONCERNS_MITIGATED', summary: 'fine', commitments: ['one', 'two'] },
      });
      assert.ok(act.schema().safeParse(body).success);
      const refused = act.schema().safeParse(act.body({ kind: 'CONCERNS_MITIGATED', summary: 'x' }, {}));
      assert.ok(!refused.success);
      assert.equal(fieldOfPath(act, refused.error.issues[0].path as string[]), 'commitments');
      // What is typed and is no number reaches the API as typed, so the refusal names the field.
      assert.deepEqual(ACTS.requestExtension.body({ days: 'three', reason: 'r' }, {}), {
        days: 'three',
        reason: 'r',
      });
      assert.equal(fieldOfPath(ACTS.requestExtension, ['days']), 'days');
      assert.equal(fieldOfPath(ACTS.requestExtension, ['nothing']), undefined);
    });

    it('projects the deadlines an act moves for the caller’s own principal only', () => {
      const now = Date.parse('2026-12-07T15:00:00Z');
      assert.deepEqual(
        ACTS.requestExtension.projection?.({ days: '3' }, { principal: 'agency:CAISI' }, now),
        {
          kind: 'EXTENSION',
          party: 'agency:CAISI',
          days: 3,
        },
      );
      assert.equal(
        ACTS.requestExtension.projection?.({ days: 'x' }, { principal: 'agency:CAISI' }, now),
        undefined,
      );
      const toll = ACTS.requestInformation.projection?.({}, { principal: 'agency:CAISI' }, now);
      assert.deepEqual(toll && toll.kind === 'TOLL' ? [toll.parties, toll.from, toll.to] : undefined, [
        ['agency:CAISI'],
        '2026-12-07T15:00:00.000Z',
        '2026-12-14T15:00:00.000Z',
      ]);
    });
  });

  describe('the lab’s acts as forms (issue 38)', () => {
    it('reads a Washington date and time as the instant it names, across daylight saving, and writes it back', () => {
      assert.equal(washingtonInstant('2027-01-15T17:00'), '2027-01-15T22:00:00.000Z');
      assert.equal(washingtonInstant('2027-07-15T17:00'), '2027-07-15T21:00:00.000Z');
      assert.equal(washingtonLocal('2027-07-15T21:00:00.000Z'), '2027-07-15T17:00');
      assert.equal(washingtonLocal('2027-01-16T04:30:00.000Z'), '2027-01-15T23:30');
      // Not a date and time: sent as typed, so the API refuses it beside the field.
      for (const typed of ['tomorrow', '2027-02-30T10:00', '2027-01-15T24:00', '2027-01-15'])
        assert.equal(washingtonInstant(typed), typed);
    });

    it('puts a field named in the path into the path, out of the body, and offers the case’s own choices', () => {
      const answer = ACTS.answerInformationRequest;
      assert.deepEqual(routeOf(answer, answer.body({ requestId: 'ir 1', answer: ' yes ' }, {})), {
        path: 'information-requests/ir%201/answer',
        body: { answer: 'yes' },
      });
      const open = (id: string, status: string) => ({
        id,
        agency: 'NSA',
        stage: 'NATIONAL_SECURITY',
        questions: ['q'],
        askedAt: '2027-01-04T15:00:00.000Z',
        dueAt: '2027-01-07T22:00:00.000Z',
        status,
      });
      const c = {
        informationRequests: [open('ir-1', 'OPEN'), open('ir-2', 'ANSWERED')],
      } as unknown as AnyCase;
      const [question] = fieldsOf(answer, c);
      assert.deepEqual(
        question.options?.map((o) => o.value),
        ['ir-1'],
        'only the open question is offered',
      );
    });

    it('shows what an earlier release date compresses, and projects nothing for a later one', () => {
      const c = { windowEnd: '2027-04-01T21:00:00.000Z' } as unknown as AnyCase;
      const amend = ACTS.amendReleaseDate;
      const now = Date.parse('2027-01-04T15:00:00Z');
      assert.deepEqual(
        amend.projection?.({ plannedReleaseDate: '2027-03-01T17:00' }, { principal: 'lab:a' }, now, c),
        {
          kind: 'RELEASE_DATE',
          oldEnd: '2027-04-01T21:00:00.000Z',
          newEnd: '2027-03-01T22:00:00.000Z',
        },
      );
      assert.equal(
        amend.projection?.({ plannedReleaseDate: '2027-05-01T17:00' }, { principal: 'lab:a' }, now, c),
        undefined,
      );
      assert.equal(
        amend.projection?.(
          { plannedReleaseDate: '2027-03-01T17:00' },
          { principal: 'lab:a' },
          now,
          undefined,
        ),
        undefined,
        'not accepted yet: no window to shorten',
      );
    });
  });

  describe('sessions on the server', () => {
    const person = {
      kind: 'PERSON' as const,
      issuer: 'https://idp.example',
      subject: 'r1',
      name: 'Reviewer',
    };
    const sessionOf = (token: string, principal?: string, signedInAt = 0) =>
      ({
        workbench: { person, principals: ['agency:NSA', 'chair'], principal, token, signedInAt },
      }) as unknown as Fastify.Session;
    const set = (s: WorkbenchSessions, id: string, session: Fastify.Session) =>
      new Promise<void>((resolve) => s.set(id, session, () => resolve()));
    const get = (s: WorkbenchSessions, id: string) =>
      new Promise<unknown>((resolve) => s.get(id, (_e, v) => resolve(v)));

    it('acts as the principal chosen, and as nothing before one is chosen or after the session ends', async () => {
      let now = 0;
      const sessions = new WorkbenchSessions({ idleMs: 1_000, absoluteMs: 10_000 }, () => now);
      const token = newSessionToken();
      await set(sessions, 's1', sessionOf(token));
      assert.equal(sessions.callerOf(token), undefined, 'no principal chosen yet');
      await set(sessions, 's1', sessionOf(token, 'chair'));
      assert.equal(sessions.callerOf(token)?.principal, 'chair');
      assert.equal(sessions.callerOf(token)?.by.kind === 'PERSON' && sessions.callerOf(token)?.by, person);
      // A new credential replaces the old one: the old acts as no one.
      const next = newSessionToken();
      await set(sessions, 's1', sessionOf(next, 'agency:NSA'));
      assert.equal(sessions.callerOf(token), undefined);
      assert.equal(sessions.callerOf(next)?.principal, 'agency:NSA');
      await new Promise<void>((resolve) => sessions.destroy('s1', () => resolve()));
      assert.equal(sessions.callerOf(next), undefined, 'signed out');
      assert.equal(await get(sessions, 's1'), null);
      now += 1;
      assert.equal(sessions.size, 0);
    });

    it('does not bring back a session a request under way saves after it ended', async () => {
      const sessions = new WorkbenchSessions({ idleMs: 60_000, absoluteMs: 60_000 });
      const token = newSessionToken();
      const session = sessionOf(token, 'chair', Date.now());
      await set(sessions, 's', session);
      assert.equal(sessions.endPerson('https://idp.example', 'r1'), 1);
      // The response of a request that read the session before it ended saves it on its way out.
      await set(sessions, 's', session);
      assert.equal(sessions.callerOf(token), undefined);
      assert.equal(await get(sessions, 's'), null);
    });

    it('ends a session left idle, and one past its absolute lifetime however busy', async () => {
      let now = 0;
      const sessions = new WorkbenchSessions({ idleMs: 1_000, absoluteMs: 3_000 }, () => now);
      const idle = newSessionToken();
      const busy = newSessionToken();
      await set(sessions, 'idle', sessionOf(idle, 'chair', 0));
      await set(sessions, 'busy', sessionOf(busy, 'chair', 0));
      for (now = 500; now <= 2_500; now += 500) assert.ok(sessions.callerOf(busy), `busy at ${now}`);
      assert.equal(sessions.callerOf(idle), undefined, 'idle for more than a second');
      now = 3_001;
      assert.equal(sessions.callerOf(busy), undefined, 'three seconds after sign-in');
      assert.equal(await get(sessions, 'busy'), null);
    });

    it('ends every session of one person at once', async () => {
      const sessions = new WorkbenchSessions({ idleMs: 60_000, absoluteMs: 60_000 });
      const a = newSessionToken();
      const b = newSessionToken();
      await set(sessions, 'a', sessionOf(a, 'chair', Date.now()));
      await set(sessions, 'b', sessionOf(b, 'agency:NSA', Date.now()));
      assert.equal(sessions.endPerson('https://idp.example', 'someone-else'), 0);
      assert.equal(sessions.endPerson('https://idp.example', 'r1'), 2);
      assert.equal(sessions.callerOf(a), undefined);
      assert.equal(sessions.callerOf(b), undefined);
    });
  });
});
