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
} from '../helpers/review';
import { withTimeSkippingWorker } from '../helpers/workers';

const dues = (s: ReviewStatus) => Object.fromEntries(s.deadlines.map((d) => [d.key, d.dueAt]));

/** The deadlines of a case accepted at day0 under stage days ns, civilian and determination. */
const expectedDues = (day0: number, ns: number, civilian: number, determination: number) => ({
  window: iso(day0 + 90 * DAY_MS),
  'stage:NATIONAL_SECURITY': iso(day0 + ns * DAY_MS),
  'agency:NATIONAL_SECURITY:NSA': iso(day0 + ns * DAY_MS),
  'agency:NATIONAL_SECURITY:CISA': iso(day0 + ns * DAY_MS),
  'agency:NATIONAL_SECURITY:DOW': iso(day0 + ns * DAY_MS),
  'stage:CIVILIAN': iso(day0 + civilian * DAY_MS),
  'agency:CIVILIAN:CAISI': iso(day0 + civilian * DAY_MS),
  'agency:CIVILIAN:DOE': iso(day0 + civilian * DAY_MS),
  'agency:CIVILIAN:TREASURY': iso(day0 + civilian * DAY_MS),
  determination: iso(day0 + determination * DAY_MS),
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
        assert.deepEqual(acceptedA.policy, { id: 'draft-2026-90d', version: 2 });
        assert.deepEqual(dues(acceptedA), expectedDues(day0A, 45, 75, 85));

        const inForce = registry.inForce('draft-2026-90d')!;
        registry.publish({
          ...inForce,
          version: 3,
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
        assert.deepEqual(acceptedB.policy, { id: 'draft-2026-90d', version: 3 });
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
