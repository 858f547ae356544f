import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testServers } from '../setup/servers';

export interface WorkerContext {
  client: Client;
  taskQueue: string;
}

/** A unique id for one test's workflows and task queue. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

async function runWithWorker<T>(
  connection: NativeConnection,
  namespace: string,
  client: Client,
  activities: object,
  fn: (ctx: WorkerContext) => Promise<T>,
): Promise<T> {
  const taskQueue = uniqueId('tq');
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    workflowBundle: testServers().workflowBundle,
  });
  return worker.runUntil(fn({ client, taskQueue }));
}

/** Runs `fn` with a worker on the time-skipping test server (time skips while results are awaited). */
export function withTimeSkippingWorker<T>(
  activities: object,
  fn: (ctx: WorkerContext) => Promise<T>,
): Promise<T> {
  const env = testServers().timeSkipping;
  return runWithWorker(env.nativeConnection, env.namespace ?? 'default', env.client, activities, fn);
}

/** Runs `fn` with a worker on the real dev server (visibility queries work here; time is real). */
export async function withDevServerWorker<T>(
  activities: object,
  fn: (ctx: WorkerContext) => Promise<T>,
): Promise<T> {
  const { dev, devClient } = testServers();

  const connection = await NativeConnection.connect({ address: dev.address });
  try {
    return await runWithWorker(connection, 'default', devClient, activities, fn);
  } finally {
    await connection.close();
  }
}
