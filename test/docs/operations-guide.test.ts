import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Histogram } from 'prom-client';
import { parse } from 'yaml';
import { createMetrics } from '../../shared/node/metrics';
import { readDoc, ROOT, tableUnder } from './guides';

/**
 * Issue 41: the operations guide's metrics, its example Prometheus alert rules and its runbook stay true to
 * the code: the metrics table lists what the product exports, every alert names only those metrics and links a
 * runbook entry that exists, and the runbook covers every fault the chaos run injects. No Prometheus runs here:
 * the rules are checked as data, not evaluated.
 */

const GUIDE = 'docs/operations.md';
const ALERTS = 'docs/prometheus/alerts.yml';

/** The metric families the product registers, and the series a histogram adds. */
function exportedSeries(): { families: string[]; series: Set<string> } {
  const metrics = createMetrics().registry.getMetricsAsArray();
  const families = metrics.map((m) => m.name).sort();
  const series = new Set(
    metrics.flatMap((m) =>
      m instanceof Histogram ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
    ),
  );
  return { families, series };
}

/** PromQL's own words in the rules' expressions: aggregations, functions, keywords. */
const PROMQL = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'absent',
  'clamp_min',
]);

/** The metric names an expression reads: what is left once label matchers, ranges, groupings and PromQL's words go. */
const metricsIn = (expr: string): string[] =>
  (
    expr
      .replace(/\{[^}]*\}/g, ' ')
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ')
      .match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? []
  ).filter((word) => !PROMQL.has(word));

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}

describe('the operations guide', () => {
  it('lists in its metrics table exactly the metrics the product exports', () => {
    const rows = tableUnder(readDoc(GUIDE), 'Metrics and alerts').slice(1);
    assert.deepEqual(rows.map((r) => r[0]).sort(), exportedSeries().families);
  });

  it('has example alert rules that read only exported metrics and link runbook entries that exist', () => {
    const { groups } = parse(readFileSync(path.join(ROOT, ALERTS), 'utf8')) as {
      groups: { name: string; rules: Rule[] }[];
    };
    const rules = groups.flatMap((g) => g.rules);
    assert.ok(rules.length > 0, 'some rules');
    const { series } = exportedSeries();
    const anchors = readDoc(GUIDE).headings.map((h) => `${GUIDE}#${h.slug}`);
    for (const rule of rules) {
      assert.match(rule.alert, /^FrontierReview[A-Za-z]+$/);
      const read = metricsIn(rule.expr);
      assert.ok(read.length > 0, `${rule.alert} reads a metric`);
      assert.deepEqual(
        read.filter((m) => !series.has(m)),
        [],
        `${rule.alert}: metrics the product does not export`,
      );
      assert.ok(['info', 'warning', 'critical'].includes(rule.labels.severity), `${rule.alert}: severity`);
      assert.ok(rule.annotations.summary.length > 0, `${rule.alert}: summary`);
      assert.ok(
        anchors.includes(rule.annotations.runbook),
        `${rule.alert}: runbook ${rule.annotations.runbook}`,
      );
    }
  });

  it('has a runbook entry for every fault the chaos run injects', () => {
    const source = readFileSync(path.join(ROOT, 'drills/chaos.ts'), 'utf8');
    const injected = [...source.matchAll(/\bfault\('([^']+)'/g)].map((m) => m[1]);
    assert.ok(
      injected.length >= 9,
      `the chaos run's faults, as drills/chaos.ts names them: ${injected.join('; ')}`,
    );
    const runbook = tableUnder(readDoc(GUIDE), 'Runbook').slice(1);
    assert.deepEqual(runbook.map((r) => r[0]).sort(), [...new Set(injected)].sort());
    assert.ok(
      runbook.every((r) => r[1] !== ''),
      'each fault names its runbook entry',
    );
  });
});
