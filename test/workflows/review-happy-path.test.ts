import assert from 'node:assert/strict';
import { CURRENT_RULES } from '../../shared/domain/review/rules';
import type { temporal } from '@temporalio/proto';
import { testServers } from '../setup/servers';
import { withTimeSkippingWorker } from '../helpers/workers';
import { createTestActivities, testRecords, testRecordSigner } from '../helpers/activities';
import { caseIdOfWorkflow } from '../../shared/domain/review/workflow';
import { entriesOf, verifyRecord } from '../../shared/node/permanent-record';
import {
  completeSubmission,
  DAY_MS,
  everyAgencyNoConcerns,
  iso,
  startAccepted,
  status,
} from '../helpers/review';
import { endOfDay } from '../helpers/washington';

describe('review workflow: every agency reports NO_CONCERNS early (scenario 1)', () => {
  it('issues the determination at once and makes the lab release-eligible at the end (24:00, Washington) of day 90, not before', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, accepted, day0 } = await startAccepted(client, taskQueue, completeSubmission());
      // The window ends at 24:00 in Washington of the 90th day after the day of acceptance.
      const windowEnd = endOfDay(day0, 90);
      assert.equal(accepted.windowEnd, iso(windowEnd));
      assert.deepEqual(accepted.policy, { id: 'draft-2026-90d', version: 8 });

      const determined = await everyAgencyNoConcerns(h);
      assert.equal(determined.determination?.outcome, 'NO_CONCERNS_IDENTIFIED');
      assert.equal(determined.determination?.by, 'RULE');
      assert.ok(
        Date.parse(determined.determination.issuedAt) < day0 + DAY_MS,
        'determination issued on day 0',
      );
      assert.ok(!determined.timeline.some((e) => e.type === 'WINDOW_ENDED'));

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: accepted.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'NO_CONCERNS_IDENTIFIED',
      });
      // The window's timer fires at its end, not before; the workflow task that closes the case follows it.
      assert.ok(Date.parse(closedAt) >= windowEnd && Date.parse(closedAt) < windowEnd + 60_000, closedAt);
      const closed = await status(h);
      assert.equal(closed.timeline.find((e) => e.type === 'WINDOW_ENDED')?.at, closedAt);
      assert.deepEqual(closed.flags, []);

      // The lab heard of every change, in order, once, signed (the receiver verifies signatures).
      const received = testServers().labReceiver.eventsFor(accepted.submissionId);
      assert.deepEqual(
        received.map((e) => [e.sequence, e.type]),
        [
          [1, 'RECEIVED'],
          [2, 'DESIGNATION_PENDING'],
          [3, 'DESIGNATED'],
          [4, 'ACCEPTED'],
          [5, 'STAGE_OPENED'],
          [6, 'STAGE_CLOSED'],
          [7, 'STAGE_OPENED'],
          [8, 'STAGE_CLOSED'],
          [9, 'DETERMINATION_ISSUED'],
          [10, 'WINDOW_ENDED'],
          [11, 'CLOSED'],
        ],
      );
      assert.equal(closed.callbacks.delivered, 11);
      assert.equal(closed.callbacks.pending, 0);

      // Its permanent record (issue 15), written after the last callbacks; checked on this case rather than a
      // case of its own, which would move the suite's time-skipping clock another 90 days.
      const text = await testRecords.get(caseIdOfWorkflow(h.workflowId));
      assert.ok(text !== undefined, 'the record was written');
      const verified = verifyRecord(text, testRecordSigner.publicKey);
      assert.equal(verified.ok, true, JSON.stringify(verified));
      const entries = entriesOf(text);
      const of = (kind: string) => entries.filter((e) => e.kind === kind);
      assert.deepEqual(
        [entries[0].kind, entries[0].closedReason, entries[0].outcome, entries[0].rules, entries[0].policy],
        ['CASE', 'WINDOW_ENDED', 'NO_CONCERNS_IDENTIFIED', CURRENT_RULES, closed.policy],
      );
      assert.deepEqual(
        of('TIMELINE').map((e) => e.type),
        closed.timeline.map((t) => t.type),
      );
      assert.equal(of('DECISION').length, 6);
      assert.equal(of('DEADLINE').length, closed.deadlines.length);
      assert.equal(of('LAB_EVENT').length, 11);
      assert.deepEqual(
        of('DELIVERY').map((d) => (d.delivery as { status: string }).status),
        Array<string>(11).fill('DELIVERED'),
      );
      assert.equal(
        (of('DETERMINATION')[0].determination as { outcome: string }).outcome,
        'NO_CONCERNS_IDENTIFIED',
      );
      // The final status is what the status query answers once the case closed, as of its closing.
      const { status: final } = of('FINAL_STATUS')[0] as unknown as { status: typeof closed };
      assert.deepEqual({ ...final, asOf: closed.asOf }, closed);
      assert.equal(final.asOf, closed.closedAt);
      // Written once: a second write (an activity retried after a crash) finds it and changes nothing.
      assert.equal(await testRecords.putOnce(caseIdOfWorkflow(h.workflowId), 'another record\n'), 'EXISTS');
      assert.equal(await testRecords.get(caseIdOfWorkflow(h.workflowId)), text);
    });
  });

  it('starts one timer per wake-up (a decision that leaves it where it was keeps its timer), one intake activity and one delivery per burst of events', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      await everyAgencyNoConcerns(h);
      await h.result();
      const events = (await h.fetchHistory()).events ?? [];
      const fireAt = events
        .filter((e) => e.timerStartedEventAttributes)
        .map((e) => timeOf(e) + Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds) * 1000);
      // NSA's designation deadline (the designation came first), then six decisions, each a message the loop
      // wakes for: the national-security stage's at-risk instant, then the civilian stage's, then the window's
      // end, then the grace for the last callbacks, which needs no timer when they were delivered while the
      // closing case told its lab's record (rules 5).
      assert.ok([4, 5].includes(fireAt.length), `timers fire at ${fireAt.map(iso).join(', ')}`);
      for (const [i, t] of fireAt.entries()) {
        for (const u of fireAt.slice(i + 1)) assert.ok(Math.abs(t - u) > 1000, `two timers for ${iso(t)}`);
      }
      // Intake's checks are one activity, acceptance's facts another; the eleven events go out in seven
      // deliveries: received; the designation pending; designated; accepted and the first stage opened; a stage
      // closed and the next opened; the last stage closed and the determination; the window's end and the
      // close. The lab's record is told of the acceptance and of the closing. Then the permanent record, last.
      const activities = events
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter((n) => n !== undefined);
      assert.equal(activities.at(-1), 'archiveCase');
      assert.deepEqual(activities.sort(), [
        'acceptanceFacts',
        'archiveCase',
        ...Array<string>(7).fill('deliverCallbacks'),
        'intakeChecks',
        'reportToLab',
        'reportToLab',
      ]);
    });
  });
});

const timeOf = (e: temporal.api.history.v1.IHistoryEvent): number =>
  Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
