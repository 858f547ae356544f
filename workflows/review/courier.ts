import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  TimeoutFailure,
  upsertMemo,
} from '@temporalio/workflow';
import type { createCallbackActivities } from '../../activities/callbacks';
import type { Policy } from '../../shared/domain/policy';
import {
  allDelivered,
  markDelivered,
  markFailed,
  nextJob,
  nextJobs,
} from '../../shared/domain/review/callbacks';
import type { CallbackErrorCategory, CaseState } from '../../shared/domain/review/state';
import { asRecorded } from '../../shared/domain/sealed';
import { PATCHES } from './patches';

type CallbackActivities = ReturnType<typeof createCallbackActivities>;

/**
 * Before a policy is pinned, callbacks give up after the presets' 3 days (every preset version has 3; the
 * workflow does not load the presets themselves).
 */
const GIVE_UP_DAYS_BEFORE_ACCEPTANCE = 3;

/** The most events one delivery activity sends (release 2): a case's bursts are two or three. */
const MOST_PER_DELIVERY = 10;

/** The callback activities with a give-up horizon (a finding's courier sends with the same: workflows/finding). */
export const deliverer = (giveUpDays: number, heartbeats: boolean) =>
  proxyActivities<CallbackActivities>({
    startToCloseTimeout: '1 minute',
    // The attempt heartbeats while its request is in flight (activities/callbacks.ts).
    ...(heartbeats ? { heartbeatTimeout: '30 seconds' } : {}),
    // The give-up horizon: past it the event is marked failed and holds the line until redelivered.
    scheduleToCloseTimeout: `${giveUpDays} days`,
    retry: {
      initialInterval: '10 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
      nonRetryableErrorTypes: ['CallbackRejected', 'CallbackSecretMissing', 'CallbackUrlInvalid'],
    },
  });

export interface Courier {
  /** Delivers lab events in order, one at a time, until stop() and nothing is in flight. */
  run(): Promise<void>;
  /** The endpoint changed: abandon the attempt in flight so it is sent again to the new endpoint. */
  redirect(): void;
  stop(): void;
}

/**
 * The lab's status callbacks, delivered beside the review, never in its way: the review's deadlines and
 * determination do not wait for a slow or dead endpoint. Runs as a coroutine of the review workflow.
 */
export function createCourier(c: CaseState, policy: () => Policy | undefined): Courier {
  let stopped = false;
  let inflight: CancellationScope | undefined;
  let redirected = false;

  async function deliverNext(): Promise<void> {
    const job = nextJob(c)!;
    const url = c.submission.callbackUrl!;
    const labId = c.submission.labId;
    // Before acceptance no policy is pinned yet: the default policy's horizon applies.
    const activities = deliverer(
      policy()?.callbackGiveUpDays ?? GIVE_UP_DAYS_BEFORE_ACCEPTANCE,
      patched(PATCHES.callbackHeartbeat),
    );
    redirected = false;
    inflight = new CancellationScope();
    try {
      if (patched(PATCHES.callbackBatches)) {
        // Every pending event in one activity, each its own request; those delivered are marked in order.
        const jobs = nextJobs(c, MOST_PER_DELIVERY);
        const { delivered } = asRecorded(
          await inflight.run(() =>
            activities.deliverCallbacks({ labId, url, events: jobs.map((j) => j.event) }),
          ),
        );
        delivered.forEach((result, i) => markDelivered(c, jobs[i], result, url, new Date()));
      } else {
        const result = asRecorded(
          await inflight.run(() => activities.deliverCallback({ labId, url, event: job.event })),
        );
        markDelivered(c, job, result, url, new Date());
      }
      if (nextJob(c) === undefined && patched(PATCHES.idleCourierLeavesTrace)) leaveTrace(c);
    } catch (err) {
      if (isCancellation(err) && (redirected || stopped)) return;
      const { detail, category } = describe(err);
      markFailed(c, job, detail, category, url, new Date());
    } finally {
      inflight = undefined;
    }
  }

  return {
    async run() {
      for (;;) {
        await condition(() => stopped || nextJob(c) !== undefined);
        if (stopped) return;
        await deliverNext();
      }
    },
    redirect() {
      redirected = true;
      inflight?.cancel();
    },
    stop() {
      stopped = true;
      inflight?.cancel();
    },
  };
}

/**
 * The courier has delivered everything for now, so this workflow task would issue no command. Core folds such
 * a task into the next one when a worker without the case in its cache picks it up, and a message in that next
 * task then runs before the delivery's result, while a replay keeps them apart: the two orders of commands
 * differ and the case can no longer be replayed (the chaos run stranded two cases so). A memo upsert is a
 * command, so the task is never folded; it is not a billable action, and it shows what the lab has so far.
 */
function leaveTrace(c: CaseState): void {
  const l = c.callbacks;
  upsertMemo({ callbacks: { delivered: l.cursor, deliveries: l.deliveries.length } });
}

export const courierIdle = (c: CaseState): boolean => allDelivered(c) || c.callbacks.blockedOn !== undefined;

/** What failed, for operations staff, and its category, for the lab. */
export function describe(err: unknown): { detail: string; category: CallbackErrorCategory } {
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) {
      const reported = (cause.details?.[0] as { category?: CallbackErrorCategory } | undefined)?.category;
      return { detail: `${cause.type ?? 'Error'}: ${cause.message}`, category: reported ?? 'FAILED' };
    }
    if (cause instanceof TimeoutFailure) {
      return {
        detail: 'gave up: the retry horizon passed without a successful delivery',
        category: 'GAVE_UP',
      };
    }
    return { detail: cause?.message ?? err.message, category: 'FAILED' };
  }
  return { detail: err instanceof Error ? err.message : String(err), category: 'FAILED' };
}
