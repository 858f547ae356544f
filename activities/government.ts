import { Context } from '@temporalio/activity';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { countResults, type FanOut, type FanOutResult } from '../shared/domain/government/fan-out';
import {
  emptyGovernment,
  governmentWorkflowId,
  type GovernmentSnapshot,
} from '../shared/domain/government/state';
import { governmentQuery } from '../shared/domain/government/messages';
import { MESSAGES, type Message } from '../shared/domain/review/messages';
import { caseIdOfWorkflow, reviewWorkflowId, submissionIdOfCase } from '../shared/domain/review/workflow';
import type { Receipt } from '../shared/domain/review/receipt';
import { SA } from '../shared/domain/search-attributes';
import { casesWhere, literal } from '../shared/node/visibility-query';

/**
 * Stages of an open case where government clocks run: accepted, or (rules 7) waiting for its designation. A case
 * of earlier rules in DESIGNATION answers NOT_ACCEPTED, reported as refused.
 */
const ACCEPTED_STAGES = ['DESIGNATION', 'NATIONAL_SECURITY', 'CIVILIAN', 'DETERMINATION', 'PRE_RELEASE'];
/** Updates in flight at once: enough to finish thousands of cases in minutes, few enough to spare the server. */
const CONCURRENCY = 8;
/** How long one case may take to answer before it counts as out of reach for this round. */
const CASE_TIMEOUT_MS = 30_000;
/** Rounds for cases out of reach, and the pause before each: after them the answer names those still out of reach. */
const RETRY_PAUSES_MS = [2_000, 8_000, 30_000];

export interface GovernmentActivityDeps {
  /**
   * How long the list of open cases is given to catch up before it is read a second time, for cases accepted
   * while the message went out (visibility is eventually consistent).
   */
  visibilitySettleMs: number;
}

/** The messages the government sends to every open case. */
export type CaseMessage = 'tollClocks' | 'resumeClocks' | 'declareClosure';

/**
 * What the government-state workflow does in the world: read its own state for a case's acceptance, and send
 * one of its messages to every open case of the deployment. Both use the worker's client, which seals
 * payloads like the gateway does, and the activity's task queue, which names the deployment.
 */
export function createGovernmentActivities(deps: GovernmentActivityDeps) {
  return {
    /** The government's state now, for a case being accepted; nothing recorded yet is an empty state. */
    async governmentNow(): Promise<GovernmentSnapshot> {
      const { client, info } = Context.current();
      try {
        return await client.workflow.getHandle(governmentWorkflowId(info.taskQueue)).query(governmentQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return emptyGovernment();
        throw err;
      }
    },

    /**
     * Sends the message to every open, accepted case, twice over the visibility list (the second pass for
     * cases that became visible meanwhile), each with an update id derived from `operationKey` so that a
     * retry applies it once per case. Answers each case's result.
     */
    async reachOpenCases(input: {
      message: CaseMessage;
      payload: object;
      operationKey: string;
    }): Promise<FanOut> {
      const { client, info } = Context.current();
      const results = new Map<string, FanOutResult>();
      const send = (ids: string[]) =>
        forEach(ids, async (id) => {
          results.set(id, await sendTo(client, id, input.message, input.payload, input.operationKey));
          Context.current().heartbeat(results.size);
        });
      for (const pass of [1, 2]) {
        if (pass === 2) await Context.current().sleep(deps.visibilitySettleMs);
        await send((await openCases(client, info.taskQueue)).filter((id) => !results.has(id)));
      }
      // A retry (the last attempt's worker died) also asks the cases that closed since the first attempt was
      // scheduled: one it had reached answers with that update's receipt, so the report misses no case.
      if (info.attempt > 1) {
        const since = new Date(info.scheduledTimestampMs);
        await send((await casesClosedSince(client, info.taskQueue, since)).filter((id) => !results.has(id)));
      }
      // Same update ids: a case that did apply it answers with that, never twice.
      for (const pause of RETRY_PAUSES_MS) {
        const unreached = [...results.values()]
          .filter((r) => r.outcome === 'UNAVAILABLE')
          .map((r) => r.caseId ?? r.submissionId);
        if (unreached.length === 0) break;
        await Context.current().sleep(pause);
        await send(unreached);
      }
      return countResults([...results.values()]);
    },
  };
}

export type GovernmentActivities = ReturnType<typeof createGovernmentActivities>;

async function openCases(client: Client, taskQueue: string): Promise<string[]> {
  return caseIds(
    client,
    casesWhere(
      "ExecutionStatus = 'Running'",
      `TaskQueue = ${literal(taskQueue)}`,
      `${SA.stage.name} IN (${ACCEPTED_STAGES.map(literal).join(', ')})`,
    ),
  );
}

async function casesClosedSince(client: Client, taskQueue: string, since: Date): Promise<string[]> {
  return caseIds(
    client,
    casesWhere(
      "ExecutionStatus != 'Running'",
      `TaskQueue = ${literal(taskQueue)}`,
      `CloseTime >= ${literal(since.toISOString())}`,
    ),
  );
}

/** The cases a visibility query lists. */
async function caseIds(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query })) ids.push(caseIdOfWorkflow(w.workflowId));
  return ids;
}

async function forEach(ids: string[], fn: (id: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) await fn(ids[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
}

/** One case's answer: applied, refused with its code, or out of reach for now (the activity then retries). */
async function sendTo(
  client: Client,
  caseId: string,
  message: CaseMessage,
  payload: object,
  operationKey: string,
): Promise<FanOutResult> {
  const submissionId = submissionIdOfCase(caseId);
  try {
    const receipt = await client.connection.withDeadline(Date.now() + CASE_TIMEOUT_MS, () =>
      client.workflow
        .getHandle(reviewWorkflowId(caseId))
        .executeUpdate((MESSAGES[message] as Message).update, {
          args: [payload as never],
          updateId: `${operationKey}:${caseId}`,
        }),
    );
    return { caseId, submissionId, outcome: 'APPLIED', receipt: { seq: receipt.seq, at: receipt.at } };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return {
        caseId,
        submissionId,
        outcome: 'REJECTED',
        code: err.cause.type ?? undefined,
        detail: err.cause.message,
      };
    }
    // The case is closed: it has this message only if an earlier attempt reached it before it closed.
    if (err instanceof WorkflowNotFoundError) return earlierOutcome(client, caseId, operationKey);
    return {
      caseId,
      submissionId,
      outcome: 'UNAVAILABLE',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
}

/** What a closed case answered to this operation's update, if it got it before it closed. */
async function earlierOutcome(client: Client, caseId: string, operationKey: string): Promise<FanOutResult> {
  const submissionId = submissionIdOfCase(caseId);
  try {
    const receipt = await client.connection.withDeadline(Date.now() + CASE_TIMEOUT_MS, () =>
      client.workflow
        .getHandle(reviewWorkflowId(caseId))
        .getUpdateHandle<Receipt>(`${operationKey}:${caseId}`)
        .result(),
    );
    return { caseId, submissionId, outcome: 'APPLIED', receipt: { seq: receipt.seq, at: receipt.at } };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { caseId, submissionId, outcome: 'REJECTED', code: 'CASE_CLOSED', detail: 'the case closed' };
    }
    return {
      caseId,
      submissionId,
      outcome: 'UNAVAILABLE',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
}
