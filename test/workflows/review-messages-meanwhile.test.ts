import assert from 'node:assert/strict';
import type { LabFact } from '../../shared/domain/labs/facts';
import { SA } from '../../shared/domain/search-attributes';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  decide,
  decision,
  designate,
  startReview,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker } from '../helpers/workers';

/** What operations staff's and the agencies' lists read: the agencies the case awaits. */
const awaited = async (h: ReviewHandle): Promise<string[]> =>
  (await h.describe()).typedSearchAttributes.get(SA.awaiting) ?? [];

// The case tells its lab's record of its acceptance (an activity) just as the national-security stage opens.
// A decision accepted while the loop awaited that activity used to wait for the next message or deadline
// (days) before the case published it: the full run once saw NSA's own list still show a case NSA had decided.
describe('review workflow: a message accepted while the case awaits an activity', () => {
  it('is published at once: NSA leaves the awaited list as soon as its decision is in', async () => {
    let reporting!: () => void;
    const acceptanceReporting = new Promise<void>((r) => (reporting = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const real = createTestActivities();
    const activities = {
      ...real,
      // The lab's record hears of the acceptance only once NSA's decision is in.
      async reportToLab(input: { labId: string; fact: LabFact }): Promise<void> {
        if (input.fact.kind === 'CASE_ACCEPTED') {
          reporting();
          await released;
        }
        return real.reportToLab(input);
      },
    };
    await withDevServerWorker(activities, async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission());
      await untilStage(h, 'DESIGNATION');
      await designate(h, true);
      await acceptanceReporting;
      assert.ok((await awaited(h)).includes('NSA'), 'NSA awaited once the case is accepted');
      await decide(h, 'NSA', decision('NO_CONCERNS'));
      release();
      const left = await waitFor(
        () => awaited(h),
        (a) => !a.includes('NSA'),
        'the case no longer awaiting NSA',
      );
      assert.deepEqual([...left].sort(), ['CISA', 'DOW']);
      await h.terminate('test done');
    });
  });
});
