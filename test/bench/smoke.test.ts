import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { runEnv } from '../setup/run-env';

const run = promisify(execFile);

interface PhaseResult {
  completed: number;
  failed: number;
}

/** The seed of the agencies' order and positions: the run's TEST_SEED when it has one, else the bench's 42. */
const SEED = Number(process.env.TEST_SEED ?? 42);

// CI keeps the benchmark working at its smoke size; figures are the benchmark's business, not a test's.
describe(`npm run bench -- --smoke --seed ${SEED}`, () => {
  it('drives every review and baseline case to completion and writes the figures', async function () {
    this.timeout(2 * 60_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const json = path.join(dir, 'smoke.json');
    // Where a deployment keeps its records and its record-signing key: the bench must use neither (its cases
    // are no deployment's, and a cluster's key is not the bench's to have).
    const deployment = {
      RECORDS_DIR: path.join(dir, 'deployment-records'),
      RECORD_SIGNING_KEY_FILE: path.join(dir, 'deployment-keys', 'record-signing.pem'),
      RECORD_VERIFYING_KEY_FILE: path.join(dir, 'deployment-keys', 'record-verifying.pem'),
    };
    // `npm run bench` is `tsx bench/run.ts`; node with tsx's loader runs the same without npm's and npx's start.
    // The run's test bundle holds the product's workflows and the bench's baseline (test/fixtures/workflows.ts).
    const args = ['--smoke', '--seed', String(SEED), '--bundle', runEnv().testBundle, '--json', json];
    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
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
