import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ERRORS } from '../../shared/domain/errors';
import { freePort, startDevServer, type DevServer } from '../../shared/node/dev-server';
import { resolveTemporalCli, resolveTestServer } from '../../shared/node/tools';
import { startTimeSkippingPool, type TimeSkippingPool } from './time-skipping-pool';
import { writeBundle } from '../../scripts/build-bundle';
import { ALL_EVENT_TYPES, CLI_EXIT_CODES, readLedgers } from '../helpers/ledger';
import { claimRunDir } from './run-dirs';
import { RUN_ENV } from './run-env';
import { testLogger } from './test-logger';
import { slowestFiles } from './file-times';

/**
 * Once per run, in mocha's main process, before any test file loads or any parallel worker is forked: the
 * run's folder, its one dev server, the JVM that hosts its time-skipping servers and its two workflow bundles,
 * handed on through the environment (./run-env.ts). A mocha started by a test of the suite (the meta tests)
 * finds them set and shares them. Each mocha process asks for its own time-skipping servers (./servers.ts).
 */
let owned: { dir: string; dev: DevServer; pool?: TimeSkippingPool; since: number } | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env[RUN_ENV.dir] !== undefined) return;
  const since = Date.now();
  const logger = testLogger('main');
  const dir = claimRunDir('frontier-review-test');
  const cliPath = await resolveTemporalCli();
  const pool = await startTimeSkippingPool(await resolveTestServer(), logger);
  const dev = await startDevServer({
    cliPath,
    ip: '127.0.0.1',
    port: await freePort(),
    namespace: 'default',
    logger,
    // On a file, as npm start runs it, so tests can read what the server keeps (the leak scan).
    dbFile: path.join(dir, 'dev', 'temporal.db'),
  });
  owned = { dir, dev, pool, since };
  const testBundle = path.join(dir, 'test-workflows.js');
  const productBundle = path.join(dir, 'workflows.js');
  await writeBundle(testBundle, require.resolve('../fixtures/workflows'));
  await writeBundle(productBundle);
  Object.assign(process.env, {
    [RUN_ENV.dir]: dir,
    [RUN_ENV.devAddress]: dev.address,
    [RUN_ENV.testBundle]: testBundle,
    [RUN_ENV.productBundle]: productBundle,
    ...(pool && { [RUN_ENV.timeSkippingPool]: String(pool.port) }),
  });
  logger.info({ dir, dev: dev.address }, 'test run set up');
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (owned === undefined) return;
  const { dir, dev, pool, since } = owned;
  owned = undefined;
  try {
    await Promise.all([dev.stop(), pool?.stop()]);
    const table = path.join('test-results', 'file-times.tsv');
    for (const line of slowestFiles(dir, 15, table)) process.stdout.write(`${line}\n`);
    // The suite's budget is its time from this set-up to its end (docs/architecture.md "The test suite").
    process.stdout.write(`the run took ${((Date.now() - since) / 1000).toFixed(0)} s, set-up included\n`);
    const ledger = readLedgers(dir);
    // Every callback any test received kept the contract.
    assert.deepEqual(ledger.violations, [], 'callback bodies that break the documented contract');
    // A full run (npm test without arguments) asserts everything the guides promise, each by an explicit check.
    if (process.env.FRONTIER_REVIEW_FULL_SUITE === '1') {
      const missing = {
        errorCodes: Object.keys(ERRORS).filter((c) => !ledger.error.has(c)),
        eventTypes: ALL_EVENT_TYPES.filter((t) => !ledger.event.has(t)),
        callbackBodies: ALL_EVENT_TYPES.filter((t) => !ledger.delivered.has(t)),
        cliExitCodes: CLI_EXIT_CODES.filter((c) => !ledger.exit.has(c)),
      };
      assert.deepEqual(
        missing,
        { errorCodes: [], eventTypes: [], callbackBodies: [], cliExitCodes: [] },
        'behaviour the guides document that no test asserted',
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
