import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { createTestActivities } from '../helpers/activities';
import { atOrJustAfter } from '../helpers/assertions';
import {
  DAY_MS,
  filingReleasedInAYear,
  iso,
  skipTo,
  startReview,
  terminateWhenDelivered,
  untilDelivered,
  untilAccepted,
  untilStage,
} from '../helpers/review';
import { dayDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

/** A filing without a model access arrangement, released a year after the time-skipping server's now. */
const filingWithoutAccess = () => filingReleasedInAYear({ access: undefined });

describe('review workflow: a deficient filing (scenario 3)', () => {
  it('starts day 0 at acceptance after a supplement on day 6, not at first receipt', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, await filingWithoutAccess());
      const deficient = await untilStage(h, 'DEFICIENT');
      const received = Date.parse(deficient.receivedAt);
      const since = Date.parse(deficient.deficiency!.since);
      atOrJustAfter(deficient.deficiency?.since, received);
      assert.deepEqual(deficient.deficiency, {
        gaps: ['access'],
        since: iso(since),
        supplementDue: iso(since + 30 * DAY_MS),
      });
      assert.equal(deficient.acceptedAt, undefined);

      await skipTo(h, received + 6 * DAY_MS);
      const supplemented = await h.executeUpdate(M.supplement.update, {
        args: [{ actor: 'lab:acme', fields: { access: { kind: 'WEIGHTS', details: 'weights in a SCIF' } } }],
      });
      const s = await untilAccepted(h);

      const day0 = Date.parse(s.acceptedAt!);
      assert.ok(day0 >= Date.parse(supplemented.at), `accepted ${s.acceptedAt} before the supplement`);
      atOrJustAfter(s.acceptedAt, received + 6 * DAY_MS);
      // Washington days count from the day of acceptance: the window ends at 24:00 of day 90, and the
      // national-security stage falls due at close of business on day 45 (or the next business day).
      assert.equal(s.windowEnd, iso(endOfDay(day0, 90)));
      assert.equal(
        s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt,
        iso(dayDue(day0, 45)),
      );
      assertEventTypes(s.timeline, [
        'RECEIVED',
        'DEFICIENT',
        'SUPPLEMENTED',
        'DESIGNATION_PENDING',
        'DESIGNATED',
        'ACCEPTED',
        'STAGE_OPENED',
      ]);
      await terminateWhenDelivered(h);
    });
  });

  it('closes an uncured deficient filing as DEFICIENCY_NOT_CURED once the 30-day supplement period ends', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const submission = await filingWithoutAccess();
      const h = await startReview(client, taskQueue, submission);
      const deficient = await untilStage(h, 'DEFICIENT');
      const supplementDue = Date.parse(deficient.deficiency!.since) + 30 * DAY_MS;
      await untilDelivered(h);

      const { closedAt, ...result } = await h.result();
      assert.deepEqual(result, {
        submissionId: submission.submissionId,
        closedReason: 'DEFICIENCY_NOT_CURED',
      });
      atOrJustAfter(closedAt, supplementDue);
    });
  });
});
