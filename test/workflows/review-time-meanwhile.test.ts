import assert from 'node:assert/strict';
import { POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { SA } from '../../shared/domain/search-attributes';
import { blockedLabReports } from '../helpers/activities';
import {
  completeSubmission,
  designate,
  startReview,
  status,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withTimeSkippingWorker } from '../helpers/workers';

/** What operations staff's at-risk list reads. */
const listedAtRisk = async (h: ReviewHandle): Promise<boolean | undefined> =>
  (await h.describe()).typedSearchAttributes.get(SA.atRisk);

// The case tells its lab's record of its acceptance (an activity) as the national-security stage opens. Before
// release 7's patch the loop then asked for its next wake from the instant the activity returned and looked
// only ahead: a threshold that fell while the record was unreachable waited for the wake after it, so operations
// staff did not see the case at risk until NSA's deadline itself, days later.
describe('review workflow: time that passes while the case awaits an activity', () => {
  it('is advanced through at once: a case whose NSA stage became at risk meanwhile is listed at risk as the activity returns', async () => {
    // The lab's record cannot be reached: every report fails until released.
    const { activities, reached: failing, release } = blockedLabReports('CASE_ACCEPTED', 'fail');
    await withTimeSkippingWorker(activities, async ({ client, taskQueue, env }) => {
      // The 14-day preset: NSA's stage is at risk about 5.6 days after acceptance, within the activity's week.
      const h = await startReview(
        client,
        taskQueue,
        completeSubmission({
          policyId: 'industry-14d',
          plannedReleaseDate: new Date((await env.currentTimeMs()) + 365 * 86_400_000).toISOString(),
        }),
      );
      await untilStage(h, 'DESIGNATION');
      await designate(h, true);
      await failing;
      const s = await status(h);
      assert.equal(s.stage, 'NATIONAL_SECURITY');
      const nsa = s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')!;
      const acceptedAt = Date.parse(s.acceptedAt!);
      const dueAt = Date.parse(nsa.dueAt);
      const policy = POLICY_PRESETS.find((p) => p.id === s.policy?.id && p.version === s.policy.version)!;
      const threshold = acceptedAt + policy.atRiskFraction * (dueAt - acceptedAt);
      assert.equal(await listedAtRisk(h), false);

      // Half a day past the at-risk threshold, before NSA's due time and the activity's week, the record answers.
      const returnsAt = threshold + 43_200_000;
      assert.ok(returnsAt < dueAt && returnsAt < acceptedAt + 7 * 86_400_000, 'the record answers in time');
      await env.sleep(returnsAt - (await env.currentTimeMs()));
      release();
      // Its next attempt comes within the retry's longest interval (10 minutes).
      await env.sleep('11 minutes');

      // The clock is held from here on, a day before NSA is due: only an advance at the activity's return lists
      // the case at risk.
      assert.equal(
        await waitFor(
          () => listedAtRisk(h),
          (x) => x === true,
          'the case listed at risk',
        ),
        true,
      );
      // The worker's helper ends the case and replays it (recorded with RECORD_HISTORIES=1).
    });
  });
});
