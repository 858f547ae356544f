import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { guardAgainstOrphaning } from '../../shared/node/dev-server';
import { isAlive } from '../../shared/node/pids';

const OWNER = 'owner.pid';
const HOURS_6 = 6 * 3_600_000;

/**
 * A fresh temporary directory for this test run, named `<prefix>-*` and recorded as this process's. A run
 * killed with a signal cannot remove its own, so each run first removes those whose owner is gone (and
 * unowned ones older than six hours, from before owners were recorded).
 */
export function claimRunDir(prefix: string): string {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(`${prefix}-`)) continue;
    const dir = path.join(tmpdir(), name);
    const owner = path.join(dir, OWNER);
    const stale = existsSync(owner)
      ? !isAlive(Number(readFileSync(owner, 'utf8')))
      : Date.now() - statSync(dir).mtimeMs > HOURS_6;
    if (stale) rmSync(dir, { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  writeFileSync(path.join(dir, OWNER), String(process.pid));
  return dir;
}

/**
 * Guards the processes this one started that no handle of ours can stop if we are killed (the time-skipping
 * server, which the SDK's core starts): each is stopped once this process is gone.
 */
export function guardChildren(matching: RegExp): number {
  let guarded = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (ppid === process.pid && matching.test(cmdline)) {
        guardAgainstOrphaning(Number(entry));
        guarded++;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return guarded;
}
