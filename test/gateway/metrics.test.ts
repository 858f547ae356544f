import assert from 'node:assert/strict';
import { assertProblem, decision, file, untilStage, withGateway } from './support';

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
      const before = (await gw.call(ops, 'GET', '/metrics')).text;
      await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS'));

      const res = await gw.call(ops, 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const kind = 'frontier_review_decisions_total{kind="NO_CONCERNS"}';
      assert.equal(sample(res.text, kind), (sample(before, kind) ?? 0) + 1);
      // Visibility is eventually consistent and the gauges are cached for 15 s: at least this case is counted.
      const open = sample(res.text, 'frontier_review_open_cases{stage="NATIONAL_SECURITY"}');
      assert.ok(open !== undefined && open >= 1, `open cases in NATIONAL_SECURITY: ${open}`);
      for (const gauge of ['frontier_review_cases_at_risk', 'frontier_review_cases_overdue']) {
        assert.ok(Number.isInteger(sample(res.text, gauge)), gauge);
      }
      assert.match(
        res.text,
        /^frontier_review_http_request_duration_seconds_count\{method="POST",route="\/v1\/submissions\/:submissionId\/decisions",status="200"\} \d+$/m,
      );

      assertProblem(await gw.call(lab, 'GET', '/metrics'), 403, 'FORBIDDEN');
      assertProblem(await gw.call(undefined, 'GET', '/metrics'), 401, 'UNAUTHENTICATED');
    });
  });
});
