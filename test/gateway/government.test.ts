import assert from 'node:assert/strict';
import { ClosureReport, FanOutReport, GovernmentView, LabCaseView } from '../../shared/api/responses';
import {
  closeOfBusinessFrom,
  futureWashingtonDate,
  nextBusinessDate,
  washington,
} from '../helpers/washington';
import { uniqueId } from '../helpers/workers';
import { testServers } from '../setup/servers';
import {
  assertProblem,
  eventually,
  file,
  ok,
  readGov,
  untilListed,
  untilStage,
  withGateway,
  type Gateway,
} from './support';

/**
 * Finding I of issue 12 and the government state behind it: a funding lapse or a closure is recorded once
 * (workflows/government), reaches every open case, is taken into account by a case accepted later, and a
 * request that changes nothing is refused with its reason instead of answering 200.
 */

const government = async (gw: Gateway) =>
  ok(await gw.call(gw.parties.ops, 'GET', '/v1/ops/government'), GovernmentView);

/** Waits until the case is visible to operations' lists, so a fan-out reaches it. */
const untilVisible = (gw: Gateway, id: string) =>
  untilListed(gw, gw.parties.ops, '/v1/ops/cases?pageSize=100', (p) => p.items.some((c) => c.caseId === id));

describe('gateway: the government’s funding lapses and closures (issue 12, finding I)', () => {
  it('refuses to resume a lapse that never started, and records a lapse with no case open', async () => {
    await withGateway(async (gw) => {
      const { ops } = gw.parties;
      const never = assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses/lapse-never/resume'),
        409,
        'FUNDING_LAPSE_NOT_ACTIVE',
      );
      assert.match(never.detail ?? '', /no funding lapse lapse-never was started/);
      assert.deepEqual(await government(gw), { lapses: [], closures: [] }, 'the refusal recorded nothing');

      const lapseId = uniqueId('lapse');
      const started = ok(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        FanOutReport,
      );
      assert.deepEqual(
        { change: started.change, matched: started.matched, applied: started.applied },
        { change: 'RECORDED', matched: 0, applied: 0 },
      );
      const g = await government(gw);
      assert.deepEqual(
        g.lapses.map((l) => [l.id, l.reason, l.to, l.startedBy]),
        [[lapseId, 'appropriations lapse', undefined, 'ops']],
      );

      // The same lapse again changes nothing (no state, no case): refused, with the reason.
      const again = assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        409,
        'FUNDING_LAPSE_ACTIVE',
      );
      assert.match(again.detail ?? '', /already active; no open case needed it \(0 open case\(s\) checked\)/);
      // Another lapse while this one is active is refused too.
      const other = assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId: 'lapse-other', reason: 'another' }),
        409,
        'FUNDING_LAPSE_ACTIVE',
      );
      assert.match(other.detail ?? '', new RegExp(`funding lapse ${lapseId} has been active since`));
      assert.deepEqual(await government(gw), g, 'the refusals recorded nothing');
    });
  });

  it('starts a case accepted during a lapse tolled, resumes it with the lapse, and never reopens an ended lapse', async () => {
    await withGateway(async (gw) => {
      const { ops, lab } = gw.parties;
      const lapseId = uniqueId('lapse');
      ok(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        FanOutReport,
      );

      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const during = await readGov(gw, ops, id);
      assert.deepEqual(
        during.fundingLapses.map((l) => [l.id, l.to]),
        [[lapseId, undefined]],
        'acceptance consulted the government state',
      );
      assert.ok(during.flags.includes('FUNDING_LAPSE'));
      assert.deepEqual(
        during.deadlines.filter((d) => d.party !== 'lab').map((d) => [d.key, d.urgency]),
        [
          // NSA designated the model before acceptance; every clock that runs from day 0 is tolled.
          ['designation', 'MET'],
          ['stage:NATIONAL_SECURITY', 'PAUSED'],
          ['agency:NATIONAL_SECURITY:NSA', 'PAUSED'],
          ['agency:NATIONAL_SECURITY:CISA', 'PAUSED'],
          ['agency:NATIONAL_SECURITY:DOW', 'PAUSED'],
          ['stage:CIVILIAN', 'PAUSED'],
          ['agency:CIVILIAN:CAISI', 'PAUSED'],
          ['agency:CIVILIAN:DOE', 'PAUSED'],
          ['agency:CIVILIAN:TREASURY', 'PAUSED'],
          ['determination', 'PAUSED'],
        ],
        'every government deadline is paused (or already met)',
      );

      await untilVisible(gw, id);
      const resumed = ok(
        await gw.call(ops, 'POST', `/v1/ops/funding-lapses/${lapseId}/resume`),
        FanOutReport,
      );
      assert.equal(resumed.change, 'RECORDED');
      assert.deepEqual(
        resumed.results.map((r) => [r.caseId, r.outcome]),
        [[id, 'APPLIED']],
      );
      const after = await readGov(gw, ops, id);
      assert.ok(after.fundingLapses[0].to !== undefined);
      assert.ok(!after.flags.includes('FUNDING_LAPSE'));
      assert.ok((await government(gw)).lapses[0].to !== undefined);

      assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        409,
        'FUNDING_LAPSE_ENDED',
      );
    });
  });

  it('declares a closure once: a deadline on a closed date moves to the next business day, with its callback', async () => {
    await withGateway(async (gw) => {
      const { ops, lab } = gw.parties;
      const past = assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/closures', {
          closureId: 'closure-past',
          dates: [futureWashingtonDate(-2)],
          reason: 'OPM',
        }),
        422,
        'CLOSURE_IN_THE_PAST',
      );
      assert.match(past.detail ?? '', /is before today/);

      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      await untilVisible(gw, id);
      const before = await readGov(gw, ops, id);
      const nsDue = Date.parse(before.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')!.dueAt);
      const closed = washington(nsDue).date;
      const closureId = uniqueId('closure');
      const body = { closureId, dates: [closed], reason: 'Executive order closing federal offices' };
      const declared = ok(await gw.call(ops, 'POST', '/v1/ops/closures', body), ClosureReport);
      assert.equal(declared.change, 'RECORDED');
      assert.deepEqual(
        declared.results.map((r) => [r.caseId, r.outcome]),
        [[id, 'APPLIED']],
      );

      const after = await readGov(gw, ops, id);
      const moved = Date.parse(after.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')!.dueAt);
      assert.equal(moved, closeOfBusinessFrom(nsDue + 1, [closed]));
      assert.equal(washington(moved).date, nextBusinessDate(closed, [closed]));
      assert.ok(after.flags.includes('CLOSURE'));
      assert.equal(after.timeline.filter((e) => e.type === 'CLOSURE_DECLARED').length, 1);
      // The lab is told, in a callback of its own with the deadlines that moved.
      await eventually(
        () => readGov(gw, ops, id),
        (v) => v.callbacks.pending === 0,
        'callbacks delivered',
      );
      const [told] = testServers()
        .labReceiver.eventsFor(id)
        .filter((e) => e.type === 'CLOSURE_DECLARED');
      assert.deepEqual(told.payload, {
        closureId,
        dates: [closed],
        deadlines: {
          ...(told.payload as { deadlines: object }).deadlines,
          nationalSecurityReview: new Date(moved).toISOString(),
        },
      });
      // The lab reads the closure and its new deadlines, but not operations' own reason.
      const labView = ok(await gw.call(lab, 'GET', `/v1/submissions/${id}`), LabCaseView);
      assert.deepEqual(
        labView.closures.map((x) => [x.id, x.dates, x.reason]),
        [[closureId, [closed], 'closure of federal offices']],
      );
      assert.ok(!JSON.stringify(labView).includes(body.reason));

      // The same id with other dates is refused; the government keeps the first.
      assertProblem(
        await gw.call(ops, 'POST', '/v1/ops/closures', { ...body, dates: [futureWashingtonDate(200)] }),
        409,
        'CLOSURE_ALREADY_DECLARED',
      );
      assert.deepEqual(
        (await government(gw)).closures.map((x) => [x.id, x.dates]),
        [[closureId, [closed]]],
      );
    });
  });
});
