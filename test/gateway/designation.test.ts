import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { AccessLogPage } from '../../shared/api/access-log';
import { CaseView, ClosureReport, FanOutReport, LabCaseView, Receipt } from '../../shared/api/responses';
import { closeOfBusinessFrom, washington } from '../helpers/washington';
import { uniqueId } from '../helpers/workers';
import {
  assertProblem,
  CasePage,
  eventually,
  file,
  filing,
  ok,
  readGov,
  untilListed,
  withGateway,
  type Gateway,
} from './support';

/**
 * Issue 14, part 1, through the API: NSA designates which models are covered, and its benchmark's result is a
 * restricted field that the lab never sees and never supplies.
 */

/** Compute under the 1e26 FLOP threshold: the screen proposes "not covered". */
const SMALL = { name: 'Small-1', version: '1', trainingComputeFlop: 5e25 };

const untilDesignationPending = (gw: Gateway, id: string) =>
  eventually(
    () => readGov(gw, gw.parties.chair, id),
    (c) => c.stage === 'DESIGNATION',
    `case ${id} waiting for its designation`,
  );

describe('gateway: NSA designates covered models (issue 14, part 1)', () => {
  it('lets NSA alone designate, keeps its benchmark score from the lab and the civilian side, then accepts', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CISA, CAISI, chair, ops } = gw.parties;
      const id = await file(gw, { model: SMALL });
      const waiting = await untilDesignationPending(gw, id);
      assert.equal(waiting.designation?.proposal.covered, false);
      const at = `/v1/submissions/${id}/designation`;

      // NSA finds the case among those awaiting it; CISA, on no roster yet, cannot read it at all.
      await untilListed(gw, NSA, '/v1/agency/cases', (p: CasePage) => p.items.some((c) => c.caseId === id));
      assertProblem(await gw.call(CISA, 'GET', `/v1/submissions/${id}`), 404, 'CASE_NOT_FOUND');
      assertProblem(await gw.call(CISA, 'POST', at, { covered: true, reason: 'ours' }), 403, 'NOT_ENTITLED');
      assertProblem(await gw.call(lab, 'POST', at, { covered: true, reason: 'ours' }), 403, 'FORBIDDEN');
      const badScore = { covered: true, reason: 'bar met', benchmarkScore: 1.5 };
      assertProblem(await gw.call(NSA, 'POST', at, badScore), 400, 'VALIDATION_FAILED');

      const call = { covered: true, reason: 'Meets the cyber-capability bar.', benchmarkScore: 0.83 };
      ok(await gw.call(NSA, 'POST', at, call), Receipt);
      assertProblem(await gw.call(NSA, 'POST', at, call), 409, 'ALREADY_DECIDED');
      const accepted = await eventually(
        () => readGov(gw, chair, id),
        (c) => c.stage === 'NATIONAL_SECURITY',
        'accepted after the designation',
      );
      assert.equal(accepted.designation?.decision?.source, 'AGENCY');
      assert.equal(accepted.designation?.benchmarkScore, 0.83);

      // Who reads the score: NSA, the national-security roster and the chair; operations and civilians see that
      // it exists; the lab, nothing of it.
      assert.equal((await readGov(gw, NSA, id)).designation?.benchmarkScore, 0.83);
      assert.equal((await readGov(gw, CISA, id)).designation?.benchmarkScore, 0.83);
      for (const reader of [ops, CAISI]) {
        const d = (await readGov(gw, reader, id)).designation;
        assert.equal(d?.benchmarkScore, undefined, reader);
        assert.equal(d?.benchmarkScoreWithheld, true, reader);
      }
      const own = await gw.call(lab, 'GET', `/v1/submissions/${id}`);
      const view = ok(own, LabCaseView);
      assert.equal(view.designation?.decision?.covered, true);
      assert.equal(view.designation?.decision?.reason, 'Meets the cyber-capability bar.');
      assert.doesNotMatch(own.text, /benchmarkScore|0\.83/);
      assertEventTypes(view.timeline, [
        'RECEIVED',
        'DESIGNATION_PENDING',
        'DESIGNATED',
        'ACCEPTED',
        'STAGE_OPENED',
      ]);
      CaseView.parse(await readGov(gw, chair, id));
      // Each opening of the score is in the access log, as a restricted note's is; operations opened none.
      const log = ok(await gw.call(chair, 'GET', `/v1/access-log?caseId=${id}`), AccessLogPage).items;
      const opened = new Set(log.filter((e) => e.action === 'NOTES_OPENED').map((e) => e.principal));
      assert.deepEqual(
        [opened.has(NSA), opened.has(CISA), opened.has(chair), opened.has(ops)],
        [true, true, true, false],
      );
    });
  });

  it("moves NSA's pending designation with a closure and tolls it in a lapse (rules 7): NSA and ops see its due time, the lab sees it pending, never the score", async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, ops } = gw.parties;
      const id = await file(gw, { model: SMALL });
      const waiting = await untilDesignationPending(gw, id);
      await untilListed(gw, ops, '/v1/ops/cases?pageSize=100', (p: CasePage) =>
        p.items.some((c) => c.caseId === id),
      );
      // Operations close federal offices on the day NSA's designation falls due: it moves to the next business day.
      const was = Date.parse(waiting.designation!.dueAt);
      const closed = washington(was).date;
      const closure = { closureId: uniqueId('closure'), dates: [closed], reason: 'OPM closure' };
      const declared = ok(await gw.call(ops, 'POST', '/v1/ops/closures', closure), ClosureReport);
      assert.deepEqual(
        declared.results.map((r) => [r.caseId, r.outcome]),
        [[id, 'APPLIED']],
      );
      const moved = new Date(closeOfBusinessFrom(was + 1, [closed])).toISOString();
      for (const reader of [NSA, ops]) {
        assert.equal((await readGov(gw, reader, id)).designation?.dueAt, moved, reader);
      }
      // A funding lapse reaches it too, as it reaches every government clock: paused, so no proposal stands.
      const lapseId = uniqueId('lapse');
      const tolled = ok(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        FanOutReport,
      );
      assert.deepEqual(
        tolled.results.map((r) => [r.caseId, r.outcome]),
        [[id, 'APPLIED']],
      );
      const during = await readGov(gw, ops, id);
      assert.deepEqual(
        [during.stage, during.deadlines.find((d) => d.key === 'designation')?.urgency],
        ['DESIGNATION', 'PAUSED'],
      );
      assert.ok(during.flags.includes('FUNDING_LAPSE'), during.flags.join(', '));
      // The lab sees that its designation is pending and when it falls due, and nothing of NSA's benchmark.
      const own = await gw.call(lab, 'GET', `/v1/submissions/${id}`);
      const view = ok(own, LabCaseView);
      assert.deepEqual(
        [view.stage, view.designation?.agency, view.designation?.dueAt, view.designation?.decision],
        ['DESIGNATION', 'NSA', moved, undefined],
      );
      assert.doesNotMatch(own.text, /benchmarkScore/);
      // Seconds of lapse move nothing (under half a day).
      ok(await gw.call(ops, 'POST', `/v1/ops/funding-lapses/${lapseId}/resume`), FanOutReport);
      assert.equal((await readGov(gw, NSA, id)).designation?.dueAt, moved);
    });
  });

  it("refuses a lab's own benchmark score in a filing: the score is NSA's to enter", async () => {
    await withGateway(async (gw) => {
      const body = filing({ model: { ...SMALL, cyberBenchmarkScore: 0.9 } });
      const problem = assertProblem(
        await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body),
        400,
        'VALIDATION_FAILED',
      );
      assert.match(JSON.stringify(problem), /cyberBenchmarkScore/);
    });
  });
});
