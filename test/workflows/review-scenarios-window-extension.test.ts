import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
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
  callbacksOf,
} from '../helpers/review';
import { closeOfBusinessFrom, dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: the lab declines a window extension', () => {
  it('caps every government deadline at the window it kept and ends the review there', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const release = (await serverNow()) + 50 * DAY_MS;
      const submission = completeSubmission({ plannedReleaseDate: iso(release) });
      const { h, day0, accepted } = await startAccepted(client, taskQueue, submission);
      // At acceptance every government deadline is compressed into the 50 days left: the time before its due
      // as acceptance placed it (close of business on its day, moved to a business day: rules 7) shrinks as the
      // window did.
      const factor = (release - day0) / (endOfDay(day0, 90) - day0);
      const compressed = (days: number) => day0 + Math.round((dayDue(day0, days) - day0) * factor);
      // The compressed determination (about day 47) may fall due past the release once moved to a business
      // day: then the window is at risk from acceptance, and the lab is offered an extension at once.
      const determinationAtAcceptance = closeOfBusinessFrom(compressed(85));
      const offeredAtAcceptance = determinationAtAcceptance > release;
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');

      // CAISI's compressed day-75 deadline (about day 41.7) plus 10 days passes the day-50 window end, and the
      // civilian stage it may hold open that long would move the determination by as much (stage time is
      // protected): the window the government needs ends five days after that moved determination.
      const extended = await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:CAISI', days: 10, reason: 'more red-teaming' }],
      });
      // Rules 7: ten days from CAISI's due date as it stands; the overrun moves the determination as it stands
      // by as many whole days.
      const caisiUncapped = dayDue(closeOfBusinessFrom(compressed(75)), 10);
      const overrun = Math.round((caisiUncapped - closeOfBusinessFrom(compressed(75))) / DAY_MS);
      const needed = Math.max(caisiUncapped, dayDue(closeOfBusinessFrom(compressed(85)), overrun));
      const atRisk = await status(h);
      assert.deepEqual(atRisk.flags, ['SHORT_NOTICE', 'WINDOW_AT_RISK']);
      const offer = offeredAtAcceptance
        ? {
            id: 'offer-1',
            proposedWindowEnd: iso(endOfDay(determinationAtAcceptance, 5)),
            offeredAt: accepted.acceptedAt!,
          }
        : { id: 'offer-1', proposedWindowEnd: iso(endOfDay(needed, 5)), offeredAt: extended.at };
      assert.deepEqual(atRisk.extensionOffers, [offer]);
      assert.equal(
        atRisk.agencies.find((a) => a.agency === 'CAISI')?.dueAt,
        iso(release),
        'capped at the window end until the lab consents',
      );

      const declinedAt = (
        await h.executeUpdate(M.respondToExtensionOffer.update, {
          args: [{ actor: 'lab:acme', offerId: offer.id, accept: false }],
        })
      ).at;
      const declined = await status(h);
      assert.equal(declined.windowEnd, iso(release));
      // An offer made at acceptance fell short of what CAISI's extension needs: the lab is offered that too.
      const again = Date.parse(offer.proposedWindowEnd) < needed;
      assert.deepEqual(declined.extensionOffers, [
        { ...offer, response: 'DECLINED', respondedAt: declinedAt },
        ...(again
          ? [{ id: 'offer-2', proposedWindowEnd: iso(endOfDay(needed, 5)), offeredAt: declinedAt }]
          : []),
      ]);
      assertEventTypes(declined.timeline.slice(again ? -2 : -1), [
        'EXTENSION_DECLINED',
        ...(again ? ['WINDOW_AT_RISK'] : []),
      ]);

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
      assertEventTypes(await callbacksOf(h, ['WINDOW_ENDED', 'CLOSED']), ['WINDOW_ENDED', 'CLOSED']);
      atOrJustAfter(closedAt, release);
    });
  });
});
