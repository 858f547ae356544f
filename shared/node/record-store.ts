import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FINDING_RECORD_PREFIX } from '../domain/clearinghouse/workflow';
import { COMMITMENT_RECORD_PREFIX } from '../domain/commitments/workflow';
import { GRANT_RECORD_PREFIX } from '../domain/grants/workflow';

/** The records kept beside the cases' that are not cases: the archive's case listing leaves them out. */
const NOT_CASES = [FINDING_RECORD_PREFIX, COMMITMENT_RECORD_PREFIX, GRANT_RECORD_PREFIX];

/**
 * Where permanent records are kept (./permanent-record.ts). Written once: a second write of the same case finds
 * the first and leaves it, so an archiving activity that ran again (a retry, a worker killed after the write)
 * changes nothing. Another store (an object store with a write-once bucket) implements the same interface.
 */
export interface RecordStore {
  /** Stores the record unless one is stored for the case already. */
  putOnce(caseId: string, text: string): Promise<'WRITTEN' | 'EXISTS'>;
  get(caseId: string): Promise<string | undefined>;
  /**
   * Case ids in order, a page at a time: `after` is the last id of the page before. Findings' records
   * (`finding~<id>`, shared/domain/clearinghouse/workflow.ts) are kept beside them and are not listed.
   */
  list(page: { after?: string; limit: number }): Promise<{ caseIds: string[]; more: boolean }>;
  /** The first line of a record (its CASE entry), without reading the rest. */
  head(caseId: string): Promise<string | undefined>;
}

const SUFFIX = '.jsonl';

/** A directory of `<case id, URI-encoded>.jsonl` files, each created with a hard link so it appears whole. */
export class FileRecordStore implements RecordStore {
  constructor(readonly dir: string) {}

  private file(caseId: string): string {
    return path.join(this.dir, `${encodeURIComponent(caseId)}${SUFFIX}`);
  }

  async putOnce(caseId: string, text: string): Promise<'WRITTEN' | 'EXISTS'> {
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${randomBytes(8).toString('hex')}.tmp`);
    await writeFile(tmp, text, { mode: 0o640, flush: true });
    try {
      await link(tmp, this.file(caseId));
      return 'WRITTEN';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'EXISTS';
      throw err;
    } finally {
      await unlink(tmp);
    }
  }

  async get(caseId: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(caseId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async head(caseId: string): Promise<string | undefined> {
    let handle;
    try {
      handle = await open(this.file(caseId), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      for await (const line of handle.readLines()) return line;
      return undefined;
    } finally {
      await handle.close();
    }
  }

  async list(page: { after?: string; limit: number }): Promise<{ caseIds: string[]; more: boolean }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { caseIds: [], more: false };
      throw err;
    }
    const ids = names
      .filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))
      .map((n) => decodeURIComponent(n.slice(0, -SUFFIX.length)))
      .filter((id) => !NOT_CASES.some((prefix) => id.startsWith(prefix)))
      .sort()
      .filter((id) => page.after === undefined || id > page.after);
    return { caseIds: ids.slice(0, page.limit), more: ids.length > page.limit };
  }
}
