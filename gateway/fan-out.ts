import type { UpdateDefinition } from '@temporalio/common';
import type { Receipt } from '../shared/domain/messages';
import type { Caller } from './auth';
import { ApiError } from './problem';
import type { RouteContext } from './routes/context';
import type { FanOutResult } from './schemas';
import { allCases, casesWhere, literal } from './visibility';

/** Stages of an accepted, open case: where government clocks run. */
const ACCEPTED_STAGES = ['NATIONAL_SECURITY', 'CIVILIAN', 'DETERMINATION', 'PRE_RELEASE'];
/** Updates in flight at once: enough to finish thousands of cases in minutes, few enough to spare the server. */
const CONCURRENCY = 8;

/**
 * Sends one update to every open, accepted case this deployment's workers serve (its task queue), from a
 * visibility list, and reports each case's result. The update id is derived from `operationKey`, so
 * repeating the whole request applies it once per case and picks up cases that became visible since.
 */
export async function fanOut<T>(
  ctx: RouteContext,
  caller: Caller,
  update: UpdateDefinition<Receipt, [T]>,
  payload: T,
  operationKey: string,
): Promise<FanOutResult[]> {
  const where = casesWhere(
    "ExecutionStatus = 'Running'",
    `TaskQueue = ${literal(ctx.taskQueue)}`,
    `ReviewStage IN (${ACCEPTED_STAGES.map(literal).join(', ')})`,
  );
  const ids: string[] = [];
  for await (const c of allCases(ctx.temporal, where, ctx.callTimeoutMs)) ids.push(c.submissionId);

  const results: FanOutResult[] = new Array<FanOutResult>(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      results[i] = await applyOne(ctx, caller, ids[i], update, payload, operationKey);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return results;
}

async function applyOne<T>(
  ctx: RouteContext,
  caller: Caller,
  submissionId: string,
  update: UpdateDefinition<Receipt, [T]>,
  payload: T,
  operationKey: string,
): Promise<FanOutResult> {
  try {
    const receipt = await ctx.cases.act(caller, submissionId, update, payload, operationKey);
    return { submissionId, outcome: 'APPLIED', receipt };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const outcome = err.code === 'TEMPORAL_UNAVAILABLE' ? 'UNAVAILABLE' : 'REJECTED';
    return { submissionId, outcome, code: err.code, detail: err.detail };
  }
}
