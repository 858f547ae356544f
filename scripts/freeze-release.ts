import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { RELEASE } from '../workflows/release';

/**
 * Freezes the workflow code of this release: bundles workflows/ exactly as a worker would and writes it to
 * test/fixtures/bundles/<release>.js, which the replay tests and the upgrade drill run as "the previous
 * release". A frozen bundle is never overwritten: a changed workflow is a new release.
 */
async function main(): Promise<void> {
  const file = path.resolve(__dirname, '..', 'test', 'fixtures', 'bundles', `${RELEASE}.js`);
  if (existsSync(file)) throw new Error(`${file} exists: ${RELEASE} is already frozen`);
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  process.stdout.write(`froze ${RELEASE}: ${file} (${(code.length / 1e6).toFixed(2)} MB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
