import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { callbackAllowInsecure, type Config } from '../shared/node/config';
import { productClientInterceptors } from '../shared/node/message-binding';
import type { Logger } from '../shared/node/logger';
import { createActivities } from '../activities';
import type { PolicyRegistry } from '../shared/domain/policy-registry';
import type { ProductMetrics } from '../shared/node/metrics';
import type { RecordSigner } from '../shared/node/record-keys';
import { PRELOAD_MODULES } from './workflow-bundle';

export interface ReviewWorkerDeps {
  connection: NativeConnection;
  config: Config;
  logger: Logger;
  /** A prebuilt bundle in memory; otherwise the one at WORKFLOW_BUNDLE_PATH, or workflows/ bundled at start-up. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Counters the activities feed (callback attempts); shared with the gateway in the main job. */
  metrics?: ProductMetrics;
  /** The policies intake may pin; the one registry of the process. */
  policies: PolicyRegistry;
  /** Seals every payload (shared/node/sealing.ts). */
  dataConverter: DataConverter;
  /** Signs closed cases' permanent records (shared/node/record-keys.ts). */
  recordSigner?: RecordSigner;
}

/** The review worker: the product's workflows and activities on the configured task queue. */
export function createReviewWorker(deps: ReviewWorkerDeps): Promise<Worker> {
  if (callbackAllowInsecure(deps.config)) {
    deps.logger.warn(
      'callback development mode is on: callbacks may use http, any port and non-public addresses ' +
        '(CALLBACK_ALLOW_INSECURE; never in production)',
    );
  }
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.TEMPORAL_NAMESPACE,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: deps.config.WORKER_MAX_CACHED_WORKFLOWS,
    dataConverter: deps.dataConverter,
    // The client activities use binds each update and signal it sends to its workflow and message.
    interceptors: { client: productClientInterceptors() },
    activities: createActivities({
      config: deps.config,
      logger: deps.logger,
      metrics: deps.metrics,
      policies: deps.policies,
      recordSigner: deps.recordSigner,
    }),
    ...(deps.workflowBundle !== undefined
      ? { workflowBundle: deps.workflowBundle }
      : deps.config.WORKFLOW_BUNDLE_PATH !== undefined
        ? { workflowBundle: { codePath: deps.config.WORKFLOW_BUNDLE_PATH } }
        : {
            workflowsPath: require.resolve('../workflows'),
            bundlerOptions: { preloadModules: [...PRELOAD_MODULES] },
          }),
  });
}
