import { parseArgs } from 'node:util';

export interface BenchOptions {
  mode: 'lifecycle' | 'scale' | 'saturate';
  /** Saturation: the highest concurrency tried. */
  saturateMax: number;
  /** Against the cluster profile (`npm run cluster`) rather than a dev server of the bench's own. */
  cluster: boolean;
  /** The cluster profile's folder when it runs on this machine (set by run.ts with --cluster). */
  clusterDir?: string;
  cases: number;
  concurrency: number;
  seed: number;
  windowSeconds: number;
  warmup: number;
  json: string;
  /** A prebuilt bundle holding the product's workflows and the baseline; otherwise the bench bundles them. */
  bundle?: string;
  timeoutMinutes: number;
  scale: number;
  scaleAtRisk: number;
  scaleConcurrency: number;
  scaleOpenMinutes: number;
  scaleIntakeWindow: number;
  scaleWorkload: 'review' | 'baseline';
  /** On an existing cluster: leave the cases open, so later runs top the total up. */
  scaleKeep: boolean;
  /** Undefined keeps the SDK's default, as the product's worker does. */
  maxCachedWorkflows?: number;
  queryRepeats: number;
  smoke: boolean;
}

export const USAGE = `npm run bench -- [options]

  Lifecycle run (default): N cases through their whole life, then the baseline at the same concurrency.
    --cases N            cases per workload (default 50)
    --concurrency N      cases in flight at once (default 10)
    --window SECONDS     the benchmark policy's pre-release window (default 20; stages keep their shares)
    --warmup N           cases of each workload run first and not counted (default 2)
    --seed N             seed of the agencies' order and positions (default 42)
  Scale run:
    --scale [N]          open N cases (default 10000) on the 90-day policy and leave them waiting
    --scale-at-risk F    share of them on a policy whose first stage is at risk after 10 s (default 0.1)
    --scale-concurrency N  starts in flight at once (default 50)
    --scale-intake-window N  at most N cases started but not yet through intake (default 100)
    --scale-open-minutes M  measure at whatever size is open after M minutes (default 60)
    --scale-workload W   review (default) or baseline: run twice for the ratio
    --scale-keep         on an existing cluster, leave the cases open (a later run tops the total up)
    --max-cached-workflows N  the worker's sticky cache (default: the product's, WORKER_MAX_CACHED_WORKFLOWS, 500)
    --query-repeats N    repetitions of each list query (default 20)
  Saturation run:
    --saturate           each workload at concurrency --concurrency (default 5), doubled until completed cases
                         per second rise by less than 10 %, a case fails, or --saturate-max (default 320);
                         3 × concurrency cases a step; reports each step, the knee and its ratio
  Every mode:
    --cluster            against the cluster profile (npm run cluster), at 127.0.0.1:$CLUSTER_TEMPORAL_PORT
                         (7233); TEMPORAL_ADDRESS, when set, names any other existing cluster
    --smoke              a quick size for CI: 4 cases, concurrency 4, 12-second window, the lifecycle's three
                         phases at once (figures that say nothing); or --scale 200
    --bundle PATH        a prebuilt workflow bundle with the product's workflows and benchBaseline (as
                         bench/workflows.ts exports them), instead of bundling them at the start
    --json PATH          where to write the results (default bench-results/latest.json,
                         bench-results/latest-scale-<workload>.json in scale mode)
    --timeout MINUTES    stop everything after this long (default 60, 180 in scale mode)
`;

const int = (name: string, v: string | undefined, dflt: number, min: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number >= ${min}, got ${v}`);
  return n;
};
const num = (name: string, v: string | undefined, dflt: number, min: number, max: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be in [${min}, ${max}], got ${v}`);
  return n;
};

/** Parses the command line; `--scale` may stand alone (10,000 cases). Returns undefined for --help. */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const args = [...argv];
  const at = args.indexOf('--scale');
  if (at >= 0 && (args[at + 1] === undefined || !/^\d+$/.test(args[at + 1]))) args.splice(at + 1, 0, '10000');
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      window: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      'scale-at-risk': { type: 'string' },
      'scale-concurrency': { type: 'string' },
      'scale-open-minutes': { type: 'string' },
      'scale-intake-window': { type: 'string' },
      'scale-workload': { type: 'string' },
      'scale-keep': { type: 'boolean', default: false },
      'max-cached-workflows': { type: 'string' },
      'query-repeats': { type: 'string' },
      smoke: { type: 'boolean', default: false },
      saturate: { type: 'boolean', default: false },
      'saturate-max': { type: 'string' },
      cluster: { type: 'boolean', default: false },
      json: { type: 'string' },
      bundle: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return undefined;
  const smoke = values.smoke === true;
  const workload = values['scale-workload'] ?? 'review';
  if (workload !== 'review' && workload !== 'baseline') {
    throw new Error(`--scale-workload must be review or baseline, got ${workload}`);
  }
  if (values.scale !== undefined && values.saturate === true)
    throw new Error('--scale and --saturate exclude each other');
  const mode = values.scale !== undefined ? 'scale' : values.saturate === true ? 'saturate' : 'lifecycle';
  return {
    mode,
    smoke,
    cluster: values.cluster === true,
    saturateMax: int('saturate-max', values['saturate-max'], smoke ? 8 : 320, 1),
    cases: int('cases', values.cases, smoke ? 4 : 50, 1),
    concurrency: int('concurrency', values.concurrency, smoke ? 4 : mode === 'saturate' ? 5 : 10, 1),
    windowSeconds: num('window', values.window, smoke ? 12 : mode === 'saturate' ? 5 : 20, 4, 3600),
    warmup: int('warmup', values.warmup, smoke ? 0 : 2, 0),
    seed: int('seed', values.seed, 42, 0),
    scale:
      smoke && values.scale === '10000' && at >= 0 && !/^\d+$/.test(argv[at + 1] ?? '')
        ? 200
        : int('scale', values.scale, 10_000, 1),
    scaleAtRisk: num('scale-at-risk', values['scale-at-risk'], 0.1, 0, 1),
    scaleConcurrency: int('scale-concurrency', values['scale-concurrency'], 50, 1),
    scaleWorkload: workload,
    scaleKeep: values['scale-keep'] === true,
    maxCachedWorkflows:
      values['max-cached-workflows'] === undefined
        ? undefined
        : int('max-cached-workflows', values['max-cached-workflows'], 0, 0),
    scaleIntakeWindow: int('scale-intake-window', values['scale-intake-window'], 100, 1),
    scaleOpenMinutes: num('scale-open-minutes', values['scale-open-minutes'], 60, 0.5, 24 * 60),
    queryRepeats: int('query-repeats', values['query-repeats'], smoke ? 5 : 20, 1),
    bundle: values.bundle,
    json:
      values.json ??
      (mode === 'scale'
        ? `bench-results/latest-scale-${workload}.json`
        : mode === 'saturate'
          ? 'bench-results/latest-saturation.json'
          : 'bench-results/latest.json'),
    timeoutMinutes: num('timeout', values.timeout, mode === 'scale' ? 180 : 60, 0.1, 24 * 60),
  };
}
