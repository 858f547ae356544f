import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { PolicyRegistry } from '../shared/domain/policy-registry';
import type { ProductMetrics } from '../shared/node/metrics';
import { Agent } from 'undici';
import { pinnedLookup, validateCallbackUrl } from '../shared/node/callback-url';
import { CallbackSecrets } from '../shared/node/callback-secrets';
import { callbackAllowInsecure, type Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { PROJECT_ROOT } from '../shared/node/tools';
import { asRecorded } from '../shared/domain/sealed';
import { createCallbackActivities } from './callbacks';
import { createGovernmentActivities } from './government';
import { createIntakeActivities, createIntakeChecks } from './intake';
import { createGrantActivities } from './grants';
import { createLabActivities, labStandingNow } from './labs';
import { createArchiveActivities } from './archive';
import { isDevelopment } from '../shared/node/config';
import { recordSigner, type RecordSigner } from '../shared/node/record-keys';
import { FileRecordStore, type RecordStore } from '../shared/node/record-store';

export interface ActivityDeps {
  config: Config;
  logger: Logger;
  policies: PolicyRegistry;
  /** Where the labs' callback secrets come from; the CALLBACK_SECRETS_FILE unless given. */
  callbackSecrets?: Pick<CallbackSecrets, 'secretsFor'>;
  metrics?: ProductMetrics;
  /** How long a fan-out lets the list of open cases catch up before its second pass (default 2 s). */
  visibilitySettleMs?: number;
  /** Where closed cases' permanent records go; a FileRecordStore on RECORDS_DIR unless given. */
  records?: RecordStore;
  /** The record-signing key; RECORD_SIGNING_KEY_FILE unless given (created there on the embedded default). */
  recordSigner?: RecordSigner;
}

/** Every activity the review worker registers, built from its dependencies so tests can inject fakes. */
export function createActivities(deps: ActivityDeps) {
  const { config } = deps;
  const urlOptions = {
    allowInsecure: callbackAllowInsecure(config),
    allowedPorts: config.CALLBACK_ALLOWED_PORTS,
    allowedHosts: config.CALLBACK_ALLOWED_HOSTS,
  };
  const checkUrl = async (url: string) => {
    const result = await validateCallbackUrl(url, urlOptions);
    return result.ok ? undefined : result.message;
  };
  const secrets =
    deps.callbackSecrets ??
    CallbackSecrets.fromFile(path.resolve(PROJECT_ROOT, config.CALLBACK_SECRETS_FILE));
  const callbacks = createCallbackActivities({
    secretsFor: (labId) => secrets.secretsFor(labId),
    requestTimeoutMs: config.CALLBACK_TIMEOUT_MS,
    checkUrl,
    // Connections go only to addresses checked as they are made; every phase of an attempt is bounded.
    dispatcher: new Agent({
      connect: { lookup: pinnedLookup(urlOptions.allowInsecure), timeout: config.CALLBACK_TIMEOUT_MS },
      headersTimeout: config.CALLBACK_TIMEOUT_MS,
      bodyTimeout: config.CALLBACK_TIMEOUT_MS,
    }),
  });
  const counter = deps.metrics?.callbackDeliveries;
  const government = createGovernmentActivities({ visibilitySettleMs: deps.visibilitySettleMs ?? 2_000 });
  const intake = {
    policies: deps.policies,
    checkUrl,
    governmentNow: () => government.governmentNow(),
    labStanding: labStandingNow,
  };
  let signer = deps.recordSigner;
  const archive = createArchiveActivities({
    records: deps.records ?? new FileRecordStore(path.resolve(PROJECT_ROOT, config.RECORDS_DIR)),
    signer: () => (signer ??= recordSigner(config, isDevelopment(config))),
  });
  return readingRecordedInputs({
    ...archive,
    ...createIntakeActivities(intake),
    ...createIntakeChecks(intake),
    ...government,
    ...createLabActivities(),
    ...createGrantActivities(),
    async deliverCallback(input: Parameters<typeof callbacks.deliverCallback>[0]) {
      try {
        const result = await callbacks.deliverCallback(input);
        counter?.inc({ outcome: 'delivered' });
        return result;
      } catch (err) {
        counter?.inc({ outcome: failedOutcome(err) });
        throw err;
      }
    },
    async deliverCallbacks(input: Parameters<typeof callbacks.deliverCallbacks>[0]) {
      try {
        const result = await callbacks.deliverCallbacks(input);
        counter?.inc({ outcome: 'delivered' }, result.delivered.length);
        return result;
      } catch (err) {
        counter?.inc({ outcome: failedOutcome(err) });
        throw err;
      }
    },
  });
}

const failedOutcome = (err: unknown): string =>
  err instanceof ApplicationFailure && err.nonRetryable ? 'rejected' : 'retryable';

/**
 * An activity scheduled by release 1's workers carries a plain input (release 1 sealed nothing); today's codec
 * reads it as the unsealed marker. Every input is therefore taken as recorded, so an attempt retried after a
 * deploy gets its input, not the marker. (Only the workflow schedules activities: nothing outside writes one.)
 */
function readingRecordedInputs<T extends Record<string, (...args: never[]) => unknown>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args.map((a) => asRecorded(a))),
    ]),
  ) as unknown as T;
}

export type Activities = ReturnType<typeof createActivities>;
