import assert from 'node:assert/strict';
import { Me, Receipt } from '../../shared/api/responses';
import { DAY_MS } from '../helpers/review';
import { CasePage, decision, file, LabCasePage, ok, readGov, untilStage } from '../gateway/support';
import { cells, jsonOf, openLiveApi, rowOf, shown, succeeded, until, type LiveApi, exited } from './support';

describe('cli: cases list and show', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('lists every case to operations staff with filters, one page or all of them', async () => {
    const { gw } = api;
    const { ops } = gw.parties;
    const lab = gw.parties.lab.slice(4);
    const ids = [await file(gw), await file(gw)];
    for (const id of ids) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const mine = ['cases', 'list', '--lab', lab];
    const listed = await until(
      () => api.as(ops, ...mine, '--stage', 'NATIONAL_SECURITY', '--json'),
      CasePage,
      (p) => p.items.length === 2,
      'both cases listed',
    );
    assert.deepEqual(listed.items.map((c) => c.caseId).sort(), [...ids].sort());

    const far = new Date(Date.now() + 200 * DAY_MS).toISOString();
    const [table, none, filtered, firstPage, all] = await Promise.all([
      api.as(ops, ...mine, '--stage', 'NATIONAL_SECURITY'),
      api.as(ops, ...mine, '--stage', 'CIVILIAN'),
      api.as(
        ops,
        ...mine,
        '--policy',
        'draft-2026-90d',
        '--no-at-risk',
        '--no-overdue',
        '--deadline-before',
        far,
        '--json',
      ),
      api.as(ops, ...mine, '--page-size', '1'),
      api.as(ops, ...mine, '--all', '--page-size', '1', '--json'),
    ]);
    for (const c of listed.items) {
      assert.deepEqual(rowOf(succeeded(table), c.caseId), [
        c.caseId,
        lab,
        'NATIONAL_SECURITY',
        'draft-2026-90d',
        shown(c.nextDeadline!),
        shown(c.windowEnd!),
        '-',
        '-',
        'NSA, CISA, DOW',
      ]);
    }
    assert.equal(succeeded(none), '(none)\n');
    assert.equal(jsonOf(filtered, CasePage).items.length, 2);
    assert.deepEqual(
      jsonOf(all, CasePage)
        .items.map((c) => c.caseId)
        .sort(),
      [...ids].sort(),
    );
    assert.equal(jsonOf(all, CasePage).nextCursor, undefined);

    // One page: the table on stdout, how to get the next one on stderr.
    exited(firstPage, 0);
    assert.equal(firstPage.stdout.split('\n').length, 3, firstPage.stdout);
    const cursor = /^more cases: add --cursor (\S+)\n$/.exec(firstPage.stderr)?.[1];
    assert.ok(cursor !== undefined, firstPage.stderr);
    const next = jsonOf(
      await api.as(ops, ...mine, '--page-size', '1', '--cursor', cursor, '--json'),
      CasePage,
    );
    const onFirst = cells(firstPage.stdout.split('\n')[1])[0];
    assert.deepEqual(
      [onFirst, next.items[0].caseId].sort(),
      [...ids].sort(),
      'the two pages hold both cases',
    );
  });

  it("shows a case to operations staff with each agency's decision, never a restricted note", async () => {
    const { gw } = api;
    const { NSA, ops } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const note = { restrictedNote: 'classified: exploit chain observed' };
    ok(
      await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('CONCERNS_MITIGATED', note)),
      Receipt,
    );

    const out = succeeded(await api.as(ops, 'cases', 'show', id, '--timeline', '2'));
    const view = await readGov(gw, ops, id);
    assert.match(out.split('\n')[0], new RegExp(`^Case ${id} \\(ops view, as of .+\\)$`));
    assert.ok(!out.includes('classified'), 'operations staff never read a restricted note');
    assert.deepEqual(rowOf(out, 'AGENCY'), [
      'AGENCY',
      'STAGE',
      'STATE',
      'DUE',
      'URGENCY',
      'DECISION',
      'SUMMARY',
    ]);
    const nsa = view.agencies.find((a) => a.agency === 'NSA')!;
    assert.deepEqual(rowOf(out, 'NSA'), [
      'NSA',
      'NATIONAL_SECURITY',
      'DECIDED',
      shown(nsa.dueAt),
      'MET',
      'CONCERNS_MITIGATED (restricted note withheld)',
      'CONCERNS_MITIGATED summary',
    ]);
    assert.deepEqual(rowOf(out, 'CISA').slice(0, 3), ['CISA', 'NATIONAL_SECURITY', 'REVIEWING']);
    assert.ok(
      out.includes(`\nTimeline (last 2 of ${view.timeline.length}; --timeline all for every entry)\n`),
      out,
    );
    // Who acted beside the principal (issue 36): NSA's system, by its API key's id.
    const { keyId } = ok(await gw.call(NSA, 'GET', '/v1/me'), Me);
    assert.deepEqual(rowOf(out, String(view.timeline.length)).slice(2, 4), [
      `${NSA} (key ${keyId})`,
      'DECISION_RECORDED',
    ]);
  });

  it('lists a lab its own cases, and tells it the filters are for operations staff', async () => {
    const { gw } = api;
    const { lab } = gw.parties;
    const id = await file(gw);
    const page = await until(
      () => api.as(lab, 'cases', 'list', '--json'),
      LabCasePage,
      (p) => p.items.some((c) => c.caseId === id),
      "the lab's case listed",
    );
    const mine = page.items.find((c) => c.caseId === id)!;
    const [table, filtered] = await Promise.all([
      api.as(lab, 'cases', 'list'),
      api.as(lab, 'cases', 'list', '--stage', 'CIVILIAN'),
    ]);
    assert.deepEqual(rowOf(succeeded(table), 'SUBMISSION'), [
      'SUBMISSION',
      'STAGE',
      'POLICY',
      'WINDOW END',
      'OUTCOME',
      'FILED',
      'CLOSED',
    ]);
    assert.deepEqual(rowOf(table.stdout, mine.submissionId).slice(0, 2), [
      mine.submissionId,
      mine.stage ?? '-',
    ]);
    assert.deepEqual(filtered, {
      code: 2,
      stdout: '',
      stderr: `error: filters are for operations staff; ${lab} lists without them\n`,
    });
  });
});
