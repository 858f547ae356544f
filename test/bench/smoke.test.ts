import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../shared/node/tools';

const run = promisify(execFile);

interface PhaseResult {
  completed: number;
  failed: number;
}

// CI keeps the benchmark working at its smoke size; figures are the benchmark's business, not a test's.
describe('npm run bench -- --smoke', () => {
  it('drives every review and baseline case to completion and writes the figures', async function () {
    this.timeout(5 * 60_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const json = path.join(dir, 'smoke.json');
    // Where a deployment keeps its records and its record-signing key: the bench must use neither (its cases
    // are no deployment's, and a cluster's key is not the bench's to have).
    const deployment = {
      RECORDS_DIR: path.join(dir, 'deployment-records'),
      RECORD_SIGNING_KEY_FILE: path.join(dir, 'deployment-keys', 'record-signing.pem'),
      RECORD_VERIFYING_KEY_FILE: path.join(dir, 'deployment-keys', 'record-verifying.pem'),
    };
    await run('npx', ['tsx', 'bench/run.ts', '--smoke', '--json', json], {
      cwd: PROJECT_ROOT,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, TEMPORAL_ADDRESS: '', ...deployment },
    });
    const figures = JSON.parse(readFileSync(json, 'utf8')) as {
      review: PhaseResult;
      baseline: PhaseResult;
      plaintext: PhaseResult;
    };
    assert.deepEqual(
      [figures.review, figures.baseline, figures.plaintext].map((p) => [p.completed, p.failed]),
      [
        [4, 0],
        [4, 0],
        [4, 0],
      ],
    );
    assert.deepEqual(
      Object.values(deployment).filter((p) => existsSync(p)),
      [],
      "the bench wrote into the deployment's records or made its key",
    );
  });
});
