import assert from 'node:assert/strict';
import { FindingListItem } from '../../shared/api/findings';
import { page } from '../../shared/api/responses';
import {
  assertProblem,
  eventually,
  fileFinding,
  ok,
  decision,
  file,
  untilListed,
  untilStage,
  withGateway,
} from './support';

/** The value of one sample line of a Prometheus text exposition, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('gateway: Prometheus metrics', () => {
  it('serves case gauges, decision and latency metrics to an ops key, and refuses everyone else', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, ops } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      await fileFinding(gw, NSA, { caseId: id, tlp: 'GREEN' });
      await eventually(
        async () => ok(await gw.call(ops, 'GET', '/v1/findings?state=RECEIVED'), page(FindingListItem)),
        (p) => p.items.length === 1,
        'the finding listed',
      );
      // Visibility catches up first: the gauges are read from it at the first scrape, then cached for 15 s.
      await untilListed(gw, ops, '/v1/ops/cases?stage=NATIONAL_SECURITY', (p) => p.items.length === 1);
      const before = (await gw.call(ops, 'GET', '/metrics')).text;
      const decided = await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS'));
      assert.equal(decided.status, 200, decided.text);

      const res = await gw.call(ops, 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const kind = 'frontier_review_decisions_total{kind="NO_CONCERNS"}';
      assert.equal(sample(before, kind), undefined, 'no decision before this one');
      assert.equal(sample(res.text, kind), 1);
      // The test's namespace holds this one case.
      const gauges = {
        'frontier_review_open_cases{stage="INTAKE"}': 0,
        'frontier_review_open_cases{stage="NATIONAL_SECURITY"}': 1,
        'frontier_review_open_cases{stage="CIVILIAN"}': 0,
        frontier_review_cases_at_risk: 0,
        frontier_review_cases_overdue: 0,
        frontier_review_cases_callback_failing: 0,
        'frontier_review_findings_open{state="RECEIVED"}': 1,
        'frontier_review_findings_open{state="VALIDATED"}': 0,
        'frontier_review_findings_overdue{deadline="validation"}': 0,
        'frontier_review_findings_overdue{deadline="remediation"}': 0,
      };
      for (const [series, value] of Object.entries(gauges))
        assert.equal(sample(res.text, series), value, series);
      const decisions =
        'frontier_review_http_request_duration_seconds_count{method="POST",route="/v1/submissions/:caseId/decisions",status="200"}';
      assert.equal(sample(res.text, decisions), 1);

      assertProblem(await gw.call(lab, 'GET', '/metrics'), 403, 'FORBIDDEN');
      assertProblem(await gw.call(undefined, 'GET', '/metrics'), 401, 'UNAUTHENTICATED');
    });
  });
});
