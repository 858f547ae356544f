import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import {
  everyAgencyNoConcerns,
  filingReleasedInAYear,
  startAccepted,
  status,
  untilDelivered,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

const report = (h: Parameters<typeof status>[0], releasedAt?: string) =>
  h.executeUpdate(M.reportRelease.update, { args: [{ actor: 'lab:acme', releasedAt }] });

describe('review workflow: the lab reports its public release', () => {
  it('closes a determined case as RELEASED, keeps its determination and flags an early release', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear();
      const { h } = await startAccepted(client, taskQueue, submission);
      const determined = await everyAgencyNoConcerns(h);
      const receipt = await report(h);
      await untilDelivered(h);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'RELEASED',
        outcome: 'NO_CONCERNS_IDENTIFIED',
      });
      const s = await status(h);
      assert.deepEqual(s.release, { releasedAt: receipt.at, reportedAt: receipt.at, early: true });
      assert.deepEqual(s.determination, determined.determination);
      assert.deepEqual(s.flags, ['EARLY_RELEASE']);
      assert.equal(closedAt, receipt.at);
      assertEventTypes(s.timeline.slice(-2), ['RELEASE_REPORTED', 'CLOSED']);
    });
  });

  it('issues REVIEW_INCOMPLETE, flagged REVIEW_CUT_SHORT, when the lab releases during the national-security review', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingReleasedInAYear();
      const { h } = await startAccepted(client, taskQueue, submission);
      const receipt = await report(h);
      await untilDelivered(h);
      const { closedAt: _closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'RELEASED',
        outcome: 'REVIEW_INCOMPLETE',
      });
      const s = await status(h);
      // The reported release ends the window: every required review was cut short, and no position was recorded.
      assert.equal(s.determination?.issuedAt, receipt.at);
      assert.equal(
        s.determination?.rationale,
        'The lab released the model before the review finished. ' +
          'The pre-release window ended before every required review finished; cut short: ' +
          'NATIONAL_SECURITY:NSA, NATIONAL_SECURITY:CISA, NATIONAL_SECURITY:DOW, CIVILIAN:CAISI, CIVILIAN:DOE, CIVILIAN:TREASURY; ' +
          'positions recorded: none.',
      );
      assert.deepEqual(s.determination?.flags, ['REVIEW_CUT_SHORT']);
      assert.deepEqual(s.flags, ['EARLY_RELEASE', 'REVIEW_CUT_SHORT']);
      assertEventTypes(s.timeline.slice(-3), ['RELEASE_REPORTED', 'DETERMINATION_ISSUED', 'CLOSED']);
    });
  });
});
