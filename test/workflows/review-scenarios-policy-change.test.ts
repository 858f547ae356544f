import assert from 'node:assert/strict';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  iso,
  serverNow,
  startAccepted,
  unchangedPart,
  untilDelivered,
  reviewDeadlines,
} from '../helpers/review';
import { dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

const dues = (s: ReviewStatus) => Object.fromEntries(reviewDeadlines(s).map((d) => [d.key, d.dueAt]));

/**
 * The deadlines of a case accepted at day0 under stage days ns, civilian and determination: each at close of
 * business in Washington on its day (or the next business day), the window at 24:00 of day 90.
 */
const expectedDues = (day0: number, ns: number, civilian: number, determination: number) => ({
  window: iso(endOfDay(day0, 90)),
  'stage:NATIONAL_SECURITY': iso(dayDue(day0, ns)),
  'agency:NATIONAL_SECURITY:NSA': iso(dayDue(day0, ns)),
  'agency:NATIONAL_SECURITY:CISA': iso(dayDue(day0, ns)),
  'agency:NATIONAL_SECURITY:DOW': iso(dayDue(day0, ns)),
  'stage:CIVILIAN': iso(dayDue(day0, civilian)),
  'agency:CIVILIAN:CAISI': iso(dayDue(day0, civilian)),
  'agency:CIVILIAN:DOE': iso(dayDue(day0, civilian)),
  'agency:CIVILIAN:TREASURY': iso(dayDue(day0, civilian)),
  determination: iso(dayDue(day0, determination)),
});

describe('review workflow: a policy change while cases are open (scenario 11)', () => {
  it('keeps an open case on the policy version it was accepted under; a case accepted afterwards gets the new one', async () => {
    const registry = new PolicyRegistry();
    await withTimeSkippingWorker(
      createTestActivities({ policies: registry }),
      async ({ client, taskQueue }) => {
        const release = iso((await serverNow()) + 365 * DAY_MS);
        const filing = () => completeSubmission({ plannedReleaseDate: release });
        const { h: a } = await startAccepted(client, taskQueue, filing());
        const acceptedA = await untilDelivered(a);
        const day0A = Date.parse(acceptedA.acceptedAt!);
        assert.deepEqual(acceptedA.policy, { id: 'draft-2026-90d', version: 8 });
        assert.deepEqual(dues(acceptedA), expectedDues(day0A, 45, 75, 85));

        const inForce = registry.inForce('draft-2026-90d')!;
        registry.publish({
          ...inForce,
          version: inForce.version + 1,
          stages: {
            NATIONAL_SECURITY: {
              ...inForce.stages.NATIONAL_SECURITY,
              deadline: { days: 30, calendar: 'CALENDAR_DAYS' },
            },
            CIVILIAN: { ...inForce.stages.CIVILIAN, deadline: { days: 60, calendar: 'CALENDAR_DAYS' } },
          },
          determination: { days: 80, calendar: 'CALENDAR_DAYS' },
        });

        const { h: b, accepted: acceptedB, day0: day0B } = await startAccepted(client, taskQueue, filing());
        assert.deepEqual(acceptedB.policy, { id: 'draft-2026-90d', version: 9 });
        assert.deepEqual(dues(acceptedB), expectedDues(day0B, 30, 60, 80));

        const laterA = await untilDelivered(a);
        assert.deepEqual(unchangedPart(laterA), unchangedPart(acceptedA));

        await untilDelivered(b);
        await a.terminate('test done');
        await b.terminate('test done');
      },
    );
  });
});
