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
      // The fixture's tests run in the order written (no seed), so "after it" means after it.
      { cwd: PROJECT_ROOT, env: { ...process.env, TEST_SEED: '', FRONTIER_REVIEW_FULL_SUITE: '' } },
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
  it('a test that leaves the time-skipping clock locked fails itself, and the tests after it pass', async function () {
    this.timeout(3 * 60_000);
    const result = await runFixture('test/meta/fixtures/stuck-clock.fixture.ts');
    assert.deepEqual(
      result.failures.map((f) => f.title),
      ['leaves a workflow on a task queue no worker polls'],
    );
    assert.match(result.failures[0].err.message, /left the time-skipping server's clock locked/);
    assert.deepEqual(result.passes.map((p) => p.title).sort(), [
      'skips 90 days after it',
      'skips 90 days before it',
    ]);
  });
});
