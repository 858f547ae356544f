import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import type { z } from 'zod';

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

/**
 * One such store of records: `{ "version": 1, "<key>": [record, ...] }`, validated by its schema on every read,
 * created empty when missing, read again when it changed, and changed whole under its lock (the people
 * administrators enrol, people's passkeys).
 */
export class OwnerFileStore<R> {
  private records: R[] = [];
  private version = '';

  constructor(
    readonly file: string,
    private readonly what: string,
    private readonly schema: z.ZodType<{ version: 1 } & Record<string, unknown>>,
    private readonly key: string,
  ) {
    if (!existsSync(file)) this.write([]);
  }

  private read(): R[] {
    const parsed = this.schema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`${this.what} file ${this.file} is not valid: ${problems}`);
    }
    return parsed.data[this.key] as R[];
  }

  private write(records: R[]): void {
    writeOwnerFile(this.file, this.schema.parse({ version: 1, [this.key]: records }));
  }

  /** Every record as the file says now (one stat when it did not change). */
  list(): R[] {
    const version = fileVersion(this.file);
    if (version !== this.version) {
      this.records = this.read();
      this.version = version;
    }
    return [...this.records];
  }

  /** Reads the file under its lock, applies `change`, writes what it answers; answers its result. */
  async change<T>(change: (all: R[]) => { all: R[]; result: T }): Promise<T> {
    return underLock(this.file, () => {
      const { all, result } = change(this.read());
      this.write(all);
      return result;
    });
  }
}
