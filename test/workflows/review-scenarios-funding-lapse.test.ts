import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  CIVILIAN_AGENCIES,
  DAY_MS,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  skipTo,
  startAccepted,
  status,
  untilDelivered,
  untilStage,
  type ReviewHandle,
  reviewDeadlines,
  callbacksOf,
} from '../helpers/review';
import { businessDaysDue, dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker, type WorkerContext } from '../helpers/workers';

const dues = (s: ReviewStatus) =>
  Object.fromEntries(reviewDeadlines(s).map((d) => [d.key, Date.parse(d.dueAt)]));
const GOVERNMENT_STAGE_AND_AGENCY_KEYS = [
  'stage:NATIONAL_SECURITY',
  'agency:NATIONAL_SECURITY:NSA',
  'agency:NATIONAL_SECURITY:CISA',
  'agency:NATIONAL_SECURITY:DOW',
  'stage:CIVILIAN',
  'agency:CIVILIAN:CAISI',
  'agency:CIVILIAN:DOE',
  'agency:CIVILIAN:TREASURY',
];
/** The day of the policy each of those deadlines falls on: day 45 for the national-security stage, 75 for the civilian. */
const dayOf = (k: string): number => (k.includes('NATIONAL_SECURITY') ? 45 : 75);
/**
 * A day-n deadline tolled for `ms` (rules 7, domain.md "Counting, precisely"): its due date as it stands (day n,
 * moved to a business day), then the toll's whole days, rounded, then to a business day again.
 */
const tolledDue = (day0: number, n: number, ms: number): number =>
  dayDue(dayDue(day0, n), Math.round(ms / DAY_MS));

/** A case accepted now; returns its handle and day 0. */
async function acceptedCase({
  client,
  taskQueue,
}: WorkerContext): Promise<{ h: ReviewHandle; day0: number }> {
  const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
  await untilDelivered(h);
  return { h, day0 };
}

const toll = (h: ReviewHandle) =>
  h.executeUpdate(M.tollClocks.update, {
    args: [{ actor: 'ops', lapseId: 'lapse-fy27', reason: 'lapse in appropriations' }],
  });
const resume = (h: ReviewHandle) =>
  h.executeUpdate(M.resumeClocks.update, { args: [{ actor: 'ops', lapseId: 'lapse-fy27' }] });
const acceptOffer = (h: ReviewHandle) =>
  h.executeUpdate(M.respondToExtensionOffer.update, {
    args: [{ actor: 'lab:acme', offerId: 'offer-1', accept: true }],
  });

describe('review workflow: a funding lapse of eight days (scenario 13)', () => {
  it("moves every open government deadline by the lapse, not the lab's window, and offers the lab an extension where the determination would pass it", async () => {
    await withTimeSkippingWorker(createTestActivities(), async (ctx) => {
      const { h, day0 } = await acceptedCase(ctx);
      const windowEnd = endOfDay(day0, 90);
      assert.deepEqual(dues(await status(h)), {
        ...Object.fromEntries(GOVERNMENT_STAGE_AND_AGENCY_KEYS.map((k) => [k, dayDue(day0, dayOf(k))])),
        window: windowEnd,
        determination: dayDue(day0, 85),
      });

      await skipTo(h, day0 + 10 * DAY_MS);
      const tolled = await toll(h);
      const during = await untilDelivered(h);
      assert.deepEqual(during.flags, ['FUNDING_LAPSE']);
      assert.deepEqual(during.fundingLapses, [
        { id: 'lapse-fy27', reason: 'lapse in appropriations', from: tolled.at },
      ]);

      await skipTo(h, Date.parse(tolled.at) + 8 * DAY_MS);
      const resumed = await resume(h);
      // The server's clock also runs while the test works: the lapse is eight days and a few milliseconds.
      const lapse = Date.parse(resumed.at) - Date.parse(tolled.at);
      assert.ok(lapse >= 8 * DAY_MS && lapse < 8 * DAY_MS + 60_000, `lapse of ${lapse} ms`);

      const after = await untilDelivered(h);
      assert.deepEqual(dues(after), {
        ...Object.fromEntries(
          GOVERNMENT_STAGE_AND_AGENCY_KEYS.map((k) => [k, tolledDue(day0, dayOf(k), lapse)]),
        ),
        window: windowEnd,
        // Day 85 + 8 = day 93 would pass the window's end (day 90): it is held there until the lab consents.
        determination: windowEnd,
      });
      assert.equal(after.windowEnd, iso(windowEnd));
      assert.deepEqual(after.flags, ['WINDOW_AT_RISK']);
      // Rules 7: the case checked its window during the lapse and offered the extension the moment the tolled
      // determination would pass the window's end: 4.5 days into it on the wall clock, when the toll counts 5
      // whole days. The offer keeps the policy's five days between that determination and the window's end.
      const determinationDue = tolledDue(day0, 85, lapse);
      const proposed = endOfDay(tolledDue(day0, 85, 5 * DAY_MS), 5);
      const [offer] = after.extensionOffers;
      assert.deepEqual(after.extensionOffers, [
        { id: 'offer-1', proposedWindowEnd: iso(proposed), offeredAt: offer.offeredAt },
      ]);
      atOrJustAfter(offer.offeredAt, Date.parse(tolled.at) + 4.5 * DAY_MS);
      assert.ok(Date.parse(offer.offeredAt) < Date.parse(resumed.at));

      await acceptOffer(h);
      const extended = await untilDelivered(h);
      assert.equal(extended.windowEnd, iso(proposed));
      assert.equal(dues(extended).determination, determinationDue);
      assert.deepEqual(extended.flags, []);
      assertEventTypes(await callbacksOf(h, ['WINDOW_AT_RISK', 'WINDOW_EXTENDED']), [
        'WINDOW_AT_RISK',
        'WINDOW_EXTENDED',
      ]);
      await h.terminate('test done');
    });
  });

  it('lets the most severe position stand at the moved determination deadline when the lab accepted the extension and the chair is silent', async () => {
    await withTimeSkippingWorker(createTestActivities(), async (ctx) => {
      const { h, day0 } = await acceptedCase(ctx);
      await skipTo(h, day0 + 10 * DAY_MS);
      const tolled = await toll(h);
      await skipTo(h, Date.parse(tolled.at) + 8 * DAY_MS);
      const lapse = Date.parse((await resume(h)).at) - Date.parse(tolled.at);
      await untilDelivered(h);
      await acceptOffer(h);

      await decide(h, 'NSA', decision('CONCERNS_UNRESOLVED'));
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, CIVILIAN_AGENCIES);
      const escalated = await untilDelivered(h);
      assert.deepEqual(escalated.flags, ['ESCALATED']);
      // Day 85 plus the lapse at close of business, unless the chair's three business days end later.
      const determinationDue = Math.max(
        tolledDue(day0, 85, lapse),
        businessDaysDue(Date.parse(escalated.escalation!.at), 3),
      );
      assert.equal(dues(escalated).determination, determinationDue);

      // The chair stays silent: at the determination deadline (day 85 + the lapse) NSA's position stands.
      const { closedAt: _closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: escalated.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'DEFERRAL_RECOMMENDED',
      });
      const closed = await status(h);
      assert.deepEqual(closed.determination?.flags, ['CHAIR_DID_NOT_RESOLVE']);
      atOrJustAfter(closed.determination?.issuedAt, determinationDue);
    });
  });
});
