import type { Context, Suite } from 'mocha';
import { seededRandom, shuffled } from '../../scripts/shuffle';
import { writeLedger } from '../helpers/ledger';
import { closeReplayer } from '../helpers/replay';
import { setCurrentTestTitle } from './current-test';
import { closeSharedChromium } from '../helpers/chromium';
import { runEnv } from './run-env';
import { recordFileTime } from './file-times';
import {
  discardTimeSkipping,
  enterTestFile,
  startTestServers,
  stopTestServers,
  stopTimeSkipping,
} from './servers';

/** Shuffles the suites and tests under `suite` in place (they have not run yet: this runs first). */
function shuffleSuite(suite: Suite, random: () => number): void {
  suite.tests = shuffled(suite.tests, random);
  suite.suites = shuffled(suite.suites, random);
  for (const child of suite.suites) shuffleSuite(child, random);
}

/** A parallel run's worker: mocha runs each test file as a root suite of its own, so these hooks run per file. */
const inParallelWorker = process.env.MOCHA_WORKER_ID !== undefined;

/** The file a parallel worker is running, and when it began (./file-times.ts). */
let running: { file: string; since: number } | undefined;

/**
 * Each mocha process starts its servers once (./servers.ts; the dev server and the bundles come from the
 * global setup). Each test file gets a time-skipping server of its own, stopped when the next file starts.
 */
export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(5 * 60_000);
    // With a seed (npm test sets one), the tests of each file run in the order it gives; the files are
    // shuffled by scripts/test-files.ts with the same seed.
    const seed = Number(process.env.TEST_SEED);
    if (Number.isSafeInteger(seed) && this.test?.parent !== undefined) {
      const random = seededRandom(seed);
      for (const file of this.test.parent.suites) shuffleSuite(file, random);
    }
    const file = this.test?.parent?.suites[0]?.file;
    if (inParallelWorker && file !== undefined) running = { file, since: Date.now() };
    await startTestServers();
  },
  async beforeEach(this: Context) {
    setCurrentTestTitle(this.currentTest?.fullTitle() ?? 'unknown');
    await enterTestFile(this.currentTest?.file ?? 'unknown');
  },
  async afterEach(this: Context) {
    // A failed test may have left its workflows running (a timed-out test goes on in the background): the
    // tests after it get a time-skipping server it never touched.
    if (this.currentTest?.state === 'failed') discardTimeSkipping();
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    await stopTimeSkipping();
    // What this process's tests asserted, for the global teardown's checks across every process.
    writeLedger(runEnv().dir);
    if (running !== undefined) recordFileTime(runEnv().dir, running.file, Date.now() - running.since);
    running = undefined;
    // A parallel worker runs more files and stops with the pool; a serial run ends here.
    if (!inParallelWorker) {
      await closeReplayer();
      await stopTestServers();
      await closeSharedChromium();
    }
  },
};
