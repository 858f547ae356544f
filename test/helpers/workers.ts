import { randomUUID } from 'node:crypto';
import {
  Client,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { LAB_WORKFLOW_TYPE, labWorkflowId } from '../../shared/domain/labs/workflow';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { CLOSED_FINDING_STATES, type FindingState } from '../../shared/domain/clearinghouse/finding';
import { SA } from '../../shared/domain/search-attributes';
import { productClientInterceptors } from '../../shared/node/message-binding';
import { registerSearchAttributes } from '../../shared/node/search-attributes';
import { currentTestTitle } from '../setup/current-test';
import {
  clockIsFree,
  discardTimeSkipping,
  SCENARIO_START,
  takeStartedWorkflows,
  testServers,
  timeSkippingAt,
} from '../setup/servers';
import { replayAndRecord } from './replay';
import { testDataConverter } from './sealing';

/** Worker settings a test may change: a cache of 0 makes every workflow task a cold start (full replay). */
export type TestWorkerOptions = Pick<WorkerOptions, 'maxCachedWorkflows'>;

export interface WorkerContext {
  client: Client;
  taskQueue: string;
  namespace: string;
}

/** A unique id for one test's workflows and task queue. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

const startedOn = new Map<string, WorkflowHandle[]>();

/** Remembers a workflow a test started, so it is ended with the test's worker. */
export function trackWorkflow(taskQueue: string, handle: WorkflowHandle): void {
  startedOn.set(taskQueue, [...(startedOn.get(taskQueue) ?? []), handle]);
}

/**
 * After each test: terminates what it left running (an open workflow keeps timers and activity attempts on
 * the time-skipping server, whose clock then serves them during later tests), then replays every history the
 * test made with the current code, and records it as a fixture when RECORD_HISTORIES=1.
 */
async function endLeftovers(taskQueue: string, timeSkipping: boolean): Promise<void> {
  const handles = startedOn.get(taskQueue) ?? [];
  startedOn.delete(taskQueue);
  // A case's children (its commitments) are ended and replayed after it, as the test's own workflows are.
  for (let i = 0; i < handles.length; i += 1) {
    const h = handles[i];
    const described = await h.describe().catch((err: unknown) => {
      // A test that deleted its case (as retention does) left nothing to end or replay.
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (described === undefined) continue;
    if (described.status.name === 'RUNNING') {
      const sa = described.typedSearchAttributes;
      const closed =
        sa.get(SA.stage) === 'CLOSED' ||
        CLOSED_FINDING_STATES.includes(sa.get(SA.findingState) as FindingState) ||
        SETTLED_COMMITMENT_STATES.includes(sa.get(SA.itemState) ?? '');
      // On the dev server time is real: a closed case's callback grace would outlast the test, and ending it
      // there locks nothing.
      if (closed && timeSkipping) await untilCompleted(h);
      else {
        // A case's commitments run on their own: one may be delivering a callback as the test ends.
        if (timeSkipping) await untilNoActivityRuns(h);
        await terminateUnlessEnded(h);
      }
    }
    const related = [...(await childrenOf(h)), ...labRecordOf(h, described, taskQueue)];
    handles.push(...related.filter((c) => !handles.some((k) => k.workflowId === c.workflowId)));
    await replayAndRecord(h, fixtureName(currentTestTitle(), i));
  }
  // Nothing may outlive its worker: a workflow left running on a task queue no one polls keeps its timers, and
  // on the time-skipping server the first one that fires stops the clock for every later test.
  for (const h of handles) {
    const d = await h.describe().catch(() => undefined);
    if (d?.status.name === 'RUNNING')
      throw new Error(`${h.workflowId} (${d.type}) still runs after its test`);
  }
}

/**
 * The lab's record a case or commitment reported to (rules 5): it never closes, so it is ended (and replayed)
 * after the workflows that fed it.
 */
function labRecordOf(
  h: WorkflowHandle,
  d: WorkflowExecutionDescription,
  taskQueue: string,
): WorkflowHandle[] {
  const labId = d.typedSearchAttributes.get(SA.lab);
  if (labId === undefined || d.type === LAB_WORKFLOW_TYPE) return [];
  return [h.client.getHandle(labWorkflowId(taskQueue, labId))];
}

/** A commitment (or an early-access grant) in these states has settled; it only delivers its last callbacks and writes its record. */
const SETTLED_COMMITMENT_STATES: readonly string[] = ['CONFIRMED', 'DISPUTED', 'DECLINED', 'LAPSED', 'ENDED'];

/** The workflows a workflow started as children (a case's commitments), from its history. */
async function childrenOf(h: WorkflowHandle): Promise<WorkflowHandle[]> {
  const { events } = await h.fetchHistory();
  return (events ?? [])
    .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
    .filter((id): id is string => typeof id === 'string')
    .map((id) => h.client.getHandle(id));
}

/**
 * A closed case (or finding) still delivers its last callbacks and writes its permanent record. On the
 * time-skipping server, terminating it while that activity runs leaves the clock locked for every later test
 * (each then timed out), so it is let finish: awaiting its result skips the time it waits.
 */
async function untilCompleted(h: WorkflowHandle): Promise<void> {
  const limit = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`closed case ${h.workflowId} did not complete within ${CLOSING_LIMIT_MS} ms`)),
      CLOSING_LIMIT_MS,
    ).unref(),
  );
  await Promise.race([h.result(), limit]);
}
const CLOSING_LIMIT_MS = 20_000;

