import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { COMMITMENT_MESSAGES, commitmentQuery } from '../../shared/domain/commitments/messages';
import { commitmentWorkflowId } from '../../shared/domain/commitments/workflow';
import { eligibilityOf } from '../../shared/domain/labs/eligibility';
import { LAB_MESSAGES, labQuery, type LabReceipt } from '../../shared/domain/labs/messages';
import type { LabRecord } from '../../shared/domain/labs/record';
import { labWorkflowId } from '../../shared/domain/labs/workflow';
import { DEFAULT_POLICY } from '../../shared/domain/policy-presets';
import { refusedUpdate } from '../helpers/assertions';
import { createTestActivities } from '../helpers/activities';
import {
  completeSubmission,
  decide,
  decision,
  everyAgencyNoConcerns,
  noConcernsFrom,
  startReview,
  status,
  untilAccepted,
  untilStage,
  untilDelivered,
} from '../helpers/review';
import { testServers } from '../setup/servers';
import { uniqueId, withTimeSkippingWorker } from '../helpers/workers';
import { waitFor } from '../helpers/wait';

const TERMS = DEFAULT_POLICY.trustedPartner!;

/**
 * Issue 14, part 3: each lab's record is one long-lived workflow that its cases and commitments report to; the
 * policy in force proposes trusted partners, the chair designates and revokes, and each case pins the lab's
 * status at acceptance, which chooses its policy.
 */
