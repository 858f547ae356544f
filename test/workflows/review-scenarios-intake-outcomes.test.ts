import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  iso,
  serverNow,
  startAccepted,
  startReview,
  status,
  terminateWhenDelivered,
  deliveredTimeline,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: intake closes what it cannot review, and screens on the policy thresholds', () => {
  it('closes a model below both covered-model thresholds as NOT_COVERED and tells the lab why', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({
        model: { name: 'Small-1', version: '1', trainingComputeFlop: 5e25, cyberBenchmarkScore: 0.7 },
      });
      const h = await startReview(client, taskQueue, submission);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, { submissionId: submission.submissionId, closedReason: 'NOT_COVERED' });
      const s = await status(h);
      assert.equal(s.closedAt, closedAt);
      assert.deepEqual(s.screen, {
        covered: false,
        reason: 'training compute below 1e+26 FLOP and cyber-benchmark score not above 0.7',
      });
      assert.equal(s.acceptedAt, undefined);
      // The screen proposes; NSA is silent for its 5 business days, so the proposal stands.
      assertEventTypes(await deliveredTimeline(h), [
        'RECEIVED',
        'DESIGNATION_PENDING',
        'DESIGNATED',
        'NOT_COVERED',
        'CLOSED',
      ]);
    });
  });

  it('accepts a model under the compute threshold whose cyber-benchmark score is above the bar', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({
        model: { name: 'Cyber-1', version: '1', trainingComputeFlop: 1e25, cyberBenchmarkScore: 0.71 },
      });
      const { h, accepted } = await startAccepted(client, taskQueue, submission);
      assert.deepEqual(accepted.screen, {
        covered: true,
        reason: 'cyber-benchmark score 0.71 is above the bar of 0.7',
      });
      await terminateWhenDelivered(h);
    });
  });

  it('accepts a model at exactly the compute threshold of 1e26 FLOP', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({
        model: { name: 'Edge-1', version: '1', trainingComputeFlop: 1e26 },
      });
      const { h, accepted } = await startAccepted(client, taskQueue, submission);
      assert.deepEqual(accepted.screen, {
        covered: true,
        reason: 'training compute 1e+26 FLOP meets the 1e+26 FLOP threshold',
      });
      await terminateWhenDelivered(h);
    });
  });

  it('closes a filing whose planned release has already passed as INSUFFICIENT_NOTICE, with no deadlines', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = completeSubmission({ plannedReleaseDate: iso((await serverNow()) - DAY_MS) });
      const h = await startReview(client, taskQueue, submission);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'INSUFFICIENT_NOTICE',
      });
      const s = await status(h);
      assert.equal(s.acceptedAt, undefined);
      assert.equal(s.policy, undefined);
      assert.deepEqual(s.deadlines, []);
      assert.equal(s.closedAt, closedAt);
      assertEventTypes(await deliveredTimeline(h), ['RECEIVED', 'INSUFFICIENT_NOTICE', 'CLOSED']);
    });
  });

  it("closes a release planned inside a policy's minimum notice as INSUFFICIENT_NOTICE instead of compressing", async () => {
    const strict = { ...DEFAULT_POLICY, id: 'minimum-notice-60d', minimumNoticeDays: 60 };
    const policies = new PolicyRegistry([...POLICY_PRESETS, strict]);
    await withTimeSkippingWorker(createTestActivities({ policies }), async ({ client, taskQueue }) => {
      const release = (await serverNow()) + 40 * DAY_MS;
      const submission = completeSubmission({ policyId: strict.id, plannedReleaseDate: iso(release) });
      const h = await startReview(client, taskQueue, submission);
      const { closedAt: _closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'INSUFFICIENT_NOTICE',
      });
      const s = await status(h);
      assert.deepEqual(
        s.timeline.filter((e) => e.type === 'INSUFFICIENT_NOTICE').map((e) => e.summary),
        ["planned release is less than the policy's minimum notice of 60 days away"],
      );
      assertEventTypes(await deliveredTimeline(h), ['RECEIVED', 'INSUFFICIENT_NOTICE', 'CLOSED']);
    });
  });
});
