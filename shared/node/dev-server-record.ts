import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from './logger';
import { isAlive } from './pids';

/**
 * The embedded dev server's record beside its data (DATA_DIR/temporal-dev-server.json): which process serves
 * that data file. A start that finds a server a previous run left on its data (that run was killed before it
 * could stop it, and the guard did not either) stops it and starts a fresh one, and says so. It never adopts
 * one: a server it did not start has logs nobody reads and flags nobody chose.
 */
const DevServerRecord = z.object({
  pid: z.int().positive(),
  address: z.string(),
  dbFile: z.string(),
  startedAt: z.iso.datetime(),
});
type DevServerRecord = z.infer<typeof DevServerRecord>;

export const devServerRecordFile = (dataDir: string): string =>
  path.join(dataDir, 'temporal-dev-server.json');

/** Whether `pid` is a Temporal dev server serving `dbFile` (its command line says so; Linux /proc). */
function servesData(pid: number, dbFile: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('start-dev') && args.includes(dbFile);
  } catch {
    return false;
  }
}

/** Stops a server a previous run left on this data, if any, and says what it found. */
export async function stopLeftoverServer(dataDir: string, logger: Logger): Promise<void> {
  const file = devServerRecordFile(dataDir);
  if (!existsSync(file)) return;
  let record: DevServerRecord;
  try {
    record = DevServerRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    logger.warn({ file, err }, 'ignoring an unreadable dev server record');
    rmSync(file, { force: true });
    return;
  }
  if (!servesData(record.pid, record.dbFile)) {
    logger.info({ pid: record.pid }, 'the dev server of the previous run is gone; starting a fresh one');
    rmSync(file, { force: true });
    return;
  }
  logger.warn(
    { pid: record.pid, address: record.address, since: record.startedAt },
    'a dev server a previous run left is still serving this data: stopping it and starting a fresh one',
  );
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isAlive(record.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(record.pid)) process.kill(record.pid, 'SIGKILL');
  while (isAlive(record.pid)) await new Promise((r) => setTimeout(r, 50));
  rmSync(file, { force: true });
}

export function writeDevServerRecord(dataDir: string, record: Omit<DevServerRecord, 'startedAt'>): void {
  writeFileSync(
    devServerRecordFile(dataDir),
    `${JSON.stringify({ ...record, startedAt: new Date().toISOString() })}\n`,
  );
}

export function removeDevServerRecord(dataDir: string): void {
  rmSync(devServerRecordFile(dataDir), { force: true });
}
