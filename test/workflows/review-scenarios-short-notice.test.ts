import assert from 'node:assert/strict';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  DAY_MS,
  iso,
  serverNow,
  startAccepted,
  terminateWhenDelivered,
  reviewDeadlines,
} from '../helpers/review';
import { compressedDue } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

describe('review workflow: release planned 40 days after submission under the 90-day policy (scenario 2)', () => {
  it('flags SHORT_NOTICE, ends the window at the planned release and compresses every government deadline by the time left', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submittedAt = await serverNow();
      const release = submittedAt + 40 * DAY_MS;
      const submission = completeSubmission({ plannedReleaseDate: iso(release) });
      const { h, accepted: s, day0 } = await startAccepted(client, taskQueue, submission);

      // Each due time (close of business on its day, before any move to a business day) keeps its share of
      // the window: (release - day 0) / (the window's natural end, 24:00 of day 90 - day 0), about 40/90. The
      // compressed time then falls due at the next close of business on a business day, never past the release.
      const compressed = (days: number) => iso(Math.min(compressedDue(day0, release, days), release));
      // A compressed determination (about day 38) that a weekend or holiday moves past the release puts the
      // window at risk from the start.
      const atRisk = compressedDue(day0, release, 85) > release ? (['WINDOW_AT_RISK'] as const) : [];
      assert.deepEqual(s.flags, ['SHORT_NOTICE', ...atRisk]);
      assert.equal(s.windowEnd, iso(release));
      assert.deepEqual(Object.fromEntries(reviewDeadlines(s).map((d) => [d.key, d.dueAt])), {
        window: iso(release),
        'stage:NATIONAL_SECURITY': compressed(45),
        'agency:NATIONAL_SECURITY:NSA': compressed(45),
        'agency:NATIONAL_SECURITY:CISA': compressed(45),
        'agency:NATIONAL_SECURITY:DOW': compressed(45),
        'stage:CIVILIAN': compressed(75),
        'agency:CIVILIAN:CAISI': compressed(75),
        'agency:CIVILIAN:DOE': compressed(75),
        'agency:CIVILIAN:TREASURY': compressed(75),
        determination: compressed(85),
      });
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.dueAt]),
        [
          ['NSA', compressed(45)],
          ['CISA', compressed(45)],
          ['DOW', compressed(45)],
          ['CAISI', compressed(75)],
          ['DOE', compressed(75)],
          ['TREASURY', compressed(75)],
        ],
      );
      await terminateWhenDelivered(h);
    });
  });
});
