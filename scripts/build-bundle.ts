import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { bundleOptions } from '../workers/workflow-bundle';

/**
 * `npm run build:bundle -- <file>`: bundles the product's workflows once, ahead of deployment, into `<file>`
 * (default dist/workflow-bundle.js). A worker given WORKFLOW_BUNDLE_PATH=<file> starts without bundling.
 */
async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  await writeBundle(out);
  process.stdout.write(`${out}\n`);
}

/** Bundles the workflows at `workflowsPath` (the product's by default) into the file `out`. */
export async function writeBundle(out: string, workflowsPath?: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    ...bundleOptions(workflowsPath),
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
}

if (require.main === module) void main();
