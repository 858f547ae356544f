import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../shared/node/tools';

const run = promisify(execFile);

interface MochaJson {
  stats: { passes: number; failures: number };
  passes: { title: string }[];
  failures: { title: string; err: { message: string } }[];
}

/**
 * The fixture's mocha runs serially, its tests in the order written (no seed: "after it" means after it), and
 * adds nothing to the run's checks. Its stuck test locks the clock on purpose: the check that finds it locked
 * gives up after 5 s rather than the suite's 20 (a free clock answers a day's skip in well under that).
 */
function fixtureEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FREE_CLOCK_LIMIT_MS: '5000' };
  for (const name of ['MOCHA_WORKER_ID', 'TEST_SEED', 'FRONTIER_REVIEW_FULL_SUITE']) delete env[name];
  return env;
}

/** Runs one fixture file in a mocha process of its own (sharing this run's dev server and bundles); its JSON report. */
async function runFixture(file: string): Promise<MochaJson> {
  const dir = mkdtempSync(path.join(tmpdir(), 'frontier-review-meta-'));
  const report = path.join(dir, 'report.json');
  try {
    await run(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules/mocha/bin/mocha.js'),
        '--reporter',
        'json',
        '--reporter-option',
        `output=${report}`,
        file,
      ],
      { cwd: PROJECT_ROOT, env: fixtureEnv() },
    ).catch((err: { code?: number }) => {
      // mocha exits with the number of failures; the report says which.
      if (typeof err.code !== 'number') throw err;
    });
    return JSON.parse(readFileSync(report, 'utf8')) as MochaJson;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a failing test fails alone', () => {
  it('a test that leaves a workflow running (its task locking the time-skipping clock) fails itself, and the tests after it pass', async function () {
    this.timeout(3 * 60_000);
    const result = await runFixture('test/meta/fixtures/stuck-clock.fixture.ts');
    assert.deepEqual(
      result.failures.map((f) => f.title),
      ['leaves a workflow on a task queue no worker polls'],
    );
    assert.match(
      result.failures[0].err.message,
      /left workflows running that it did not track: forgotten-\S+ \(sleeper\)/,
    );
    assert.deepEqual(result.passes.map((p) => p.title).sort(), [
      'skips 90 days after it',
      'skips 90 days before it',
    ]);
  });
});
