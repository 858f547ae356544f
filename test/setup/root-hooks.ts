import assert from 'node:assert/strict';
import type { Context, Suite } from 'mocha';
import { seededRandom, shuffled } from '../../scripts/shuffle';
import { ERRORS } from '../../shared/domain/errors';
import { LAB_EVENT_TYPES } from '../../shared/domain/review/events';
import { assertedSoFar, contractViolations } from '../helpers/ledger';
import { closeReplayer } from '../helpers/replay';
import { setCurrentTestTitle } from './current-test';
import { startTestServers, stopTestServers } from './servers';

/** The exit codes README "Command-line interface" documents. */
const CLI_EXIT_CODES = [0, 1, 2, 3, 70];

/** Shuffles the suites and tests under `suite` in place (they have not run yet: this runs first). */
function shuffleSuite(suite: Suite, random: () => number): void {
  suite.tests = shuffled(suite.tests, random);
  suite.suites = shuffled(suite.suites, random);
  for (const child of suite.suites) shuffleSuite(child, random);
}

// Both real Temporal servers start once per run and stop at the end, even when tests fail.
export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(15 * 60_000); // the first run on a fresh machine builds the CLI and resolves the test server
    // With a seed (npm test sets one), the tests of each file run in the order it gives; the files are
    // shuffled by scripts/test-files.ts with the same seed.
    const seed = Number(process.env.TEST_SEED);
    if (Number.isSafeInteger(seed) && this.test?.parent !== undefined) {
      const random = seededRandom(seed);
      for (const file of this.test.parent.suites) shuffleSuite(file, random);
    }
    await startTestServers();
  },
  beforeEach(this: Context) {
    setCurrentTestTitle(this.currentTest?.fullTitle() ?? 'unknown');
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    await closeReplayer();
    await stopTestServers();
    // Every callback any test received kept the contract.
    assert.deepEqual(contractViolations(), [], 'callback bodies that break the documented contract');
    // A full run (npm test without arguments) exercises everything the README promises.
    if (process.env.FRONTIER_REVIEW_FULL_SUITE === '1') {
      const seen = assertedSoFar();
      const missing = {
        errorCodes: Object.keys(ERRORS).filter((c) => !seen.error.has(c)),
        labEvents: LAB_EVENT_TYPES.filter((t) => !seen.event.has(t)),
        cliExitCodes: CLI_EXIT_CODES.filter((c) => !seen.exit.has(c)),
      };
      assert.deepEqual(
        missing,
        { errorCodes: [], labEvents: [], cliExitCodes: [] },
        'behaviour the README documents that no test asserted',
      );
    }
  },
};
