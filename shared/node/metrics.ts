import type { Client } from '@temporalio/client';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SA } from '../domain/search-attributes';
import { OPEN_STAGES } from '../domain/review/state';
import { REVIEW_WORKFLOW_TYPE } from '../domain/review/workflow';
import { COMMITMENT_WORKFLOW_TYPE } from '../domain/commitments/workflow';
import { FINDING_WORKFLOW_TYPE } from '../domain/clearinghouse/workflow';
import { workflowsWhere } from './visibility-query';

/**
 * The product's own Prometheus metrics. Counters are incremented where things happen (gateway, activities);
 * the case gauges are read from Temporal visibility at scrape time, cached briefly so scrapes stay cheap.
 */
export interface ProductMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  decisions: Counter<'kind'>;
  callbackDeliveries: Counter<'outcome'>;
}

const CACHE_MS = 15_000;

export function createMetrics(opts: { temporal?: Client } = {}): ProductMetrics {
  const registry = new Registry();
  const counts = visibilityCounts(opts.temporal);

  const casesByStage = new Gauge({
    name: 'frontier_review_open_cases',
    help: 'Open cases by stage (from Temporal visibility).',
    labelNames: ['stage'] as const,
    registers: [registry],
    async collect() {
      const c = await counts();
      for (const stage of OPEN_STAGES) this.set({ stage }, c.stages[stage] ?? 0);
    },
  });
  void casesByStage;
  new Gauge({
    name: 'frontier_review_cases_at_risk',
    help: 'Open cases with a stage at risk (80% of its time gone with decisions missing).',
    registers: [registry],
    async collect() {
      this.set((await counts()).atRisk);
    },
  });
  new Gauge({
    name: 'frontier_review_cases_overdue',
    help: 'Open cases with a stage past its deadline.',
    registers: [registry],
    async collect() {
      this.set((await counts()).overdue);
    },
  });
  new Gauge({
    name: 'frontier_review_cases_callback_failing',
    help: 'Cases whose lab callback has failed past the give-up horizon.',
    registers: [registry],
    async collect() {
      this.set((await counts()).callbackFailing);
    },
  });

  new Gauge({
    name: 'frontier_review_findings_open',
    help: 'Clearinghouse findings not yet rejected, remediated or disclosed, by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const c = await counts();
      this.set({ state: 'RECEIVED' }, c.findings.received);
      this.set({ state: 'VALIDATED' }, c.findings.validated);
    },
  });
  new Gauge({
    name: 'frontier_review_findings_overdue',
    help: 'Clearinghouse findings past a deadline: validation (RECEIVED) or remediation (VALIDATED).',
    labelNames: ['deadline'] as const,
    registers: [registry],
    async collect() {
      const c = await counts();
      this.set({ deadline: 'validation' }, c.findings.validationOverdue);
      this.set({ deadline: 'remediation' }, c.findings.remediationOverdue);
    },
  });

  new Gauge({
    name: 'frontier_review_commitments_open',
    help: 'Commitments not yet confirmed, disputed or closed overdue, by state (OVERDUE: past due, unattested).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const c = await counts();
      this.set({ state: 'OPEN' }, c.commitments.open);
      this.set({ state: 'ATTESTED' }, c.commitments.attested);
      this.set({ state: 'OVERDUE' }, c.commitments.overdue);
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'frontier_review_http_request_duration_seconds',
      help: 'API request latency.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'frontier_review_decisions_total',
      help: 'Agency decisions recorded through the API.',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    callbackDeliveries: new Counter({
      name: 'frontier_review_callback_attempts_total',
      help: 'Lab callback deliveries by outcome: events delivered, attempts failed retryably or rejected.',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

/** Visibility did not answer a scrape's counts in time, and no earlier counts are known. */
export class VisibilityUnavailable extends Error {
  constructor(cause: unknown) {
    super('the visibility counts did not answer in time', { cause });
  }
}

interface Counts {
  stages: Partial<Record<string, number>>;
  atRisk: number;
  overdue: number;
  callbackFailing: number;
  findings: { received: number; validated: number; validationOverdue: number; remediationOverdue: number };
  commitments: { open: number; attested: number; overdue: number };
}

/** How long the visibility counts of one scrape may take; past it the scrape answers with what it has. */
const COUNT_DEADLINE_MS = 3_000;

/**
 * The open cases counted by visibility, cached for a moment. Each count has a deadline: when visibility is
 * slow, a scrape gets the last counts that answered (a scrape never hangs), or, when none ever did, an error
 * the scrape endpoint answers with 503 and Retry-After.
 */
function visibilityCounts(temporal: Client | undefined): () => Promise<Counts> {
  let cached: { at: number; value: Promise<Counts> } | undefined;
  let lastGood: Counts | undefined;
  const count = async (query: string) =>
    temporal === undefined
      ? 0
      : (
          await temporal.connection.withDeadline(Date.now() + COUNT_DEADLINE_MS, () =>
            temporal.workflow.count(`ExecutionStatus = 'Running' AND ${query}`),
          )
        ).count;
  const review = (q: string) => workflowsWhere(REVIEW_WORKFLOW_TYPE, q);
  const finding = (state: string, flag?: string) =>
    workflowsWhere(
      FINDING_WORKFLOW_TYPE,
      `${SA.findingState.name} = '${state}'`,
      flag === undefined ? undefined : `${SA.flags.name} = '${flag}'`,
    );
  const commitment = (state: string) =>
    workflowsWhere(COMMITMENT_WORKFLOW_TYPE, `${SA.itemState.name} = '${state}'`);
  /** Every count, all at once; it settles only when every call has ended, so none is left in flight. */
  const read = async (): Promise<Counts> => {
    const queries = [
      ...OPEN_STAGES.map((s) => review(`${SA.stage.name} = '${s}'`)),
      review(`${SA.atRisk.name} = true`),
      review(`${SA.overdue.name} = true`),
      review(`${SA.callbackFailing.name} = true`),
      finding('RECEIVED'),
      finding('VALIDATED'),
      finding('RECEIVED', 'VALIDATION_OVERDUE'),
      finding('VALIDATED', 'REMEDIATION_OVERDUE'),
      commitment('OPEN'),
      commitment('ATTESTED'),
      commitment('OVERDUE'),
    ];
    const settled = await Promise.allSettled(queries.map(count));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const n = settled.map((r) => (r as PromiseFulfilledResult<number>).value);
    const stages = Object.fromEntries(OPEN_STAGES.map((s, i) => [s, n[i]]));
    const [
      atRisk,
      overdue,
      callbackFailing,
      received,
      validated,
      validationOverdue,
      remediationOverdue,
      commitmentsOpen,
      attested,
      commitmentsOverdue,
    ] = n.slice(OPEN_STAGES.length);
    return {
      stages,
      atRisk,
      overdue,
      callbackFailing,
      findings: { received, validated, validationOverdue, remediationOverdue },
      commitments: { open: commitmentsOpen, attested, overdue: commitmentsOverdue },
    };
  };
  return () => {
    if (cached === undefined || Date.now() - cached.at > CACHE_MS) {
      const value = read().then(
        (counts) => (lastGood = counts),
        (err: unknown) => {
          cached = undefined;
          if (lastGood !== undefined) return lastGood;
          throw new VisibilityUnavailable(err);
        },
      );
      cached = { at: Date.now(), value };
    }
    return cached.value;
  };
}

/** Our metrics followed by the Temporal runtime's (served by its core on a loopback port), as one scrape. */
export async function renderMetrics(
  m: ProductMetrics,
  runtimeMetricsUrl: string | undefined,
): Promise<string> {
  const ours = await m.registry.metrics();
  if (runtimeMetricsUrl === undefined) return ours;
  try {
    const res = await fetch(runtimeMetricsUrl, { signal: AbortSignal.timeout(2_000) });
    return `${ours}\n${await res.text()}`;
  } catch {
    return `${ours}\n# temporal runtime metrics unavailable from ${runtimeMetricsUrl}\n`;
  }
}

/** Where this process's Temporal runtime serves its metrics, if it does. */
export const runtimeMetricsUrl = (config: { TEMPORAL_RUNTIME_METRICS_PORT: number }): string | undefined =>
  config.TEMPORAL_RUNTIME_METRICS_PORT === 0
    ? undefined
    : `http://127.0.0.1:${config.TEMPORAL_RUNTIME_METRICS_PORT}/metrics`;
