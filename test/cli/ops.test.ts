import assert from 'node:assert/strict';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { FanOutReport, Projection } from '../../shared/api/responses';
import { DAY_MS } from '../helpers/review';
import { dayDue, futureWashingtonDate } from '../helpers/washington';
import { uniqueId } from '../helpers/workers';
import { eventually, file, readGov, untilStage } from '../gateway/support';
import {
  jsonOf,
  openLiveApi,
  receipt,
  refused,
  rowOf,
  shown,
  succeeded,
  until,
  type LiveApi,
} from './support';

describe('cli: operations commands', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('projects deadlines under an extension, a toll and a new window end, changing nothing', async () => {
    const { gw } = api;
    const { ops } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const before = await readGov(gw, ops, id);
    const now = Date.now();
    const from = new Date(now + DAY_MS).toISOString();
    const to = new Date(now + 3 * DAY_MS).toISOString();
    const newEnd = new Date(Date.parse(before.windowEnd!) - 10 * DAY_MS).toISOString();
    const extension = ['project', 'extension', id, '--party', 'agency:CISA', '--days', '10'];
    const [extJson, extTable, toll, moved] = await Promise.all([
      api.as(ops, ...extension, '--json'),
      api.as(ops, ...extension),
      api.as(ops, 'project', 'toll', id, '--from', from, '--to', to, '--party', 'agency:NSA', '--json'),
      api.as(ops, 'project', 'release-date', id, '--new-end', newEnd, '--json'),
    ]);

    const ext = jsonOf(extJson, Projection).deadlines;
    // CISA's deadline, and the open stage as it binds (until its extended agency's deadline).
    assert.deepEqual(
      ext.filter((d) => d.shiftMs !== 0).map((d) => d.key),
      ['stage:NATIONAL_SECURITY', 'agency:NATIONAL_SECURITY:CISA'],
    );
    const out = succeeded(extTable);
    assert.deepEqual(rowOf(out, 'DEADLINE'), ['DEADLINE', 'PARTY', 'DUE NOW', 'WOULD BE DUE', 'SHIFT']);
    for (const d of ext) {
      const shift =
        d.shiftMs === 0
          ? '0'
          : `+${Math.floor(d.shiftMs / DAY_MS)}d ${Math.floor((d.shiftMs % DAY_MS) / 3_600_000)}h`;
      assert.deepEqual(rowOf(out, d.key), [d.key, d.party, shown(d.before), shown(d.dueAt), shift]);
    }
    // Two tolled days move NSA's deadline from its due date as it stands (day 45, which acceptance placed on a
    // business day), then to close of business on the business day that lands on or after (rules 7); the open
    // stage, shown as it binds, moves with it. Nothing else moves.
    const NSA_KEY = 'agency:NATIONAL_SECURITY:NSA';
    const nsaBase = Date.parse(before.deadlines.find((d) => d.key === NSA_KEY)!.baseDue);
    const nsaDue = new Date(dayDue(nsaBase, 2)).toISOString();
    const projected = jsonOf(toll, Projection).deadlines;
    assert.deepEqual(
      projected.filter((d) => d.key === NSA_KEY || d.shiftMs !== 0).map((d) => [d.key, d.dueAt]),
      [
        ['stage:NATIONAL_SECURITY', nsaDue],
        [NSA_KEY, nsaDue],
      ],
    );
    const window = jsonOf(moved, Projection).deadlines.find((d) => d.key === 'window')!;
    assert.deepEqual([window.before, window.dueAt], [before.windowEnd, newEnd]);

    const after = await readGov(gw, ops, id);
    assert.deepEqual(after.deadlines, before.deadlines, 'a projection changes nothing');
  });

  it("tolls and resumes every open case's government clocks in a funding lapse", async () => {
    const { gw } = api;
    const { ops } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const lapse = uniqueId('lapse');
    // Repeating the toll is safe (once per case), so it is repeated until visibility has caught up with the case.
    const tolled = await until(
      () => api.as(ops, 'toll', lapse, '--reason', 'appropriations lapse', '--json'),
      FanOutReport,
      (r) => r.results.some((x) => x.caseId === id),
      'the lapse reaching the case',
    );
    const mine = tolled.results.find((x) => x.caseId === id)!;
    assert.equal(mine.outcome, 'APPLIED');

    const resumed = succeeded(await api.as(ops, 'resume', lapse));
    const [headline] = resumed.split('\n');
    assert.match(
      headline,
      new RegExp(
        `^Funding lapse ${lapse} resumed: 1 case\\(s\\) matched, 1 applied, 0 rejected, 0 unavailable$`,
      ),
    );
    assert.deepEqual(rowOf(resumed, 'CASE'), ['CASE', 'OUTCOME', 'TIMELINE', 'CODE', 'DETAIL']);
    const [, outcome, seq, code, detail] = rowOf(resumed, id);
    assert.deepEqual([outcome, code, detail], ['APPLIED', '-', '-']);

    const view = await readGov(gw, ops, id);
    assert.deepEqual(
      view.fundingLapses.map((l) => ({ id: l.id, reason: l.reason, resumed: l.to !== undefined })),
      [{ id: lapse, reason: 'appropriations lapse', resumed: true }],
    );
    assert.deepEqual(
      [mine.receipt?.seq, Number(seq.slice(1))].map((s) => view.timeline.find((e) => e.seq === s)?.type),
      ['CLOCK_TOLLED', 'CLOCK_RESUMED'],
    );
  });

  it('exits 1 for a lapse that never started or a closure in the past, and lists a declared closure', async () => {
    const { ops } = api.gw.parties;
    refused(await api.as(ops, 'resume', 'lapse-never-started'), 409, 'FUNDING_LAPSE_NOT_ACTIVE');
    refused(
      await api.as(ops, 'closure', 'closure-past', '--date', futureWashingtonDate(-1), '--reason', 'OPM'),
      422,
      'CLOSURE_IN_THE_PAST',
    );
    // Far enough ahead to move no deadline of the other tests' cases.
    const closureId = uniqueId('closure');
    const date = futureWashingtonDate(300);
    const declared = succeeded(await api.as(ops, 'closure', closureId, '--date', date, '--reason', 'OPM'));
    assert.match(
      declared.split('\n')[0],
      new RegExp(`^Closure ${closureId} declared: \\d+ case\\(s\\) matched`),
    );
    const listed = succeeded(await api.as(ops, 'government'));
    const [, dates, , reason] = rowOf(listed, closureId);
    assert.deepEqual([dates, reason], [date, 'OPM']);
  });

  it("redelivers a case's failing callbacks, and exits 1 for an event the case never had", async () => {
    const { gw } = api;
    const { ops } = gw.parties;
    // The lab's endpoint answers 410: its first callback fails for good and holds the rest back.
    const receiver = await startScriptedReceiver(() => ({ status: 410 }));
    try {
      const id = await file(gw, { callbackUrl: receiver.url });
      await eventually(
        () => readGov(gw, ops, id),
        (v) => v.callbacks.failing !== undefined,
        'a failing callback',
      );
      const [again, unknown] = await Promise.all([
        api.as(ops, 'redeliver', id),
        api.as(ops, 'redeliver', id, '--event-id', `${id}:999`),
      ]);
      const seq = receipt(again, `Redelivery of pending callbacks on ${id} scheduled`);
      refused(unknown, 404, 'CALLBACK_EVENT_NOT_FOUND');
      assert.equal(
        (await readGov(gw, ops, id)).timeline.find((e) => e.seq === seq)?.type,
        'CALLBACKS_REDELIVERED',
      );
    } finally {
      await receiver.close();
    }
  });
});
