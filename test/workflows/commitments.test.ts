import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { standingOf, type CommitmentRecord } from '../../shared/domain/commitments/commitment';
import {
  COMMITMENT_MESSAGES,
  commitmentQuery,
  type CommitmentReceipt,
} from '../../shared/domain/commitments/messages';
import {
  commitmentRecordId,
  commitmentWorkflowId,
  type CommitmentResult,
} from '../../shared/domain/commitments/workflow';
import { SA } from '../../shared/domain/search-attributes';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { caseIdOfWorkflow } from '../../shared/domain/review/workflow';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { entriesOf, verifyRecord } from '../../shared/node/permanent-record';
import { createTestActivities, testRecords, testRecordSigner } from '../helpers/activities';
import { atOrJustAfter, refusedUpdate } from '../helpers/assertions';
import {
  completeSubmission,
  decide,
  decision,
  noConcernsFrom,
  serverNow,
  startAccepted,
  status,
  untilStage,
} from '../helpers/review';
import { testServers } from '../setup/servers';
import { waitFor } from '../helpers/wait';
import { businessDaysDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

const REFUSALS = 'Keep the exploit-generation refusal layer enabled at release';
const ROLLOUT = 'Stage the rollout over 30 days';

/**
 * Issue 14, part 2: each commitment of a determination is a record of its own, with the agency that asked for
 * it, a due date (policy: 30 days after the determination), and a state the lab and its owner move; it runs in
 * a workflow of its own, which outlives the case.
 */
describe('commitments that are kept or broken (issue 14, part 2)', function () {
  this.timeout(180_000);

  /**
   * From acceptance to the determination: NSA mitigates with one commitment, CAISI with the same one and
   * another; every other agency has no concerns. The determination is PROCEED_WITH_COMMITMENTS.
   */
  async function determined(client: Client, taskQueue: string) {
    const { h } = await startAccepted(client, taskQueue, completeSubmission());
    await decide(h, 'NSA', decision('CONCERNS_MITIGATED', { commitments: [REFUSALS] }));
    await noConcernsFrom(h, ['CISA', 'DOW']);
    await untilStage(h, 'CIVILIAN');
    await decide(h, 'CAISI', decision('CONCERNS_MITIGATED', { commitments: [REFUSALS, ROLLOUT] }));
    await noConcernsFrom(h, ['DOE', 'TREASURY']);
    const s = await untilStage(h, 'PRE_RELEASE');
    return { h, s, handles: s.determination!.owned!.map((o) => commitmentHandle(client, o.commitmentId)) };
  }

  const commitmentHandle = (client: Client, id: string) =>
    client.workflow.getHandle(commitmentWorkflowId(id));

  /** The commitment as its workflow keeps it, once it has started and every callback so far is delivered. */
  const read = async (h: WorkflowHandle, done: (r: CommitmentRecord) => boolean = () => true) =>
    (await waitFor(
      // The case starts its commitments one after the other, after its determination.
      () => h.query(commitmentQuery).catch(notYetStarted),
      (r) => r !== undefined && r.callbacks.every((c) => c.status !== 'PENDING') && done(r),
      `commitment ${h.workflowId} settled`,
    ))!;
  const notYetStarted = (err: unknown): undefined => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  };

  const send = (h: WorkflowHandle, key: keyof typeof COMMITMENT_MESSAGES, actor: string, body = {}) =>
    h.executeUpdate<CommitmentReceipt, [object]>(COMMITMENT_MESSAGES[key].update.name, {
      args: [{ actor, ...body }],
    });

  const refused = refusedUpdate;

  const told = (s: ReviewStatus, commitmentId: string) =>
    testServers()
      .labReceiver.commitmentEventsFor(s.submissionId)
      .filter((e) => e.id.startsWith(`commitment:${commitmentId}:`));

  it('keeps each owner: one commitment per agency that asked, each in its own workflow, due 30 days after the determination', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, s, handles } = await determined(client, taskQueue);
      const d = s.determination!;
      assert.equal(d.outcome, 'PROCEED_WITH_COMMITMENTS');
      assert.deepEqual(d.commitments, [REFUSALS, ROLLOUT]);
      const { labId, submissionId } = s;
      assert.deepEqual(d.owned, [
        { commitmentId: `${labId}~${submissionId}~1`, text: REFUSALS, owner: 'agency:NSA' },
        { commitmentId: `${labId}~${submissionId}~2`, text: REFUSALS, owner: 'agency:CAISI' },
        { commitmentId: `${labId}~${submissionId}~3`, text: ROLLOUT, owner: 'agency:CAISI' },
      ]);
      const records = await Promise.all(handles.map((c) => read(c)));
      for (const [i, r] of records.entries()) {
        assert.equal(r.state, 'OPEN');
        assert.equal(r.filing.owner, d.owned[i].owner);
        assert.equal(r.filing.caseId, caseIdOfWorkflow(h.workflowId));
        assert.equal(r.dueAt, new Date(endOfDay(Date.parse(d.issuedAt), 30)).toISOString());
        assertEventTypes(told(s, r.filing.commitmentId), ['COMMITMENT_OPENED']);
      }
      // The case closes (the lab reports its release); its commitments go on.
      await h.executeUpdate(M.reportRelease.update, {
        args: [{ actor: `lab:${labId}`, releasedAt: new Date(await serverNow()).toISOString() }],
      });
      await h.result();
      assert.equal((await handles[0].describe()).status.name, 'RUNNING');
      await send(handles[0], 'attest', `lab:${labId}`, { statement: 'The refusal layer shipped on.' });
      assert.equal((await read(handles[0])).state, 'ATTESTED');
    });
  });

  it('kept: the lab attests, the owning agency confirms; no one else may; the lab is told each step and the record is signed', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { s, handles } = await determined(client, taskQueue);
      const [nsa] = handles;
      const lab = `lab:${s.labId}`;
      await read(nsa);
      await refused('NOT_ENTITLED', () => send(nsa, 'attest', 'lab:someone-else', { statement: 'kept' }));
      await refused('COMMITMENT_WRONG_STATE', () => send(nsa, 'confirm', 'agency:NSA'));
      const receipt = await send(nsa, 'attest', lab, { statement: 'The refusal layer shipped on.' });
      const attested = await read(nsa);
      assert.equal(attested.state, 'ATTESTED');
      atOrJustAfter(attested.attestedAt, Date.parse(receipt.event.at));
      assert.equal(
        attested.confirmationDue,
        new Date(businessDaysDue(Date.parse(attested.attestedAt!), 10)).toISOString(),
      );
      await refused('NOT_ENTITLED', () => send(nsa, 'confirm', 'agency:CAISI'));
      await refused('NOT_ENTITLED', () => send(nsa, 'confirm', 'chair'));
      await send(nsa, 'confirm', 'agency:NSA', { note: 'Verified on the release build.' });
      const result = (await nsa.result()) as CommitmentResult;
      assert.equal(result.state, 'CONFIRMED');
      const kept = await nsa.query(commitmentQuery);
      assert.equal(standingOf(kept), 'KEPT');
      assert.deepEqual(kept.flags, []);
      assertEventTypes(told(s, kept.filing.commitmentId), [
        'COMMITMENT_OPENED',
        'COMMITMENT_ATTESTED',
        'COMMITMENT_CONFIRMED',
      ]);
      const text = await testRecords.get(commitmentRecordId(kept.filing.commitmentId));
      assert.ok(text !== undefined, 'the permanent record was written');
      assert.equal(verifyRecord(text, testRecordSigner.publicKey).ok, true);
      assert.equal(entriesOf(text).find((e) => e.kind === 'COMMITMENT')?.standing, 'KEPT');
    });
  });

  it('overdue: flagged to operations staff and the lab at the due date; a late attestation the owner leaves unanswered stands', async () => {
    // On a test server of its own: see withTimeSkippingWorker.
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue, env }) => {
      const { s, handles } = await determined(client, taskQueue);
      const rollout = handles[2];
      const open = await read(rollout);
      await env.sleep(Date.parse(open.dueAt) + 60_000 - (await env.currentTimeMs()));
      const overdue = await read(rollout, (r) => r.state === 'OVERDUE');
      assert.equal(standingOf(overdue), 'OVERDUE');
      // It waits for the lab as long as it takes, a run of 30 days at a time.
      assert.equal(overdue.closedAt, undefined);
      const described = await rollout.describe();
      assert.equal(described.typedSearchAttributes.get(SA.overdue), true);
      assertEventTypes(told(s, overdue.filing.commitmentId), ['COMMITMENT_OPENED', 'COMMITMENT_OVERDUE']);

      await send(rollout, 'attest', `lab:${s.labId}`, { statement: 'Rolled out in stages, late.' });
      const late = await read(rollout, (r) => r.state === 'ATTESTED');
      assert.deepEqual(late.flags, ['ATTESTED_LATE']);
      // CAISI never answers: at its deadline the attestation stands.
      const result = (await rollout.result()) as CommitmentResult;
      assert.equal(result.state, 'CONFIRMED');
      const ended = await rollout.query(commitmentQuery);
      assert.deepEqual(ended.flags, ['ATTESTED_LATE', 'CONFIRMED_BY_SILENCE']);
      atOrJustAfter(ended.closedAt, Date.parse(late.confirmationDue!));
      assert.equal(ended.events.at(-1)?.actor, 'system');
    });
  });

  it('disputed: the owner disputes the attestation with its reason, and the commitment is broken', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { s, handles } = await determined(client, taskQueue);
      const caisi = handles[1];
      await read(caisi);
      await send(caisi, 'attest', `lab:${s.labId}`, { statement: 'Done.' });
      await refused('VALIDATION_FAILED', () => send(caisi, 'dispute', 'agency:CAISI', { reason: ' ' }));
      await send(caisi, 'dispute', 'agency:CAISI', { reason: 'The layer is off in the open-weights build.' });
      await refused('COMMITMENT_CLOSED', () => send(caisi, 'confirm', 'agency:CAISI'));
      assert.equal(((await caisi.result()) as CommitmentResult).state, 'DISPUTED');
      const broken = await caisi.query(commitmentQuery);
      assert.equal(standingOf(broken), 'BROKEN');
      assert.equal(broken.events.at(-1)?.note, 'The layer is off in the open-weights build.');
      assertEventTypes(told(s, broken.filing.commitmentId), [
        'COMMITMENT_OPENED',
        'COMMITMENT_ATTESTED',
        'COMMITMENT_DISPUTED',
      ]);
    });
  });

  it("the chair's resolution adds its own commitments, owned by the chair, and keeps the agencies'", async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      await decide(h, 'NSA', decision('CONCERNS_UNRESOLVED'));
      await decide(h, 'CISA', decision('CONCERNS_MITIGATED', { commitments: [REFUSALS] }));
      await noConcernsFrom(h, ['DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, ['CAISI', 'DOE', 'TREASURY']);
      await waitFor(
        () => status(h),
        (x) => x.escalation !== undefined,
        'the case escalated to the chair',
      );
      await h.executeUpdate(M.resolveEscalation.update, {
        args: [
          {
            actor: 'chair',
            outcome: 'PROCEED_WITH_COMMITMENTS',
            rationale: 'Mitigable with a staged rollout.',
            commitments: [ROLLOUT],
          },
        ],
      });
      const s = await untilStage(h, 'PRE_RELEASE');
      assert.deepEqual(
        s.determination!.owned!.map((o) => [o.owner, o.text]),
        [
          ['agency:CISA', REFUSALS],
          ['chair', ROLLOUT],
        ],
      );
      assert.deepEqual(s.determination!.commitments, [REFUSALS, ROLLOUT]);
      const chairs = commitmentHandle(client, s.determination!.owned![1].commitmentId);
      await read(chairs);
      await send(chairs, 'attest', `lab:${s.labId}`, { statement: 'Staged.' });
      await refused('NOT_ENTITLED', () => send(chairs, 'confirm', 'agency:CISA'));
      await send(chairs, 'confirm', 'chair');
      assert.equal(((await chairs.result()) as CommitmentResult).state, 'CONFIRMED');
    });
  });
});
