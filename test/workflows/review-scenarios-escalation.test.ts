import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  CIVILIAN_AGENCIES,
  decide,
  decision,
  filingReleasedInAYear,
  iso,
  noConcernsFrom,
  skipTo,
  startAccepted,
  status,
  terminateWhenDelivered,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { businessDaysDue, dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker, type WorkerContext } from '../helpers/workers';

/**
 * NSA CONCERNS_UNRESOLVED, CISA CONCERNS_MITIGATED, DOW silent past day 45 (close of business), the civilians
 * NO_CONCERNS: the case is escalated to the chair. Returns the handle, day 0 and the determination deadline.
 */
async function escalatedCase({
  client,
  taskQueue,
}: WorkerContext): Promise<{ h: ReviewHandle; day0: number; determinationDue: number }> {
  const { h, day0 } = await startAccepted(client, taskQueue, await filingReleasedInAYear());
  await decide(h, 'NSA', decision('CONCERNS_UNRESOLVED'));
  await decide(h, 'CISA', decision('CONCERNS_MITIGATED'));
  const day45 = dayDue(day0, 45);
  await skipTo(h, day45 + 60 * 60_000);
  const civilian = await untilStage(h, 'CIVILIAN');
  const dow = civilian.agencies.find((a) => a.agency === 'DOW');
  assert.equal(dow?.decision?.kind, 'NO_RESPONSE');
  atOrJustAfter(dow?.decision?.recordedAt, day45);

  await noConcernsFrom(h, CIVILIAN_AGENCIES);
  const escalated = await status(h);
  assert.equal(escalated.stage, 'DETERMINATION');
  assert.deepEqual(escalated.flags, ['ESCALATED', 'NO_RESPONSE']);
  assert.deepEqual(escalated.escalation?.unresolvedAgencies, ['NSA']);
  assert.equal(escalated.determination, undefined);
  // Day 85 at close of business, unless the chair's three business days from the escalation end later.
  const determinationDue = Math.max(
    dayDue(day0, 85),
    businessDaysDue(Date.parse(escalated.escalation.at), 3),
  );
  assert.equal(escalated.deadlines.find((d) => d.key === 'determination')?.dueAt, iso(determinationDue));
  return { h, day0, determinationDue };
}

describe('review workflow: conflicting positions go to the chair (scenario 7)', () => {
  it('issues the determination the chair resolves with, PROCEED_WITH_COMMITMENTS, by the CHAIR', async () => {
    await withTimeSkippingWorker(createTestActivities(), async (ctx) => {
      const { h } = await escalatedCase(ctx);
      const resolved = await h.executeUpdate(M.resolveEscalation.update, {
        args: [
          { actor: 'chair', outcome: 'PROCEED_WITH_COMMITMENTS', rationale: "CISA's mitigation suffices" },
        ],
      });
      const s = await status(h);
      assert.equal(s.stage, 'PRE_RELEASE');
      assert.deepEqual(
        {
          outcome: s.determination?.outcome,
          by: s.determination?.by,
          rationale: s.determination?.rationale,
          commitments: s.determination?.commitments,
          flags: s.determination?.flags,
          issuedAt: s.determination?.issuedAt,
        },
        {
          outcome: 'PROCEED_WITH_COMMITMENTS',
          by: 'CHAIR',
          rationale: "CISA's mitigation suffices",
          commitments: ['keep the mitigation'],
          flags: ['NO_RESPONSE'],
          issuedAt: resolved.at,
        },
      );
      assert.deepEqual(s.escalation, {
        at: s.escalation?.at,
        unresolvedAgencies: ['NSA'],
        resolvedAt: resolved.at,
        resolvedBy: 'chair',
      });
      assert.deepEqual(s.flags, ['NO_RESPONSE']);
      await terminateWhenDelivered(h);
    });
  });

  it('lets the most severe position stand at the determination deadline (day 85, close of business) when the chair is silent, flagged, with DOW shown as NO_RESPONSE', async () => {
    await withTimeSkippingWorker(createTestActivities(), async (ctx) => {
      const { h, day0, determinationDue } = await escalatedCase(ctx);
      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: (await status(h)).submissionId,
        closedReason: 'WINDOW_ENDED',
        outcome: 'DEFERRAL_RECOMMENDED',
      });
      atOrJustAfter(closedAt, endOfDay(day0, 90));

      const s = await status(h);
      assert.equal(s.determination?.by, 'RULE');
      assert.deepEqual(s.determination?.flags, ['NO_RESPONSE', 'CHAIR_DID_NOT_RESOLVE']);
      atOrJustAfter(s.determination?.issuedAt, determinationDue);
      assert.deepEqual(s.flags, ['CHAIR_DID_NOT_RESOLVE', 'NO_RESPONSE']);
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.decision?.kind]),
        [
          ['NSA', 'CONCERNS_UNRESOLVED'],
          ['CISA', 'CONCERNS_MITIGATED'],
          ['DOW', 'NO_RESPONSE'],
          ['CAISI', 'NO_CONCERNS'],
          ['DOE', 'NO_CONCERNS'],
          ['TREASURY', 'NO_CONCERNS'],
        ],
      );
      assert.deepEqual(
        s.determination?.agencySummaries.find((a) => a.agency === 'DOW'),
        { agency: 'DOW', kind: 'NO_RESPONSE', summary: 'No response by the deadline.' },
      );
    });
  });
});
