import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The product's small JSON stores on disk (API keys, passkeys, callback secrets, key rings): each written whole,
 * readable by its owner only, atomically (a crash never leaves half a file), changed under a lock that other
 * processes sharing the file wait for, and read again when its version changes.
 */

/** Writes `value` as the file's JSON, mode 0600, through a temporary file and a rename. */
export function writeOwnerFile(file: string, value: unknown, dirMode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true, ...(dirMode === undefined ? {} : { mode: dirMode }) });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** What identifies one version of the file: every write renames a new file in, with a new inode. */
export function fileVersion(file: string): string {
  const s = statSync(file, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
}

/** Runs `change` holding the file's lock: a change by another process waits, or fails after about ten seconds. */
export async function underLock<T>(file: string, change: () => T | Promise<T>): Promise<T> {
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: 10_000,
    retries: { retries: 50, minTimeout: 10, maxTimeout: 200 },
  });
  try {
    return await change();
  } finally {
    await release();
  }
}
