import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { DAY_MS, iso } from '../../shared/domain/time';
import { createTestActivities } from '../helpers/activities';
import { rejectedWithoutTrace } from '../helpers/assertions';
import {
  completeSubmission,
  decide,
  decision,
  historyLength,
  startAccepted,
  startReview,
  status,
  untilDelivered,
  untilStage,
  withAcceptedCaseOnDevServer,
} from '../helpers/review';
import { waitFor } from '../helpers/wait';
import { withDevServerWorker } from '../helpers/workers';

const codeOf = (err: unknown): string | undefined =>
  err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure
    ? (err.cause.type ?? undefined)
    : undefined;

/*
 * Refusals the running workflow gives, each on the real dev server (which keeps no trace of a refused update)
 * with the case shown unchanged: the rules of the message table, end to end.
 */

/**
 * The default policy with a national-security stage of 3 seconds, for a deadline that passes in a test. Washington's
 * business calendar counts whole days only, so this policy keeps none: its deadlines are plain instants.
 */
const { businessDays: _washington, ...DEFAULT_WITHOUT_CALENDAR } = DEFAULT_POLICY;
const SHORT_STAGE = {
  ...DEFAULT_WITHOUT_CALENDAR,
  id: 'test-3-second-stage',
  stages: {
    ...DEFAULT_POLICY.stages,
    NATIONAL_SECURITY: {
      ...DEFAULT_POLICY.stages.NATIONAL_SECURITY,
      deadline: { days: 3 / 86_400, calendar: 'CALENDAR_DAYS' as const },
    },
  },
};

describe('review workflow: refusals of the running workflow, end to end', () => {
  it('refuses agency and operations messages to a case not yet accepted with NOT_ACCEPTED', async () => {
    await withDevServerWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const h = await startReview(client, taskQueue, completeSubmission({ access: undefined }));
      await untilStage(h, 'DEFICIENT');
      await rejectedWithoutTrace(h, 'NOT_ACCEPTED', () => decide(h, 'NSA', decision('NO_CONCERNS')));
      await rejectedWithoutTrace(h, 'NOT_ACCEPTED', () =>
        h.executeUpdate(M.tollClocks.update, { args: [{ actor: 'ops', lapseId: 'l1', reason: 'lapse' }] }),
      );
      await h.terminate('test done');
    });
  });

  it("refuses a decision after the agency's own deadline passed in silence with DEADLINE_PASSED", async () => {
    const policies = new PolicyRegistry([...POLICY_PRESETS, SHORT_STAGE]);
    await withDevServerWorker(createTestActivities({ policies }), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission({ policyId: SHORT_STAGE.id }));
      // CISA's extension keeps the stage open after NSA's 3 seconds run out.
      await h.executeUpdate(M.requestExtension.update, {
        args: [{ actor: 'agency:CISA', days: 1, reason: 'more time' }],
      });
      await waitFor(
        () => status(h),
        (s) => s.agencies.find((a) => a.agency === 'NSA')?.decision?.kind === 'NO_RESPONSE',
        'NSA silent at its deadline',
      );
      await rejectedWithoutTrace(h, 'DEADLINE_PASSED', () => decide(h, 'NSA', decision('NO_CONCERNS')));
      assert.equal((await status(h)).stage, 'NATIONAL_SECURITY');
      await h.terminate('test done');
    });
  });

  it('refuses a release date in the past, and a release reported before it happened, with RELEASE_DATE_INVALID', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      await rejectedWithoutTrace(h, 'RELEASE_DATE_INVALID', () =>
        h.executeUpdate(M.amendReleaseDate.update, {
          args: [{ actor: 'lab:acme', plannedReleaseDate: iso(Date.now() - DAY_MS) }],
        }),
      );
      await rejectedWithoutTrace(h, 'RELEASE_DATE_INVALID', () =>
        h.executeUpdate(M.reportRelease.update, {
          args: [{ actor: 'lab:acme', releasedAt: iso(Date.now() + DAY_MS) }],
        }),
      );
    });
  });

  it('refuses the end of a lapse that is not active with FUNDING_LAPSE_NOT_ACTIVE, and a second lapse with FUNDING_LAPSE_ACTIVE', async () => {
    await withAcceptedCaseOnDevServer(async (h) => {
      const toll = (lapseId: string) =>
        h.executeUpdate(M.tollClocks.update, { args: [{ actor: 'ops', lapseId, reason: 'lapse' }] });
      const resume = (lapseId: string) =>
        h.executeUpdate(M.resumeClocks.update, { args: [{ actor: 'ops', lapseId }] });
      await rejectedWithoutTrace(h, 'FUNDING_LAPSE_NOT_ACTIVE', () => resume('lapse-a'));
      await toll('lapse-a');
      await untilDelivered(h);
      // While a lapse is active the due times grow by the minute, so only the history can show "no trace".
      const events = await historyLength(h);
      await assert.rejects(toll('lapse-b'), (err: unknown) => codeOf(err) === 'FUNDING_LAPSE_ACTIVE');
      await assert.rejects(resume('lapse-b'), (err: unknown) => codeOf(err) === 'FUNDING_LAPSE_NOT_ACTIVE');
      assert.equal(await historyLength(h), events);
      await resume('lapse-a');
      await untilDelivered(h);
      // A lapse id is used once.
      await rejectedWithoutTrace(h, 'FUNDING_LAPSE_ACTIVE', () => toll('lapse-a'));
    });
  });
});