/**
 * Waits (real time, bounded) until neither an activity nor a workflow task of the workflow is in flight:
 * terminating one mid-activity, or while the worker works on its task (the worker's answer then finds the
 * workflow gone), leaves the time-skipping server's clock locked for later tests (see untilCompleted).
 */
export async function untilNoActivityRuns(h: WorkflowHandle): Promise<void> {
  const deadline = Date.now() + CLOSING_LIMIT_MS;
  for (;;) {
    const d = await h.describe();
    if (d.status.name !== 'RUNNING') return;
    if ((d.raw.pendingActivities ?? []).length === 0 && !(await taskInFlight(h))) return;
    if (Date.now() > deadline)
      throw new Error(`${h.workflowId} still runs an activity after ${CLOSING_LIMIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const WFT_SCHEDULED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED;
const WFT_STARTED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;

/** Whether the workflow's history ends with a workflow task scheduled or started, not yet completed. */
async function taskInFlight(h: WorkflowHandle): Promise<boolean> {
  const last = (await h.fetchHistory()).events?.at(-1)?.eventType;
  return last === WFT_SCHEDULED || last === WFT_STARTED;
}

/** Terminates a workflow that was running a moment ago; one that completed meanwhile is left as it ended. */
async function terminateUnlessEnded(h: WorkflowHandle): Promise<void> {
  try {
    await h.terminate('test finished');
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

const fixtureName = (title: string, index: number): string =>
  `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120)}-${index + 1}`;

async function runWithWorker<T>(
  connection: NativeConnection,
  namespace: string,
  client: Client,
  activities: object,
  fn: (ctx: WorkerContext) => Promise<T>,
  options: TestWorkerOptions & { timeSkipping?: boolean } = {},
): Promise<T> {
  const { timeSkipping = false, ...workerOptions } = options;
  const taskQueue = uniqueId('tq');
  const worker = await Worker.create({
    ...workerOptions,
    connection,
    namespace,
    taskQueue,
    activities,
    workflowBundle: testServers().workflowBundle,
    dataConverter: testDataConverter,
    // As the product's workers: the client activities use binds each update and signal it sends.
    interceptors: { client: productClientInterceptors() },
  });
  return worker.runUntil(async () => {
    try {
      return await fn({ client, taskQueue, namespace });
    } finally {
      await endLeftovers(taskQueue, timeSkipping);
    }
  });
}

/**
 * Runs `fn` with a worker on the test file's time-skipping server (time skips while results are awaited),
 * its clock at SCENARIO_START when `fn` begins, whatever day the suite runs: a test that follows another in
 * its file gets a new server, so no test meets another's workflows or clock. When the test is done, every
 * workflow it started must have ended (those it tracked are ended for it): one left running fails the test,
 * itself (see assertNothingLeftRunning).
 */
export async function withTimeSkippingWorker<T>(
  activities: object,
  fn: (ctx: WorkerContext & { env: TestWorkflowEnvironment }) => Promise<T>,
): Promise<T> {
  const env = await timeSkippingAt(SCENARIO_START);
  takeStartedWorkflows();
  const result = await runWithWorker(
    env.nativeConnection,
    env.namespace ?? 'default',
    env.client,
    activities,
    (ctx) => fn({ ...ctx, env }),
    { timeSkipping: true },
  );
  await assertNothingLeftRunning(env);
  return result;
}

/**
 * Fails the running test when a workflow it started still runs once its tracked workflows were ended: left
 * on a task queue no worker polls any more, its tasks would keep the time-skipping server's clock locked.
 * Such workflows are terminated first. Even with none left, a clock that no longer skips (the Java test
 * server keeps a lock after some paths, e.g. an early-access grant's end) retires the server: the next test
 * gets a new one either way.
 */
export async function assertNothingLeftRunning(env: TestWorkflowEnvironment): Promise<void> {
  const running: string[] = [];
  for (const workflowId of takeStartedWorkflows()) {
    const h = env.client.workflow.getHandle(workflowId);
    const d = await h.describe().catch(() => undefined);
    if (d?.status.name !== 'RUNNING') continue;
    running.push(`${workflowId} (${d.type})`);
    await terminateUnlessEnded(h);
  }
  if (!(await clockIsFree(env))) discardTimeSkipping();
  if (running.length > 0)
    throw new Error(`this test left workflows running that it did not track: ${running.join(', ')}`);
}

/**
 * A namespace of its own on the dev server, with the product's search attributes: what a test lists, counts
 * or measures there is exactly what it made, whatever other tests do. Registering one takes milliseconds.
 */
export async function isolatedNamespace(): Promise<{ namespace: string; client: Client }> {
  const { devConnection } = testServers();
  const namespace = uniqueId('test');
  await devConnection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  await registerSearchAttributes(devConnection, namespace);
  return {
    namespace,
    client: new Client({
      connection: devConnection,
      namespace,
      dataConverter: testDataConverter,
      interceptors: productClientInterceptors(),
    }),
  };
}

/** Runs `fn` with a worker on the real dev server (visibility queries work here; time is real), in a namespace of its own. */
export async function withDevServerWorker<T>(
  activities: object,
  fn: (ctx: WorkerContext) => Promise<T>,
  options: TestWorkerOptions = {},
): Promise<T> {
  const { dev } = testServers();
  const { namespace, client } = await isolatedNamespace();
  const connection = await NativeConnection.connect({ address: dev.address });
  try {
    return await runWithWorker(connection, namespace, client, activities, fn, options);
  } finally {
    await connection.close();
  }
}
