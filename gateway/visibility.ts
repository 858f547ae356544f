import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { caseIdOfWorkflow, submissionIdOfCase } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { asRecorded } from '../shared/domain/sealed';
import { iso } from '../shared/domain/time';
import { ApiError } from './problem';
import type { CaseSummary } from '../shared/api/responses';
import { isInvalidArgument, mapped } from './temporal-errors';

/**
 * Lists of cases come from Temporal's visibility store, filtered by the product's search attributes. It is
 * eventually consistent: a case changed a moment ago may still be listed as it was.
 */

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;

export { casesWhere, literal, workflowsWhere } from '../shared/node/visibility-query';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

const AwaitingDue = z.record(z.string().max(64), z.iso.datetime());

const isoOrNone = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : iso(ms));

/** A listed case from visibility alone: its search attributes and the memo the gateway wrote (no read of the case). */
async function summaryOf(
  client: Client,
  raw: temporal.api.workflow.v1.IWorkflowExecutionInfo,
): Promise<CaseSummary> {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  // Opened as the case's own: a memo copied from another workflow opens to nothing (shared/node/payload-codec.ts).
  const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, raw.memo?.fields, {
    type: 'workflow',
    namespace: client.options.namespace,
    workflowId: raw.execution?.workflowId ?? '',
  });
  const model = asRecorded(memo?.model);
  // Each awaited agency's own deadline, kept once a case runs on this release's workers (the inbox sorts by it).
  const awaitingDue = AwaitingDue.safeParse(memo?.awaitingDue);
  const caseId = caseIdOfWorkflow(raw.execution?.workflowId ?? '');
  const date = (d: Date | undefined) => (d === undefined ? undefined : iso(d));
  return {
    caseId,
    submissionId: submissionIdOfCase(caseId),
    labId: sa.get(SA.lab),
    stage: sa.get(SA.stage) as CaseSummary['stage'],
    policy: sa.get(SA.policy),
    nextDeadline: date(sa.get(SA.nextDeadline)),
    nextDeadlineParty: sa.get(SA.nextParty),
    model: typeof model === 'string' ? model : undefined,
    windowEnd: date(sa.get(SA.windowEnd)),
    atRisk: sa.get(SA.atRisk),
    overdue: sa.get(SA.overdue),
    outcome: sa.get(SA.outcome),
    callbackFailing: sa.get(SA.callbackFailing),
    flags: sa.get(SA.flags) ?? [],
    awaiting: sa.get(SA.awaiting) ?? [],
    ...(awaitingDue.success ? { awaitingDue: awaitingDue.data } : {}),
    running: raw.status === RUNNING,
    startedAt: isoOrNone(optionalTsToMs(raw.startTime)) ?? iso(0),
    closedAt: isoOrNone(optionalTsToMs(raw.closeTime)),
  };
}

/**
 * A cursor is Temporal's page token with a check bound to the query it came from. Temporal answers a
 * damaged token with a retryable error (so the client would retry until its deadline); the check turns a
 * damaged cursor, or one from another list or filter, into a 400 at once.
 */
const check = (query: string, token: string): string =>
  createHash('sha256').update(`${query}\n${token}`).digest('hex').slice(0, 16);

export const encodeCursor = (query: string, token: Uint8Array): string => {
  const t = Buffer.from(token).toString('base64url');
  return `${t}.${check(query, t)}`;
};

function decodeCursor(query: string, cursor: string): Buffer {
  const [t, sum] = cursor.split('.');
  if (t === undefined || sum !== check(query, t)) {
    throw new ApiError('CURSOR_NOT_VALID', 'the cursor is not valid for this list', [
      {
        in: 'querystring',
        path: '/cursor',
        code: 'invalid_value',
        message: 'use the nextCursor of this same list',
      },
    ]);
  }
  return Buffer.from(t, 'base64url');
}

/** One page of cases, newest first. */
export async function listCases(
  client: Client,
  query: string,
  pageSize: number,
  cursor: string | undefined,
  timeoutMs: number,
): Promise<Page<CaseSummary>> {
  return listPage(client, query, pageSize, cursor, timeoutMs, (e) => summaryOf(client, e));
}

/** One page of any workflows a query matches, each mapped from visibility alone. */
export async function listPage<T>(
  client: Client,
  query: string,
  pageSize: number,
  cursor: string | undefined,
  timeoutMs: number,
  map: (raw: temporal.api.workflow.v1.IWorkflowExecutionInfo) => T | Promise<T>,
): Promise<Page<T>> {
  const { connection } = client;
  try {
    const response = await mapped(() =>
      connection.withDeadline(Date.now() + timeoutMs, () =>
        client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query,
          pageSize,
          nextPageToken: cursor === undefined ? undefined : decodeCursor(query, cursor),
        }),
      ),
    );
    const token = response.nextPageToken;
    return {
      items: await Promise.all(response.executions.map(map)),
      nextCursor: token && token.length > 0 ? encodeCursor(query, token) : undefined,
    };
  } catch (err) {
    if (isInvalidArgument(err))
      throw new ApiError('CURSOR_NOT_VALID', 'the cursor is not valid for this list');
    throw err;
  }
}

/** How many cases a query matches, from visibility's count (no case is listed). */
export async function countCases(client: Client, query: string, timeoutMs: number): Promise<number> {
  const { count } = await mapped(() =>
    client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflow.count(query)),
  );
  return count;
}

/** Every case a query matches, page by page (for operations' fan-out actions). */
export async function* allCases(
  client: Client,
  query: string,
  timeoutMs: number,
): AsyncGenerator<CaseSummary> {
  let cursor: string | undefined;
  do {
    const page = await listCases(client, query, 100, cursor, timeoutMs);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
