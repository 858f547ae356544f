import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  completeSubmission,
  DAY_MS,
  iso,
  noConcernsFrom,
  NS_AGENCIES,
  serverNow,
  startAccepted,
  status,
  untilDelivered,
  untilStage,
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the lab declines a window extension', () => {
  it('caps every government deadline at the window it kept and ends the review there', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const release = (await serverNow()) + 50 * DAY_MS;
      const submission = completeSubmission({ plannedReleaseDate: iso(release) });
      const { h } = await startAccepted(client, taskQueue, submission);
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');

      // CAISI's compressed day-75 deadline (about day 41.7) plus 10 days passes the day-50 window end.
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:CAISI', days: 10, reason: 'more red-teaming' }],
      });
      const atRisk = await status(h);
      assert.deepEqual(atRisk.flags, ['SHORT_NOTICE', 'WINDOW_AT_RISK']);
      const [offer] = atRisk.extensionOffers;
      const caisiUncapped = Date.parse(
        atRisk.deadlines.find((d) => d.key === 'agency:CIVILIAN:CAISI')!.baseDue,
      );
      assert.equal(offer.id, 'offer-1');
      assert.equal(offer.proposedWindowEnd, iso(caisiUncapped + 10 * DAY_MS + 5 * DAY_MS));
      assert.equal(
        atRisk.agencies.find((a) => a.agency === 'CAISI')?.dueAt,
        iso(release),
        'capped at the window end until the lab consents',
      );

      await h.executeUpdate(M.respondToExtensionOffer.update, {
        args: [{ actor: 'lab:acme', offerId: offer.id, accept: false }],
      });
      const declined = await status(h);
      assert.equal(declined.windowEnd, iso(release));
      assert.equal(declined.extensionOffers[0].response, 'DECLINED');
      assert.deepEqual(
        declined.timeline.slice(-1).map((e) => e.type),
        ['EXTENSION_DECLINED'],
      );

      await noConcernsFrom(h, ['CAISI', 'DOE', 'TREASURY']);
      const determined = await untilStage(h, 'PRE_RELEASE');
      assert.equal(determined.determination?.outcome, 'NO_CONCERNS_IDENTIFIED');
      await untilDelivered(h);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'NO_CONCERNS_IDENTIFIED',
      });
      atOrJustAfter(closedAt, release);
    });
  });
});
