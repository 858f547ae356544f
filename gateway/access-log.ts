import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AccessEntry, type AccessAction } from '../shared/api/access-log';
import { submissionIdOfCase } from '../shared/domain/review/workflow';
import type { Caller } from './auth';
import { ApiError } from './problem';

/**
 * The access log: every read of a case by a government principal, every restricted note opened, every payload
 * decoded for a person, every key or lab change and every read of this log, with who, when, what and from which
 * credential. Append-only JSON lines in ACCESS_LOG_FILE, written before the answer leaves: when the line
 * cannot be written, nothing restricted is served (503 ACCESS_LOG_UNAVAILABLE).
 */
export class AccessLog {
  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Records one access by the request's caller; throws ACCESS_LOG_UNAVAILABLE when it cannot be written. */
  async record(
    req: FastifyRequest,
    caller: Caller,
    action: AccessAction,
    what: { caseId?: string; submissionId?: string; subject?: string; count?: number } = {},
  ): Promise<void> {
    const submissionId =
      what.submissionId ?? (what.caseId === undefined ? undefined : submissionIdOfCase(what.caseId));
    const entry = AccessEntry.parse({
      id: randomUUID(),
      at: new Date().toISOString(),
      principal: caller.principal,
      keyId: caller.keyId,
      by: caller.by,
      action,
      ...what,
      submissionId,
      requestId: req.id,
    });
    try {
      await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch (err) {
      req.log.error({ err, action }, 'access log not written');
      throw new ApiError('ACCESS_LOG_UNAVAILABLE', undefined, undefined, { cause: err });
    }
  }

  /** Entries that match, newest first, from the entry before `before` (a position in the log) on. */
  async query(
    filter: {
      caseId?: string;
      submissionId?: string;
      principal?: string;
      action?: AccessAction;
      since?: string;
    },
    pageSize: number,
    before?: number,
  ): Promise<{ items: AccessEntry[]; next?: number }> {
    if (!existsSync(this.file)) return { items: [] };
    const lines = (await readFile(this.file, 'utf8')).split('\n').filter((l) => l !== '');
    const items: AccessEntry[] = [];
    for (let i = Math.min(before ?? lines.length, lines.length) - 1; i >= 0; i -= 1) {
      const e = AccessEntry.parse(JSON.parse(lines[i]));
      if (filter.since !== undefined && e.at < filter.since) break;
      const matches =
        (filter.caseId === undefined || e.caseId === filter.caseId) &&
        (filter.submissionId === undefined || e.submissionId === filter.submissionId) &&
        (filter.principal === undefined || e.principal === filter.principal) &&
        (filter.action === undefined || e.action === filter.action);
      if (!matches) continue;
      if (items.length === pageSize) return { items, next: i + 1 };
      items.push(e);
    }
    return { items };
  }
}