// Each on a time-skipping server of its own: a lab's record spans years of its cases, and these skips would
// carry the shared server's clock (and any timer another test left) a year and more ahead.
describe('trusted partners (issue 14, part 3)', function () {
  this.timeout(240_000);

  const labHandle = (client: Client, taskQueue: string, labId: string) =>
    client.workflow.getHandle(labWorkflowId(taskQueue, labId));

  /** The lab's record once it satisfies `done` and every status change is delivered. */
  const readLab = async (h: WorkflowHandle, done: (r: LabRecord) => boolean) =>
    (await waitFor(
      () => h.query(labQuery).catch(() => undefined),
      (r) => r !== undefined && r.callbacks.every((c) => c.status !== 'PENDING') && done(r),
      `lab record ${h.workflowId}`,
    ))!;

  const chair = (h: WorkflowHandle, key: keyof typeof LAB_MESSAGES, reason: string, eligible: boolean) =>
    h.executeUpdate<LabReceipt, [object]>(LAB_MESSAGES[key].update.name, {
      args: [{ actor: 'chair', reason, eligible }],
    });

  const refused = refusedUpdate;

  /**
   * A case of the lab reviewed with no concerns, through to the end of its window. The clock is moved exactly to
   * the window's end: awaiting `h.result()` lets the server skip on to the next timer of any workflow once the
   * case is idle, which carried the lab's record past the end of its year's run (365 days later) in every review,
   * and the chair's next message then raced the record's continue-as-new. The time-skipping server answers an
   * update that meets a run closing that way with "Completed workflow" (a real server retries it on the new run).
   */
  async function completedReview(
    client: Client,
    taskQueue: string,
    labId: string,
    env: TestWorkflowEnvironment,
  ): Promise<void> {
    const h = await startReview(client, taskQueue, completeSubmission({ labId }));
    await untilAccepted(h);
    const { windowEnd } = await everyAgencyNoConcerns(h);
    await untilDelivered(h);
    await env.sleep(Date.parse(windowEnd!) - (await env.currentTimeMs()) + 1000);
    // Closing delivers callbacks and archives the case (activities, not timers): the clock stays put meanwhile.
    await waitFor(
      () => h.describe(),
      (d) => d.status.name === 'COMPLETED',
      `case ${h.workflowId} closed at its window's end`,
    );
  }

  it('designated by the chair after two completed reviews, then revoked after a broken commitment', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue, env }) => {
      const labId = uniqueId('lab').slice(0, 24);
      const lab = labHandle(client, taskQueue, labId);

      // Two reviews completed: the policy in force proposes the lab.
      await completedReview(client, taskQueue, labId, env);
      const one = await readLab(lab, (r) => r.cases.length === 1 && r.cases[0].closedAt !== undefined);
      assert.equal(one.status, 'PARTICIPANT');
      assert.equal(eligibilityOf(one, TERMS, Date.now()).eligible, false);
      await refused('LAB_WRONG_STATUS', () => chair(lab, 'revoke', 'not a partner yet', false));
      await completedReview(client, taskQueue, labId, env);
      const two = await readLab(lab, (r) => r.cases.filter((c) => c.closedAt !== undefined).length === 2);
      assert.deepEqual(
        two.cases.map((c) => [c.statusAtAcceptance, c.closedReason, c.outcome, c.earlyRelease]),
        [
          ['PARTICIPANT', 'WINDOW_ENDED', 'NO_CONCERNS_IDENTIFIED', false],
          ['PARTICIPANT', 'WINDOW_ENDED', 'NO_CONCERNS_IDENTIFIED', false],
        ],
      );
      assert.equal(eligibilityOf(two, TERMS, Date.now()).eligible, true);

      // The chair designates; no one else may; the lab is told.
      await refused('NOT_ENTITLED', () =>
        lab.executeUpdate(LAB_MESSAGES.designate.update.name, {
          args: [{ actor: 'agency:NSA', reason: 'not the chair', eligible: true }],
        }),
      );
      const designated = await chair(lab, 'designate', 'Two completed reviews, nothing broken.', true);
      assert.equal(designated.status, 'TRUSTED_PARTNER');
      const partner = await readLab(lab, (r) => r.status === 'TRUSTED_PARTNER');
      const lastCase = partner.cases[1].submissionId;
      assert.deepEqual(
        testServers()
          .labReceiver.labEventsFor(lastCase)
          .map((e) => [e.type, (e.payload as { reason: string }).reason]),
        [['TRUSTED_PARTNER_DESIGNATED', 'Two completed reviews, nothing broken.']],
      );

      // The partner's next filing: accepted at intake (the screen stands), under the signed order's 30 days,
      // with the status pinned.
      const third = await startReview(client, taskQueue, completeSubmission({ labId }));
      const accepted = await untilStage(third, 'NATIONAL_SECURITY');
      assert.equal(accepted.designation, undefined);
      assert.deepEqual(accepted.policy, { id: 'eo-2026-30d', version: 8 });
      assert.equal(accepted.labStanding?.status, 'TRUSTED_PARTNER');
      assert.equal(accepted.labStanding?.since, designated.event.at);

      // A commitment of that case is broken: the lab attests, NSA disputes.
      await decide(
        third,
        'NSA',
        decision('CONCERNS_MITIGATED', { commitments: ['Keep the refusal layer on'] }),
      );
      await noConcernsFrom(third, ['CISA', 'DOW']);
      await untilStage(third, 'CIVILIAN');
      await noConcernsFrom(third, ['CAISI', 'DOE', 'TREASURY']);
      const determined = await untilStage(third, 'PRE_RELEASE');
      const [owned] = determined.determination!.owned!;
      const commitment = client.workflow.getHandle(commitmentWorkflowId(owned.commitmentId));
      await waitFor(
        () => commitment.query(commitmentQuery).catch(() => undefined),
        (r) => r !== undefined,
        'the commitment started',
      );
      const send = (key: keyof typeof COMMITMENT_MESSAGES, actor: string, body: object) =>
        commitment.executeUpdate(COMMITMENT_MESSAGES[key].update.name, { args: [{ actor, ...body }] });
      await send('attest', `lab:${labId}`, { statement: 'Kept on.' });
      await send('dispute', 'agency:NSA', { reason: 'Off in the open-weights build.' });
      // Its end read with the clock held (see completedReview): the disputed commitment closes at once.
      await waitFor(
        () => commitment.describe(),
        (d) => d.status.name === 'COMPLETED',
        'the disputed commitment closed',
      );
      assert.equal((await commitment.query(commitmentQuery)).state, 'DISPUTED');
      const broken = await readLab(lab, (r) => r.commitments.some((c) => c.standing === 'BROKEN'));
      const proposal = eligibilityOf(broken, TERMS, Date.now());
      assert.equal(proposal.eligible, false);
      assert.deepEqual(proposal.unmet, ['1 broken commitment(s); the policy allows 0']);
      assert.equal(broken.status, 'TRUSTED_PARTNER', 'the policy proposes; only the chair revokes');

      // The chair revokes, with its reason; the lab is told, on its latest case's endpoint.
      await refused('VALIDATION_FAILED', () => chair(lab, 'revoke', ' ', false));
      await chair(lab, 'revoke', 'A commitment broken.', false);
      const revoked = await readLab(lab, (r) => r.status === 'PARTICIPANT' && r.statusHistory.length === 2);
      assert.deepEqual(
        revoked.statusHistory.map((s) => [s.status, s.by, s.reason, s.eligible]),
        [
          ['TRUSTED_PARTNER', 'chair', 'Two completed reviews, nothing broken.', true],
          ['PARTICIPANT', 'chair', 'A commitment broken.', false],
        ],
      );
      assertEventTypes(testServers().labReceiver.labEventsFor(accepted.submissionId), [
        'TRUSTED_PARTNER_REVOKED',
      ]);
      assertEventTypes(revoked.events, [
        'CASE_ACCEPTED',
        'CASE_CLOSED',
        'CASE_ACCEPTED',
        'CASE_CLOSED',
        'TRUSTED_PARTNER_DESIGNATED',
        'CASE_ACCEPTED',
        'COMMITMENT_STANDING',
        'COMMITMENT_STANDING',
        'TRUSTED_PARTNER_REVOKED',
      ]);
      // The case keeps the status it pinned at acceptance.
      assert.equal((await status(third)).labStanding?.status, 'TRUSTED_PARTNER');
    });
  });

  it("hands the record on to a fresh run at the end of a year's run, with its status and history", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue, env }) => {
      const labId = uniqueId('lab').slice(0, 24);
      const lab = labHandle(client, taskQueue, labId);
      await completedReview(client, taskQueue, labId, env);
      await readLab(lab, (r) => r.cases[0]?.closedAt !== undefined);
      await chair(lab, 'designate', 'Designated against the proposal.', false);
      const before = await readLab(lab, (r) => r.status === 'TRUSTED_PARTNER');
      const firstRun = (await lab.describe()).runId;
      await env.sleep('366 days');
      // Read once the fresh run has taken its first task (a query to a run closing by continue-as-new waits).
      await waitFor(
        async () => {
          const d = await lab.describe();
          if (d.runId === firstRun) return false;
          const { events } = await client.workflow.getHandle(lab.workflowId, d.runId).fetchHistory();
          return (events ?? []).some((e) => e.workflowTaskCompletedEventAttributes != null);
        },
        (fresh) => fresh,
        'the record handed on to a fresh run',
      );
      const after = await lab.query(labQuery);
      assert.equal(after.status, 'TRUSTED_PARTNER');
      assert.deepEqual(after.statusHistory, before.statusHistory);
      assert.deepEqual(after.cases, before.cases);
      assert.deepEqual(
        after.events.map((e) => e.seq),
        before.events.map((e) => e.seq),
      );
      assert.equal(after.callbacks.filter((c) => c.status === 'DELIVERED').length, 1);
      // The fresh run takes the chair's messages.
      await chair(lab, 'revoke', 'Revoked in the fresh run.', false);
      assert.equal((await readLab(lab, (r) => r.status === 'PARTICIPANT')).nextSeq, before.nextSeq + 1);
    });
  });
});
