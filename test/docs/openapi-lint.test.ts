import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { withGateway } from '../gateway/support';

/**
 * Issue 17: the OpenAPI document passes an OpenAPI linter, Redocly's recommended rules as errors
 * (redocly.yaml; the one accepted finding is explained in .redocly.lint-ignore.yaml).
 */
describe('the OpenAPI document under an OpenAPI linter', () => {
  it('passes `redocly lint` with no error and no warning', async function () {
    this.timeout(120_000);
    const file = path.join(PROJECT_ROOT, 'test-results', 'openapi.json');
    await withGateway(async (gw) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, (await gw.call(undefined, 'GET', '/openapi.json')).text);
    });
    const report = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [require.resolve('@redocly/cli/bin/cli.js'), 'lint', 'test-results/openapi.json', '--format=json'],
        { cwd: PROJECT_ROOT, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) =>
          resolve({
            code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
            out: stdout + stderr,
          }),
      );
    });
    const json = report.out.slice(report.out.indexOf('{'));
    const { totals, problems } = JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; message: string }[];
    };
    assert.deepEqual(
      problems.map((p) => `${p.ruleId}: ${p.message}`),
      [],
    );
    assert.deepEqual([totals.errors, totals.warnings, totals.ignored], [0, 0, 1]);
    assert.equal(report.code, 0);
  });
});
