import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { isSealedNote } from '../../shared/domain/sealed';
import { openNote, sealNote } from '../../shared/node/note-seal';
import { BENCHMARK_SCORE_FIELD } from '../../gateway/note-places';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter, rejectedWithoutTrace } from '../helpers/assertions';
import {
  completeSubmission,
  designate,
  skipTo,
  startReview,
  status,
  terminateWhenDelivered,
  untilStage,
  type ReviewHandle,
  deliveredTimeline,
} from '../helpers/review';
import { TEST_NOTE_RING } from '../helpers/sealing';
import { businessDaysDue, washington } from '../helpers/washington';
import { withDevServerWorker, withTimeSkippingWorker } from '../helpers/workers';

/** Compute under the 1e26 FLOP threshold: the screen proposes "not covered". */
const SMALL = { name: 'Small-1', version: '1', trainingComputeFlop: 5e25 };

/** Waits until intake has screened the filing and NSA's designation is pending. */
async function pending(h: ReviewHandle) {
  const s = await untilStage(h, 'DESIGNATION');
  assert.equal(s.designation?.agency, 'NSA');
  assert.equal(s.designation?.decision, undefined);
  assert.equal(s.acceptedAt, undefined);
  assert.deepEqual(s.agencies, []);
  return s;
}

describe('review workflow: NSA designates which models are covered; the screen only proposes', () => {
  it('NSA designates as covered a model the screen found not covered: accepted, day 0 at the designation', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission({ model: SMALL }));
      const proposed = await pending(h);
      assert.equal(proposed.designation?.proposal.covered, false);
      // NSA's deadline: 5 business days from the screen, at close of business in Washington.
      const screenedAt = Date.parse(proposed.timeline.find((e) => e.type === 'DESIGNATION_PENDING')!.at);
      assert.equal(proposed.designation?.dueAt, new Date(businessDaysDue(screenedAt, 5)).toISOString());

      const score = sealNote(TEST_NOTE_RING, '0.83', { record: h.workflowId, field: BENCHMARK_SCORE_FIELD });
      const receipt = await designate(h, true, { benchmarkScore: score, reason: 'above the benchmark bar' });
      const s = await untilStage(h, 'NATIONAL_SECURITY');
      atOrJustAfter(s.acceptedAt, Date.parse(receipt.at));
      assert.deepEqual(s.designation?.decision, {
        covered: true,
        reason: 'above the benchmark bar',
        source: 'AGENCY',
        at: receipt.at,
        by: 'agency:NSA',
      });
      // The case keeps the score sealed: whoever reads the workflow's state cannot read it.
      assert.ok(isSealedNote(s.designation.benchmarkScore!));
      assert.equal(
        openNote(TEST_NOTE_RING, s.designation.benchmarkScore!, {
          record: h.workflowId,
          field: BENCHMARK_SCORE_FIELD,
        }),
        '0.83',
      );
      assert.deepEqual(s.screen, proposed.screen);
      assert.equal(s.policy?.version, 8);
      assertEventTypes(await deliveredTimeline(h), [
        'RECEIVED',
        'DESIGNATION_PENDING',
        'DESIGNATED',
        'ACCEPTED',
        'STAGE_OPENED',
      ]);
      // What the lab is told: pending (when, and the proposal), then which way it went; never the score.
      const told = (await status(h)).timeline.filter((e) => e.type.startsWith('DESIGNAT'));
      assert.equal(told.length, 2);
      await terminateWhenDelivered(h);
    });
  });

  it('NSA designates as not covered a model the screen found covered: closed NOT_COVERED, never accepted', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission());
      const proposed = await pending(h);
      assert.equal(proposed.designation?.proposal.covered, true);
      await designate(h, false, { reason: 'below the benchmark bar' });
      const { closedAt: _closedAt, ...result } = await h.result();
      assert.equal(result.closedReason, 'NOT_COVERED');
      const s = await status(h);
      assert.equal(s.acceptedAt, undefined);
      assert.equal(s.policy, undefined);
      assert.equal(s.designation?.decision?.covered, false);
      assert.equal(s.timeline.find((e) => e.type === 'NOT_COVERED')?.summary, 'below the benchmark bar');
      assertEventTypes(await deliveredTimeline(h), [
        'RECEIVED',
        'DESIGNATION_PENDING',
        'DESIGNATED',
        'NOT_COVERED',
        'CLOSED',
      ]);
    });
  });

  it('NSA silent: the covered proposal stands at the deadline, which is day 0', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission());
      const proposed = await pending(h);
      const dueAt = Date.parse(proposed.designation!.dueAt);
      assert.equal(washington(dueAt).time, '17:00');
      await skipTo(h, dueAt + 60_000);
      const accepted = await untilStage(h, 'NATIONAL_SECURITY');
      assert.equal(accepted.stage, 'NATIONAL_SECURITY');
      atOrJustAfter(accepted.acceptedAt, dueAt);
      assert.equal(accepted.designation?.decision?.source, 'PROPOSAL_STANDS');
      assert.equal(accepted.designation?.decision?.by, 'system');
      assert.equal(accepted.designation?.decision?.covered, true);
      // Too late now: NSA's call is refused, and the proposal that stood is named.
      await assert.rejects(designate(h, false), (err: unknown) => {
        assert.ok(err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure);
        assert.equal(err.cause.type, 'DEADLINE_PASSED');
        return true;
      });
      await terminateWhenDelivered(h);
    });
  });

  it('NSA silent: the not-covered proposal stands at the deadline and the case closes NOT_COVERED', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission({ model: SMALL }));
      const proposed = await pending(h);
      const { closedAt, closedReason } = await h.result();
      assert.equal(closedReason, 'NOT_COVERED');
      atOrJustAfter(closedAt, Date.parse(proposed.designation!.dueAt));
      const s = await status(h);
      assert.equal(s.designation?.decision?.source, 'PROPOSAL_STANDS');
      const designated = s.timeline.find((e) => e.type === 'DESIGNATED');
      assert.match(designated!.summary, /proposal stands/);
    });
  });

  it('refuses a designation from anyone but NSA, and a second one', async () => {
    await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission());
      await pending(h);
      const by = (actor: string) => () =>
        h.executeUpdate(M.designateCoverage.update, {
          args: [{ actor, covered: false, reason: 'not mine to say' }],
        });
      await rejectedWithoutTrace(h, 'NOT_ENTITLED', by('agency:CISA'));
      await rejectedWithoutTrace(h, 'NOT_ENTITLED', by('lab:acme'));
      await rejectedWithoutTrace(h, 'NOT_ENTITLED', by('chair'));
      await designate(h, true);
      await untilStage(h, 'NATIONAL_SECURITY');
      await rejectedWithoutTrace(h, 'ALREADY_DECIDED', by('agency:NSA'));
      await h.terminate('test done');
    });
  });
});
