import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs one of the project's install scripts, which resolve (and on first use install) a tool and print its
 * path. The scripts hold the resolution order, so shell users and Node code agree on which binary runs.
 */
async function resolveTool(script: string): Promise<string> {
  try {
    const { stdout } = await run('bash', [path.join(PROJECT_ROOT, 'scripts', script)], {
      maxBuffer: 16 * 1024 * 1024,
      env: process.env,
    });
    const lines = stdout.trim().split('\n');
    return lines[lines.length - 1];
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`scripts/${script} failed${stderr ? `:\n${stderr}` : ''}`, { cause: err });
  }
}

/** The `temporal` CLI: $TEMPORAL_CLI_PATH, PATH, or the project-local build (built on first use). */
export const resolveTemporalCli = (): Promise<string> => resolveTool('install-temporal-cli.sh');

/** The launcher of Temporal's Java time-skipping test server (resolved with Maven on first use). */
export const resolveTestServer = (): Promise<string> => resolveTool('install-test-server.sh');

/** The folder with the Temporal server, temporal-sql-tool and schema/ (built with `go install` on first use). */
export const resolveTemporalServer = (): Promise<string> => resolveTool('install-temporal-server.sh');
