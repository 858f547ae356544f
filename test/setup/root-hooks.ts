import type { Context } from 'mocha';
import { setCurrentTestTitle } from './current-test';
import { startTestServers, stopTestServers } from './servers';

// Both real Temporal servers start once per run and stop at the end, even when tests fail.
export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(15 * 60_000); // the first run on a fresh machine builds the CLI and resolves the test server
    await startTestServers();
  },
  beforeEach(this: Context) {
    setCurrentTestTitle(this.currentTest?.fullTitle() ?? 'unknown');
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    await stopTestServers();
  },
};
