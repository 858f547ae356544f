import {
  allHandlersFinished,
  condition,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities';

/**
 * The baseline: the same Temporal primitives one review case uses, with no business logic. It runs three
 * intake activities, posts the same nine lab events through a courier coroutine (one activity and one HTTP
 * POST each, in order), takes the agencies' updates in two phases, and sleeps to the window's end with a
 * timer per wake-up, as the review's main loop does. No validators, no search attributes, no domain state.
 */
export interface BaselineInput {
  submissionId: string;
  labId: string;
  url: string;
  windowMs: number;
  /** Updates per phase; after each phase the stage's events go out (the review's rosters: [3, 3]). */
  phases: number[];
}

export const baselineUpdate = defineUpdate<{ seq: number }, [{ actor: string }]>('baselineDecision');

const act = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

export async function benchBaseline(input: BaselineInput): Promise<{ updates: number; events: number }> {
  const outbox: string[] = [];
  let sent = 0;
  let updates = 0;
  let stopped = false;
  setHandler(baselineUpdate, () => ({ seq: ++updates }));

  const courier = (async () => {
    for (;;) {
      await condition(() => stopped || sent < outbox.length);
      if (sent >= outbox.length) return;
      const type = outbox[sent];
      await act.baselinePost({
        labId: input.labId,
        url: input.url,
        event: { submissionId: input.submissionId, sequence: sent + 1, type },
      });
      sent += 1;
    }
  })();

  outbox.push('RECEIVED');
  await act.baselineStep({ step: 1 });
  await act.baselineStep({ step: 2 });
  await act.baselineStep({ step: 3 });
  const windowEnd = Date.now() + input.windowMs;
  outbox.push('ACCEPTED', 'STAGE_OPENED');

  let target = 0;
  for (const [i, size] of input.phases.entries()) {
    target += size;
    while (updates < target && Date.now() < windowEnd) {
      const seen = updates;
      await condition(() => updates !== seen, windowEnd - Date.now());
    }
    outbox.push('STAGE_CLOSED', i + 1 < input.phases.length ? 'STAGE_OPENED' : 'DETERMINATION_ISSUED');
  }
  while (Date.now() < windowEnd) {
    const seen = updates;
    await condition(() => updates !== seen, windowEnd - Date.now());
  }
  outbox.push('WINDOW_ENDED', 'CLOSED');
  await condition(() => sent >= outbox.length, '7 days');
  stopped = true;
  await courier;
  await condition(allHandlersFinished);
  return { updates, events: sent };
}
