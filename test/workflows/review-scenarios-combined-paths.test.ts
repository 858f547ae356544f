import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  completeSubmission,
  DAY_MS,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  NS_AGENCIES,
  serverNow,
  skip,
  skipTo,
  startAccepted,
  startReview,
  status,
  terminateWhenDelivered,
  untilDelivered,
  untilStage,
  type ReviewHandle,
  reviewDeadlines,
  designate,
} from '../helpers/review';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { businessDaysDue, closeOfBusinessFrom, dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

const lab = 'lab:acme';
const amend = (h: ReviewHandle, at: number) =>
  h.executeUpdate(M.amendReleaseDate.update, { args: [{ actor: lab, plannedReleaseDate: iso(at) }] });
const dues = (s: ReviewStatus) => Object.fromEntries(reviewDeadlines(s).map((d) => [d.key, d.dueAt]));
/**
 * A day-n deadline as it stands (on a business day) moved by a toll of `ms`: its whole days, rounded, then to a
 * business day again (rules 7, domain.md "Counting, precisely").
 */
const tolledDue = (day0: number, n: number, ms: number): number =>
  dayDue(dayDue(day0, n), Math.round(ms / DAY_MS));

describe('review workflow: paths that combine several messages', () => {
  it('keeps a filing deficient through a supplement that leaves a gap, takes an amendment there, and withdraws', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(
        client,
        taskQueue,
        await filingReleasedInAYear({ access: undefined, callbackUrl: undefined }),
      );
      const first = await untilStage(h, 'DEFICIENT');
      assert.deepEqual(first.deficiency?.gaps, ['access', 'callbackUrl']);
      await h.executeUpdate(M.supplement.update, {
        args: [{ actor: lab, fields: { access: { kind: 'API', details: 'gated endpoint' } } }],
      });
      const again = await untilStage(h, 'DEFICIENT');
      assert.deepEqual(again.deficiency, { ...first.deficiency, gaps: ['callbackUrl'] });
      const later = Date.parse(again.plannedReleaseDate) + 30 * DAY_MS;
      await amend(h, later);
      assert.equal((await status(h)).plannedReleaseDate, iso(later));
      await h.executeUpdate(M.withdraw.update, { args: [{ actor: lab, reason: 'not ready' }] });
      const { closedAt: _c, ...result } = await h.result();
      assert.deepEqual(result, { submissionId: again.submissionId, closedReason: 'WITHDRAWN' });
      assertEventTypes((await status(h)).timeline, [
        'RECEIVED',
        'DEFICIENT',
        'SUPPLEMENTED',
        'DEFICIENT',
        'RELEASE_DATE_AMENDED',
        'WITHDRAWN',
        'CLOSED',
      ]);
    });
  });

  it('grows the window back to its natural end, with its deadlines and without SHORT_NOTICE, when the lab moves its release later again', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      const naturalEnd = endOfDay(day0, 90);
      await skipTo(h, day0 + 10 * DAY_MS);
      const release = day0 + 60 * DAY_MS;
      const t = Date.parse((await amend(h, release)).at);
      const short = await status(h);
      assert.equal(short.windowEnd, iso(release));
      // The compressed determination (about day 53) may be moved past the release to a business day: then
      // the window is at risk as well.
      const factor = (release - t) / (naturalEnd - t);
      const determination = closeOfBusinessFrom(t + Math.round((dayDue(day0, 85) - t) * factor));
      const atRisk = determination > release ? (['WINDOW_AT_RISK'] as const) : [];
      assert.deepEqual(short.flags, ['SHORT_NOTICE', ...atRisk]);
      await amend(h, day0 + 200 * DAY_MS);
      const s = await status(h);
      assert.equal(s.windowEnd, iso(naturalEnd));
      // Compression is taken back: every deadline is due at its uncompressed time again, and the window is whole.
      assert.deepEqual(dues(s), {
        window: iso(naturalEnd),
        'stage:NATIONAL_SECURITY': iso(dayDue(day0, 45)),
        'agency:NATIONAL_SECURITY:NSA': iso(dayDue(day0, 45)),
        'agency:NATIONAL_SECURITY:CISA': iso(dayDue(day0, 45)),
        'agency:NATIONAL_SECURITY:DOW': iso(dayDue(day0, 45)),
        'stage:CIVILIAN': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:CAISI': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:DOE': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:TREASURY': iso(dayDue(day0, 75)),
        determination: iso(dayDue(day0, 85)),
      });
      assert.deepEqual(s.flags, []);
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, ['CAISI', 'DOE', 'TREASURY']);
      await untilStage(h, 'PRE_RELEASE');
      await untilDelivered(h);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: s.submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'NO_CONCERNS_IDENTIFIED',
      });
      atOrJustAfter(closedAt, naturalEnd);
    });
  });

  it('lets the window win when the lab ignores an extension offer', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const release = (await serverNow()) + 50 * DAY_MS;
      const { h } = await startAccepted(
        client,
        taskQueue,
        completeSubmission({ plannedReleaseDate: iso(release) }),
      );
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:NSA', days: 10, reason: 'more time' }],
      });
      await noConcernsFrom(h, ['CISA', 'DOW']);
      await decide(h, 'NSA', decision('CONCERNS_MITIGATED'));
      await untilStage(h, 'CIVILIAN');
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:DOE', days: 10, reason: 'more time' }],
      });
      const atRisk = await status(h);
      assert.ok(atRisk.flags.includes('WINDOW_AT_RISK'), atRisk.flags.join());
      assert.equal(atRisk.extensionOffers.length, 1);
      await noConcernsFrom(h, ['CAISI', 'TREASURY']);
      await untilDelivered(h);
      const { closedAt, ...result } = await h.result();
      assert.equal(result.closedReason, 'WINDOW_ENDED');
      atOrJustAfter(closedAt, release);
      const closed = await status(h);
      assert.equal(closed.extensionOffers[0].response, undefined);
      // DOE's extended deadline was still ahead when the window ended: its review was cut short.
      assert.equal(result.outcome, 'REVIEW_INCOMPLETE');
      assert.deepEqual(closed.determination?.flags, ['REVIEW_CUT_SHORT']);
      assert.equal(closed.agencies.find((a) => a.agency === 'DOE')?.state, 'UNDECIDED');
    });
  });

  it('answers an information request asked during a funding lapse after the lapse ends', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      const tolled = await h.executeUpdate(M.tollClocks.update, {
        args: [{ actor: 'ops', lapseId: 'lapse-a', reason: 'shutdown' }],
      });
      const asked = await h.executeUpdate(M.requestInformation.update, {
        args: [{ actor: 'agency:CISA', questions: ['Which evals ran?'] }],
      });
      await skipTo(h, day0 + 2 * DAY_MS);
      const resumed = await h.executeUpdate(M.resumeClocks.update, {
        args: [{ actor: 'ops', lapseId: 'lapse-a' }],
      });
      const [request] = (await status(h)).informationRequests;
      // The lab's three business days, at close of business; the lapse tolls only the government's clocks.
      assert.equal(request.dueAt, iso(businessDaysDue(Date.parse(asked.at), 3)));
      await skipTo(h, day0 + 3 * DAY_MS);
      const answered = await h.executeUpdate(M.answerInformationRequest.update, {
        args: [{ actor: lab, requestId: request.id, answer: 'all of them' }],
      });
      const s = await status(h);
      assert.equal(s.informationRequests[0].status, 'ANSWERED');
      // NSA and DOW were tolled for the lapse; CISA from the lapse's start until the lab answered, beyond the
      // lapse. Each day-45 due as it stands moves by the whole days tolled, then to a business day.
      const at = (r: { at: string }) => Date.parse(r.at);
      const afterLapse = iso(tolledDue(day0, 45, at(resumed) - at(tolled)));
      assert.deepEqual(
        Object.fromEntries(
          s.agencies.filter((a) => a.stage === 'NATIONAL_SECURITY').map((a) => [a.agency, a.dueAt]),
        ),
        {
          NSA: afterLapse,
          CISA: iso(tolledDue(day0, 45, at(answered) - at(tolled))),
          DOW: afterLapse,
        },
      );
      await noConcernsFrom(h, NS_AGENCIES);
      await untilStage(h, 'CIVILIAN');
      await terminateWhenDelivered(h);
    });
  });

  it('keeps a closed case open for the grace period while its callbacks fail, then completes', async () => {
    const receiver = await startScriptedReceiver(() => ({ status: 410 }));
    try {
      await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
        const submission = completeSubmission({
          callbackUrl: receiver.url,
          model: { name: 'Small-1', version: '1', trainingComputeFlop: 1e24 },
        });
        const h = await startReview(client, taskQueue, submission);
        // NSA designates it not covered at once (the screen proposes so too): the case closes.
        await untilStage(h, 'DESIGNATION');
        await designate(h, false);
        await untilStage(h, 'CLOSED');
        const closing = await status(h);
        assert.deepEqual(closing.flags, ['CALLBACK_FAILING']);
        await skip('8 days');
        const { closedAt: _c, ...result } = await h.result();
        assert.deepEqual(result, { submissionId: submission.submissionId, closedReason: 'NOT_COVERED' });
        const done = await status(h);
        assert.equal(done.callbacks.delivered, 0);
        assert.equal(done.callbacks.failing?.eventId, `${submission.submissionId}:1`);
      });
    } finally {
      await receiver.close();
    }
  });
});
