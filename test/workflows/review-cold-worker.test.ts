import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  startAccepted,
  status,
  untilDelivered,
  type ReviewHandle,
} from '../helpers/review';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { withDevServerWorker } from '../helpers/workers';

const T = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Events that a workflow task's commands write (sdk-core's is_command_event). */
const COMMAND_EVENTS = new Set<number>([
  T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  T.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  T.EVENT_TYPE_MARKER_RECORDED,
  T.EVENT_TYPE_TIMER_STARTED,
  T.EVENT_TYPE_TIMER_CANCELED,
  T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
]);
const TASK_EVENTS = new Set<number>([
  T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  T.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
]);

/**
 * The workflow tasks that handled something (an activity's result, a timer) yet issued no command, and whose
 * completion the next task's scheduling follows at once (a message arrived). sdk-core reads such a task as a
 * heartbeat: a worker with the case in no cache folds it into the next task, runs the message's handler
 * before the result, and writes commands in another order than a replay, which keeps the two apart.
 */
function foldableTasks(events: HistoryEvent[]): number[] {
  const found: number[] = [];
  let handled: HistoryEvent[] = [];
  for (const [i, e] of events.entries()) {
    const type = e.eventType ?? 0;
    if (type === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      const next = events[i + 1]?.eventType;
      if (next === T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && handled.length > 0) found.push(Number(e.eventId));
      handled = [];
    } else if (!TASK_EVENTS.has(type) && !COMMAND_EVENTS.has(type)) {
      handled.push(e);
    }
  }
  return found;
}

const ask = (h: ReviewHandle, agency: string) =>
  h.executeUpdate(M.requestInformation.update, {
    args: [{ actor: `agency:${agency}`, questions: [`${agency}: which evaluation harness may we use?`] }],
  });

const answer = (h: ReviewHandle, requestId: string) =>
  h.executeUpdate(M.answerInformationRequest.update, {
    args: [{ actor: 'lab:acme', requestId, answer: 'The gated endpoint.' }],
  });

/**
 * A worker whose cache is empty (after a restart, or an eviction under load) replays a case from its history
 * before it applies the next message. The chaos run stranded two cases that way: a delivered callback left a
 * task with no command, a message followed, a worker without the case in its cache folded the two tasks, and
 * the history it wrote could not be replayed. Every task that handles a result must therefore issue a command.
 */
describe('review workflow: a worker with no cache', () => {
  it('issues a command in every task that handles a delivery, so a message never runs before its result', async () => {
    const receiver = await startScriptedReceiver(() => ({ status: 204 }));
    try {
      await withDevServerWorker(
        createTestActivities(),
        async ({ client, taskQueue }) => {
          const { h } = await startAccepted(
            client,
            taskQueue,
            completeSubmission({ callbackUrl: receiver.url }),
          );
          for (const agency of ['NSA', 'CISA', 'DOW']) {
            await untilDelivered(h);
            const before = (await status(h)).callbacks.events;
            await ask(h, agency);
            await untilDelivered(h);
            await answer(h, `${agency}-1`);
            await untilDelivered(h);
            // Each message sent the lab an event, and each was delivered.
            assert.equal((await status(h)).callbacks.events, before + 2);
          }
          const events = (await h.fetchHistory()).events ?? [];
          const delivered = events.filter((e) => e.eventType === T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
          assert.ok(delivered.length >= 8, `${delivered.length} deliveries`);
          assert.deepEqual(foldableTasks(events), [], 'tasks that handled a result without a command');
          // The history is also replayed after the test (test/helpers/workers.ts): a divergence fails it.
        },
        { maxCachedWorkflows: 0 },
      );
    } finally {
      await receiver.close();
    }
  });
});
