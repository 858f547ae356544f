import path from 'node:path';

/**
 * What the global setup (./global-fixtures.ts) hands every mocha process of the run, through the environment:
 * mocha's parallel workers are forked after it ran and inherit it, and so do the processes tests spawn.
 */
export const RUN_ENV = {
  /** The run's own temporary folder: the dev server's data, the bundles, each process's ledger notes. */
  dir: 'FRONTIER_REVIEW_TEST_RUN_DIR',
  /** The run's one dev server (host:port), shared by every mocha process. */
  devAddress: 'FRONTIER_REVIEW_TEST_DEV_ADDRESS',
  /** The test workflows' bundle (test/fixtures/workflows.ts: the product's and the tests' own), built once. */
  testBundle: 'FRONTIER_REVIEW_TEST_BUNDLE',
  /** The control port of the run's time-skipping pool (./time-skipping-pool.ts), read by the test server's launcher. */
  timeSkippingPool: 'TEMPORAL_TEST_SERVER_POOL',
  /** The product's bundle, built once; product workers the tests spawn read it (README "Configuration"). */
  productBundle: 'WORKFLOW_BUNDLE_PATH',
} as const;

export interface RunEnv {
  dir: string;
  devAddress: string;
  /** The dev server's SQLite file (tests read what the server keeps: the leak scan). */
  devDbFile: string;
  testBundle: string;
}

/** The run's shared parts, from the environment the global setup left. */
export function runEnv(): RunEnv {
  const get = (name: string): string => {
    const value = process.env[name];
    if (value === undefined || value === '')
      throw new Error(`${name} is not set: run mocha with the project's .mocharc.json (its global setup)`);
    return value;
  };
  const dir = get(RUN_ENV.dir);
  return {
    dir,
    devAddress: get(RUN_ENV.devAddress),
    devDbFile: path.join(dir, 'dev', 'temporal.db'),
    testBundle: get(RUN_ENV.testBundle),
  };
}
