import type { FanOutResult } from '../shared/api/responses';
import type { Message } from '../shared/domain/review/messages';
import { SA } from '../shared/domain/search-attributes';
import type { Caller } from './auth';
import { ApiError } from './problem';
import type { RouteContext } from './routes/context';
import { allCases, casesWhere, literal } from './visibility';

/** Stages of an accepted, open case: where government clocks run. */
const ACCEPTED_STAGES = ['NATIONAL_SECURITY', 'CIVILIAN', 'DETERMINATION', 'PRE_RELEASE'];
/** Updates in flight at once: enough to finish thousands of cases in minutes, few enough to spare the server. */
const CONCURRENCY = 8;

/**
 * Sends one message to every open, accepted case this deployment's workers serve (its task queue), from a
 * visibility list, and reports each case's result. The update id is derived from `operationKey`, so
 * repeating the whole request applies it once per case and picks up cases that became visible since.
 */
export async function fanOut(
  ctx: RouteContext,
  caller: Caller,
  message: Message,
  payload: unknown,
  operationKey: string,
): Promise<FanOutResult[]> {
  const where = casesWhere(
    "ExecutionStatus = 'Running'",
    `TaskQueue = ${literal(ctx.taskQueue)}`,
    `${SA.stage.name} IN (${ACCEPTED_STAGES.map(literal).join(', ')})`,
  );
  const ids: string[] = [];
  for await (const c of allCases(ctx.temporal, where, ctx.callTimeoutMs)) ids.push(c.submissionId);

  const results: FanOutResult[] = new Array<FanOutResult>(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      results[i] = await applyOne(ctx, caller, ids[i], message, payload, operationKey);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return results;
}

async function applyOne(
  ctx: RouteContext,
  caller: Caller,
  submissionId: string,
  message: Message,
  payload: unknown,
  operationKey: string,
): Promise<FanOutResult> {
  try {
    const receipt = await ctx.cases.act(caller, submissionId, message, payload, operationKey);
    return { submissionId, outcome: 'APPLIED', receipt };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const outcome = err.code === 'TEMPORAL_UNAVAILABLE' ? 'UNAVAILABLE' : 'REJECTED';
    return { submissionId, outcome, code: err.code, detail: err.detail };
  }
}
