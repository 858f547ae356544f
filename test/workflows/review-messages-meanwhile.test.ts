import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { COMMITMENT_MESSAGES } from '../../shared/domain/commitments/messages';
import { commitmentWorkflowId } from '../../shared/domain/commitments/workflow';
import type { LabFact } from '../../shared/domain/labs/facts';
import { SA } from '../../shared/domain/search-attributes';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  decide,
  decision,
  designate,
  noConcernsFrom,
  startAccepted,
  startReview,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker } from '../helpers/workers';

/** What operations staff's and the agencies' lists read: the agencies the case awaits. */
const awaited = async (h: ReviewHandle): Promise<string[]> =>
  (await h.describe()).typedSearchAttributes.get(SA.awaiting) ?? [];

/** Activities whose report of `kind` to the lab's record is held, the first time, until `release()`. */
function holdingReport(kind: LabFact['kind']) {
  let reporting!: () => void;
  const held = new Promise<void>((r) => (reporting = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const real = createTestActivities();
  let first = true;
  const activities = {
    ...real,
    async reportToLab(input: { labId: string; fact: LabFact }): Promise<void> {
      if (input.fact.kind === kind && first) {
        first = false;
        reporting();
        await released;
      }
      return real.reportToLab(input);
    },
  };
  return { activities, held, release };
}

// The case tells its lab's record of its acceptance (an activity) just as the national-security stage opens.
// A decision accepted while the loop awaited that activity used to wait for the next message or deadline
// (days) before the case published it: the full run once saw NSA's own list still show a case NSA had decided.
describe('review workflow: a message accepted while the case awaits an activity', () => {
  it('is published at once: NSA leaves the awaited list as soon as its decision is in', async () => {
    const { activities, held, release } = holdingReport('CASE_ACCEPTED');
    await withDevServerWorker(activities, async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission());
      await untilStage(h, 'DESIGNATION');
      await designate(h, true);
      await held;
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

  it('is published at once for a commitment too: the lab attests while the lab’s record hears of its standing', async () => {
    const { activities, held, release } = holdingReport('COMMITMENT_STANDING');
    await withDevServerWorker(activities, async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      await decide(h, 'NSA', decision('CONCERNS_MITIGATED', { commitments: ['Keep the refusal layer on'] }));
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, ['CAISI', 'DOE', 'TREASURY']);
      const s = await untilStage(h, 'PRE_RELEASE');
      const [owned] = s.determination!.owned!;
      // The commitment tells the lab's record it is pending, and is held there while the lab attests.
      await held;
      const c: WorkflowHandle = client.workflow.getHandle(commitmentWorkflowId(owned.commitmentId));
      const state = async () => (await c.describe()).typedSearchAttributes.get(SA.itemState);
      assert.equal(await state(), 'OPEN');
      await c.executeUpdate(COMMITMENT_MESSAGES.attest.update.name, {
        args: [{ actor: `lab:${s.labId}`, statement: 'The refusal layer shipped on.' }],
      });
      release();
      await waitFor(state, (x) => x === 'ATTESTED', 'the commitment listed as attested');
      await c.terminate('test done');
      await h.terminate('test done');
    });
  });
});
