import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { z } from 'zod';
import { CaseCounts, FanOutReport, Projection, Receipt } from '../../shared/api/responses';
import { DAY_MS } from '../helpers/review';
import { dayDue } from '../helpers/washington';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { uniqueId } from '../helpers/workers';
import { testServers } from '../setup/servers';
import {
  allListed,
  assertProblem,
  CasePage,
  decision,
  eventually,
  file,
  ok,
  read,
  readGov,
  untilListed,
  untilStage,
  withoutMotion,
  withGateway,
  type Gateway,
} from './support';
import { SA } from '../../shared/domain/search-attributes';
import { reviewWorkflowId, submissionIdOfCase } from '../../shared/domain/review/workflow';

type Report = z.infer<typeof FanOutReport>;

/** Repeats a fan-out (safe: it applies once per case) until visibility has caught up with `id`. */
const fanOutUntil = (gw: Gateway, url: string, body: unknown, id: string): Promise<Report> =>
  eventually(
    async () => ok(await gw.call(gw.parties.ops, 'POST', url, body), FanOutReport),
    (r) => r.results.some((x) => x.caseId === id),
    `${url} reaching ${id}`,
  );

describe('gateway: operations staff', () => {
  it('lists every case with filters and pages through them with a cursor', async () => {
    await withGateway(async (gw) => {
      const { ops, otherLab } = gw.parties;
      const labId = gw.parties.lab.slice(4);
      const ids = [await file(gw), await file(gw)];
      for (const id of ids) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const mine = `/v1/ops/cases?lab=${labId}`;
      await untilListed(gw, ops, `${mine}&stage=NATIONAL_SECURITY`, (p) => p.items.length === 2);

      const first = ok(await gw.call(ops, 'GET', `${mine}&pageSize=1`), CasePage);
      assert.equal(first.items.length, 1);
      assert.ok(first.nextCursor !== undefined);
      const second = ok(await gw.call(ops, 'GET', `${mine}&pageSize=1&cursor=${first.nextCursor}`), CasePage);
      assert.deepEqual([...first.items, ...second.items].map((c) => c.caseId).sort(), [...ids].sort());
      // A cursor belongs to its list: reused with other filters it is refused, not misread.
      const reused = await gw.call(
        ops,
        'GET',
        `/v1/ops/cases?lab=${otherLab.slice(4)}&cursor=${first.nextCursor}`,
      );
      assertProblem(reused, 422, 'CURSOR_NOT_VALID');

      const [row] = first.items;
      assert.equal(row.labId, labId);
      assert.equal(row.policy, 'draft-2026-90d');
      assert.deepEqual(row.awaiting, ['NSA', 'CISA', 'DOW']);
      assert.equal(row.running, true);
      // What a row needs without reading its case: the model, and whose the next deadline is.
      assert.equal(row.model, 'Frontier-1 1.0');
      const read = await readGov(gw, ops, row.caseId);
      assert.ok(read.nextDeadline !== undefined);
      assert.equal(row.nextDeadlineParty, read.nextDeadline.party);
      const far = new Date(Date.now() + 200 * DAY_MS).toISOString();
      const matching = [
        `${mine}&policy=draft-2026-90d`,
        `${mine}&atRisk=false&overdue=false`,
        `${mine}&nextDeadlineBefore=${far}`,
      ];
      for (const url of matching) {
        assert.equal(ok(await gw.call(ops, 'GET', url), CasePage).items.length, 2, url);
      }
      const none = [
        `${mine}&stage=CIVILIAN`,
        `${mine}&overdue=true`,
        `${mine}&outcome=NO_CONCERNS_IDENTIFIED`,
        `${mine}&nextDeadlineBefore=${new Date().toISOString()}`,
        `${mine}&policy=industry-14d`,
      ];
      for (const url of none) assert.deepEqual(ok(await gw.call(ops, 'GET', url), CasePage).items, [], url);
      assert.deepEqual(
        ok(await gw.call(ops, 'GET', `${mine}&callbackFailing=false`), CasePage).items.length,
        2,
      );
      assert.deepEqual(ok(await gw.call(ops, 'GET', `${mine}&callbackFailing=true`), CasePage).items, []);
    });
  });

  it('counts open cases by stage and flag with count queries, and lists only open ones or one flag', async () => {
    await withGateway(async (gw) => {
      const { ops, NSA, CISA, DOW } = gw.parties;
      const soon = new Date(Date.now() + 40 * DAY_MS).toISOString();
      const ids = [await file(gw), await file(gw, { plannedReleaseDate: soon }), await file(gw)];
      for (const id of ids) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      for (const agency of [NSA, CISA, DOW]) {
        const res = await gw.call(
          agency,
          'POST',
          `/v1/submissions/${ids[0]}/decisions`,
          decision('NO_CONCERNS'),
        );
        assert.equal(res.status, 200, res.text);
      }
      await untilStage(gw, ids[0], 'CIVILIAN', ops);
      const withdrawn = await gw.call(gw.parties.lab, 'POST', `/v1/submissions/${ids[2]}/withdrawal`, {
        reason: 'not ready',
      });
      assert.equal(withdrawn.status, 200, withdrawn.text);
      // The test's namespace holds only these three cases: one civilian, one national security, one closed.
      const counts = await eventually(
        async () => ok(await gw.call(ops, 'GET', '/v1/ops/counts'), CaseCounts),
        (c) => c.open === 2 && c.stages.CIVILIAN === 1 && c.stages.NATIONAL_SECURITY === 1,
        'counts catching up',
      );
      assert.deepEqual(counts.stages, {
        INTAKE: 0,
        DEFICIENT: 0,
        DESIGNATION: 0,
        NATIONAL_SECURITY: 1,
        CIVILIAN: 1,
        DETERMINATION: 0,
        PRE_RELEASE: 0,
      });
      const open = await allListed(gw, ops, '/v1/ops/cases?open=true');
      assert.deepEqual(open.sort(), [ids[0], ids[1]].sort());
      assert.deepEqual(await allListed(gw, ops, '/v1/ops/cases?open=false'), [ids[2]]);
      // The second case was filed on short notice.
      assert.equal(counts.flags.SHORT_NOTICE, 1);
      assert.equal(counts.flags.AT_RISK, 0);
      assert.deepEqual(await allListed(gw, ops, '/v1/ops/cases?open=true&flag=SHORT_NOTICE'), [ids[1]]);
      assertProblem(await gw.call(ops, 'GET', '/v1/ops/cases?flag=SOON'), 400, 'VALIDATION_FAILED');
    });
  });

  it('lists a filing as received from its start, and its workflow upserts nothing before intake is done', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      const h = gw.client.workflow.getHandle(reviewWorkflowId(id));
      // Set by the start request itself, before the workflow's first task.
      const started = (await h.describe()).typedSearchAttributes;
      assert.equal(started.get(SA.stage), 'INTAKE');
      assert.equal(started.get(SA.lab), gw.parties.lab.slice(4));
      assert.equal(started.get(SA.atRisk), false);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
      const events = (await h.fetchHistory()).events ?? [];
      const upserts = events.filter((e) => {
        const fields = Object.keys(
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        );
        return fields.some((f) => f !== 'TemporalChangeVersion');
      });
      const intakeDone = events.findIndex((e) => e.activityTaskCompletedEventAttributes);
      assert.ok(intakeDone > 0, 'intake completed an activity');
      assert.ok(upserts.length > 0, 'acceptance was upserted');
      assert.ok(
        events.indexOf(upserts[0]) > intakeDone,
        `an upsert at event ${upserts[0].eventId?.toString()} before intake finished at ${events[intakeDone].eventId?.toString()}`,
      );
    });
  });

  it('shows the callback attempt under way: its number, the last error and when the next one is due', async () => {
    const receiver = await startScriptedReceiver(() => ({ status: 503 }));
    try {
      await withGateway(async (gw) => {
        const { ops, lab } = gw.parties;
        const id = await file(gw, { callbackUrl: receiver.url });
        const seen = await eventually(
          () => readGov(gw, ops, id),
          (c) => (c.callbackAttempt?.attempt ?? 0) >= 2,
          'a second attempt scheduled',
        );
        const attempt = seen.callbackAttempt!;
        assert.match(attempt.lastError ?? '', /callback endpoint answered 503/);
        assert.ok(
          attempt.lastAttemptAt !== undefined && attempt.nextAttemptAt !== undefined,
          JSON.stringify(attempt),
        );
        assert.ok(attempt.nextAttemptAt > attempt.lastAttemptAt, JSON.stringify(attempt));
        // The lab sees that its endpoint is being retried and when, not the error's detail.
        const mine = await read(gw, lab, id);
        assert.equal(mine.view, 'lab');
        assert.ok((mine.callbackAttempt?.attempt ?? 0) >= 2, JSON.stringify(mine.callbackAttempt));
        assert.equal((mine.callbackAttempt as { lastError?: string }).lastError, undefined);
      });
    } finally {
      await receiver.close();
    }
  });

  it('lists the cases whose callbacks fail, and redelivers them once the endpoint is fixed', async () => {
    let gone = true;
    const receiver = await startScriptedReceiver(() => (gone ? { status: 410 } : { status: 204 }));
    try {
      await withGateway(async (gw) => {
        const { ops } = gw.parties;
        const failing = await file(gw, { callbackUrl: receiver.url });
        const fine = await file(gw);
        const listed = await untilListed(
          gw,
          ops,
          '/v1/ops/cases?callbackFailing=true',
          (p) => p.items.length > 0,
        );
        assert.deepEqual(
          listed.items.map((c) => [c.caseId, c.callbackFailing, c.flags.includes('CALLBACK_FAILING')]),
          [[failing, true, true]],
        );
        const view = await readGov(gw, ops, failing);
        assert.deepEqual(view.callbacks.failing, {
          eventId: `${submissionIdOfCase(failing)}:1`,
          error: 'CallbackRejected: callback endpoint answered 410',
          category: 'HTTP_4XX',
          at: view.callbacks.failing?.at,
        });
        assert.ok(!listed.items.some((c) => c.caseId === fine));
        // The lab learns what kind of failure it is, never what its endpoint's network answered.
        const labView = await read(gw, gw.parties.lab, failing);
        assert.deepEqual(labView.callbacks.failing, { ...view.callbacks.failing, error: 'HTTP_4XX' });
        assert.deepEqual(
          labView.callbacks.deliveries.map((d) => [d.eventId, d.status, d.error, d.httpStatus]),
          [[view.callbacks.failing?.eventId, 'FAILED', 'HTTP_4XX', undefined]],
        );

        gone = false;
        const receipt = ok(
          await gw.call(ops, 'POST', `/v1/submissions/${failing}/callbacks/redeliver`, {}),
          Receipt,
        );
        const redelivered = await eventually(
          () => readGov(gw, ops, failing),
          (c) => c.callbacks.pending === 0 && c.callbacks.failing === undefined,
          'the backlog delivered',
        );
        assert.deepEqual(
          redelivered.timeline.find((e) => e.seq === receipt.seq)?.type,
          'CALLBACKS_REDELIVERED',
        );
        assert.deepEqual(
          receiver.accepted(),
          redelivered.callbacks.deliveries.filter((d) => d.status === 'DELIVERED').map((d) => d.eventId),
        );
        await untilListed(gw, ops, '/v1/ops/cases?callbackFailing=true', (p) => p.items.length === 0);
      });
    } finally {
      await receiver.close();
    }
  });

  it('tolls every open case’s government clocks for a funding lapse and resumes them, each once', async () => {
    await withGateway(async (gw) => {
      const { ops, lab } = gw.parties;
      const id = await file(gw);
      const accepted = await readGov(
        gw,
        ops,
        (await untilStage(gw, id, 'NATIONAL_SECURITY', lab)).submissionId,
      );
      const lapseId = uniqueId('lapse');
      const toll = { lapseId, reason: 'appropriations lapse' };
      const tolled = await fanOutUntil(gw, '/v1/ops/funding-lapses', toll, id);
      const mine = tolled.results.find((r) => r.caseId === id)!;
      assert.equal(mine.outcome, 'APPLIED');
      // Repeating the request is safe: the case answers with the same receipt.
      const again = ok(await gw.call(ops, 'POST', '/v1/ops/funding-lapses', toll), FanOutReport);
      assert.deepEqual(
        again.results.find((r) => r.caseId === id),
        mine,
      );
      const during = await readGov(gw, ops, id);
      assert.deepEqual(
        during.fundingLapses.map((l) => [l.id, l.to]),
        [[lapseId, undefined]],
      );
      assert.deepEqual(during.flags, ['FUNDING_LAPSE']);
      assert.equal(during.windowEnd, accepted.windowEnd, 'the window keeps running');

      const resumeUrl = `/v1/ops/funding-lapses/${lapseId}/resume`;
      const resumed = await fanOutUntil(gw, resumeUrl, undefined, id);
      assert.equal(resumed.results.find((r) => r.caseId === id)?.outcome, 'APPLIED');
      ok(await gw.call(ops, 'POST', resumeUrl), FanOutReport);
      const after = await readGov(gw, ops, id);
      assert.ok(after.fundingLapses[0].to !== undefined);
      assertEventTypes(
        after.timeline.filter((e) => e.type.startsWith('CLOCK_')),
        ['CLOCK_TOLLED', 'CLOCK_RESUMED'],
      );
    });
  });

  it('projects the deadlines under a what-if change without changing the case', async () => {
    await withGateway(async (gw) => {
      const { ops, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const before = await readGov(gw, chair, id);
      const change = { change: { kind: 'EXTENSION', party: 'agency:CISA', days: 5 } };
      const { deadlines } = ok(
        await gw.call(ops, 'POST', `/v1/submissions/${id}/deadline-projections`, change),
        Projection,
      );
      // Five days from CISA's due date as it stands (day 45, which acceptance placed on a business day), then
      // rolled to close of business on a business day (rules 7). The open stage, shown as it binds (until its
      // extended agency's deadline), moves with it, as the case would then show it; nothing else moves.
      const CISA_KEY = 'agency:NATIONAL_SECURITY:CISA';
      const cisaBase = Date.parse(before.deadlines.find((d) => d.key === CISA_KEY)!.baseDue);
      const cisaDue = new Date(dayDue(cisaBase, 5)).toISOString();
      assert.deepEqual(
        deadlines.filter((d) => d.key === CISA_KEY || d.shiftMs !== 0).map((d) => [d.key, d.dueAt]),
        [
          ['stage:NATIONAL_SECURITY', cisaDue],
          [CISA_KEY, cisaDue],
        ],
      );
      // Callbacks move on by themselves; the case does not.
      assert.deepEqual(withoutMotion(await readGov(gw, chair, id)), withoutMotion(before));
    });
  });

  it('redelivers a delivered callback event and follows a changed callback endpoint', async () => {
    const receiver = testServers().labReceiver;
    await withGateway(
      async (gw) => {
        const { ops, lab } = gw.parties;
        const id = await file(gw, { callbackUrl: receiver.url });
        const delivered = await eventually(
          () => readGov(gw, ops, id),
          (c) =>
            c.callbacks.deliveries.some(
              (d) => d.eventId === `${submissionIdOfCase(id)}:1` && d.status === 'DELIVERED',
            ),
          'the first callback delivered',
        );
        assert.equal(delivered.callbacks.failing, undefined);
        const at = `/v1/submissions/${id}/callbacks/redeliver`;
        assertProblem(await gw.call(ops, 'POST', at, {}), 409, 'NOTHING_TO_REDELIVER');
        assertProblem(
          await gw.call(ops, 'POST', at, { eventId: `${submissionIdOfCase(id)}:999` }),
          404,
          'CALLBACK_EVENT_NOT_FOUND',
        );
        ok(await gw.call(ops, 'POST', at, { eventId: `${submissionIdOfCase(id)}:1` }), Receipt);
        await eventually(
          () => readGov(gw, ops, id),
          (c) =>
            c.callbacks.deliveries.filter((d) => d.eventId === `${submissionIdOfCase(id)}:1`).length === 2,
          'event 1 delivered again',
        );

        const moved = `${receiver.url}?moved=1`;
        ok(
          await gw.call(lab, 'POST', `/v1/submissions/${id}/callback-endpoint`, { callbackUrl: moved }),
          Receipt,
        );
        const labView = await eventually(
          () => gw.call(lab, 'GET', `/v1/submissions/${id}`),
          (r) => r.text.includes('moved=1'),
          'the new endpoint in the lab view',
        );
        assert.equal(labView.status, 200);
      },
      { labId: 'acme' },
    );
  });
});
