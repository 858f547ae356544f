import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../../shared/node/logger';
import { PROJECT_ROOT } from '../../shared/node/tools';

/**
 * Logs of the servers and the SDK go to test-results/test-<process>.log (one file per mocha process: `main`,
 * or the parallel worker's number), so mocha's output stays readable.
 */
const dir = path.join(PROJECT_ROOT, 'test-results');

export function testLogger(name = process.env.MOCHA_WORKER_ID ?? 'main'): Logger {
  mkdirSync(dir, { recursive: true });
  return pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'frontier-review-test', process: name } },
    pino.destination({ dest: path.join(dir, `test-${name}.log`), sync: true }),
  );
}

/**
 * Every mocha process's log of this run so far (the dev server's lines are in the main process's), one file at
 * a time: a whole run's logs together are longer than the longest string V8 holds.
 */
export const testLogs = (): { name: string; text: string }[] =>
  readdirSync(dir)
    .filter((name) => /^test-.+\.log$/.test(name))
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
