import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
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
} from '../helpers/review';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { withTimeSkippingWorker } from '../helpers/workers';

const lab = 'lab:acme';
const amend = (h: ReviewHandle, at: number) =>
  h.executeUpdate(M.amendReleaseDate.update, { args: [{ actor: lab, plannedReleaseDate: iso(at) }] });

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
      assert.deepEqual(
        (await status(h)).timeline.map((e) => e.type),
        ['RECEIVED', 'DEFICIENT', 'SUPPLEMENTED', 'DEFICIENT', 'RELEASE_DATE_AMENDED', 'WITHDRAWN', 'CLOSED'],
      );
    });
  });

  it('grows the window back to its natural end when the lab moves its release later again', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await skipTo(h, day0 + 10 * DAY_MS);
      await amend(h, day0 + 60 * DAY_MS);
      assert.equal((await status(h)).windowEnd, iso(day0 + 60 * DAY_MS));
      await amend(h, day0 + 200 * DAY_MS);
      const s = await status(h);
      assert.equal(s.windowEnd, iso(day0 + 90 * DAY_MS));
      assert.deepEqual(s.flags, ['SHORT_NOTICE']);
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
      atOrJustAfter(closedAt, day0 + 90 * DAY_MS);
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
      assert.equal(result.outcome, 'REVIEW_INCOMPLETE');
      assert.equal(closed.agencies.find((a) => a.agency === 'DOE')?.state, 'UNDECIDED');
    });
  });

  it('answers an information request asked during a funding lapse after the lapse ends', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
      await h.executeUpdate(M.tollClocks.update, {
        args: [{ actor: 'ops', lapseId: 'lapse-a', reason: 'shutdown' }],
      });
      await h.executeUpdate(M.requestInformation.update, {
        args: [{ actor: 'agency:CISA', questions: ['Which evals ran?'] }],
      });
      await skipTo(h, day0 + 2 * DAY_MS);
      await h.executeUpdate(M.resumeClocks.update, { args: [{ actor: 'ops', lapseId: 'lapse-a' }] });
      const [request] = (await status(h)).informationRequests;
      await skipTo(h, day0 + 3 * DAY_MS);
      await h.executeUpdate(M.answerInformationRequest.update, {
        args: [{ actor: lab, requestId: request.id, answer: 'all of them' }],
      });
      const s = await status(h);
      assert.equal(s.informationRequests[0].status, 'ANSWERED');
      const cisa = s.agencies.find((a) => a.agency === 'CISA')!;
      const nsa = s.agencies.find((a) => a.agency === 'NSA')!;
      assert.ok(Date.parse(cisa.dueAt) > Date.parse(nsa.dueAt), 'the request tolled CISA beyond the lapse');
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
