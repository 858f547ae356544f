import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { GrantRecord } from '../../shared/domain/grants/grant';
import { GRANT_MESSAGES, grantQuery, type GrantReceipt } from '../../shared/domain/grants/messages';
import { grantRecordId, grantWorkflowId, type GrantResult } from '../../shared/domain/grants/workflow';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import type { ReviewStatus } from '../../shared/domain/review/status';
import { caseIdOfWorkflow } from '../../shared/domain/review/workflow';
import { entriesOf, verifyRecord } from '../../shared/node/permanent-record';
import { createTestActivities, testRecords, testRecordSigner } from '../helpers/activities';
import { atOrJustAfter, refusedUpdate } from '../helpers/assertions';
import {
  completeSubmission,
  everyAgencyNoConcerns,
  noConcernsFrom,
  startAccepted,
  untilStage,
  type ReviewHandle,
} from '../helpers/review';
import { testServers } from '../setup/servers';
import { waitFor } from '../helpers/wait';
import { businessDaysDue, endOfDay } from '../helpers/washington';
import { withTimeSkippingWorker } from '../helpers/workers';

const OPERATOR = 'grid-east';
const CISA = 'agency:CISA';

/**
 * Issue 14, part 4: CISA nominates a critical-infrastructure operator for early access to a model in
 * PRE_RELEASE; the lab approves or declines; the grant runs in a workflow of its own until the reported release
 * plus 30 days (or the window's end plus 30), or sooner when the case is withdrawn or either side revokes it.
 */
describe('early access for critical-infrastructure operators (issue 14, part 4)', function () {
  this.timeout(240_000);

  const nominate = (h: ReviewHandle, actor = CISA, operatorId = OPERATOR) =>
    h.executeUpdate(M.nominateOperator.update, {
      args: [{ actor, operatorId, reason: 'Regional grid operator: hardening its control-room tooling.' }],
    });

  const grantHandle = (client: Client, s: ReviewStatus, operatorId = OPERATOR) =>
    client.workflow.getHandle(grantWorkflowId(`${s.labId}~${s.submissionId}~${operatorId}`));

  /** The grant as its workflow keeps it, once started and every callback so far delivered. */
  const read = async (h: WorkflowHandle, done: (r: GrantRecord) => boolean = () => true) =>
    (await waitFor(
      () => h.query(grantQuery).catch(notYetStarted),
      (r) => r !== undefined && r.callbacks.every((c) => c.status !== 'PENDING') && done(r),
      `grant ${h.workflowId} settled`,
    ))!;
  const notYetStarted = (err: unknown): undefined => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  };

  const send = (h: WorkflowHandle, key: keyof typeof GRANT_MESSAGES, actor: string, body = {}) =>
    h.executeUpdate<GrantReceipt, [object]>(GRANT_MESSAGES[key].update.name, { args: [{ actor, ...body }] });

  const told = (s: ReviewStatus) => testServers().labReceiver.grantEventsFor(s.submissionId);

  /** A case with no concerns from anyone, in PRE_RELEASE. */
  async function inPreRelease(client: Client, taskQueue: string) {
    const { h } = await startAccepted(client, taskQueue, completeSubmission());
    const s = await everyAgencyNoConcerns(h);
    return { h, s };
  }

  it('approved: only CISA nominates, only in PRE_RELEASE; the lab approves, the operator reports use, and access expires 30 days after the reported release', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue, env }) => {
      const { h } = await startAccepted(client, taskQueue, completeSubmission());
      await refusedUpdate('WRONG_STAGE', () => nominate(h));
      await noConcernsFrom(h, ['NSA', 'CISA', 'DOW']);
      await untilStage(h, 'CIVILIAN');
      await noConcernsFrom(h, ['CAISI', 'DOE', 'TREASURY']);
      const s = await untilStage(h, 'PRE_RELEASE');
      await refusedUpdate('NOT_ENTITLED', () => nominate(h, 'agency:NSA'));
      await refusedUpdate('NOT_ENTITLED', () => nominate(h, `lab:${s.labId}`));
      await nominate(h);
      await refusedUpdate('GRANT_ALREADY_NOMINATED', () => nominate(h));

      const g = grantHandle(client, s);
      const nominated = await read(g);
      assert.equal(nominated.state, 'NOMINATED');
      assert.equal(nominated.filing.caseId, caseIdOfWorkflow(h.workflowId));
      assert.equal(nominated.filing.operator, `operator:${OPERATOR}`);
      assert.equal(nominated.filing.summary.outcome, 'NO_CONCERNS_IDENTIFIED');
      assert.equal(
        nominated.answerDue,
        new Date(businessDaysDue(Date.parse(nominated.filing.nominatedAt), 5)).toISOString(),
      );
      const operator = `operator:${OPERATOR}`;
      await refusedUpdate('NOT_ENTITLED', () => send(g, 'approve', operator));
      await refusedUpdate('NOT_ENTITLED', () => send(g, 'approve', 'lab:someone-else'));
      await refusedUpdate('GRANT_WRONG_STATE', () => send(g, 'reportUse', operator, { note: 'x' }));
      await send(g, 'approve', `lab:${s.labId}`, { note: 'Welcome aboard.' });
      const active = await read(g, (r) => r.state === 'ACTIVE');
      // No release reported yet: access runs to the window's end plus 30 days.
      assert.equal(
        active.endsAt,
        new Date(endOfDay(Date.parse(active.filing.windowEndsAt), 30)).toISOString(),
      );
      await refusedUpdate('NOT_ENTITLED', () => send(g, 'reportUse', CISA, { note: 'x' }));
      await send(g, 'reportUse', operator, { note: 'Ran the red-team suite against our SCADA playbooks.' });
      assert.equal((await read(g)).uses, 1);

      // The lab reports its release; the case closes and tells the grant, whose end follows the release.
      const releasedAt = new Date(await env.currentTimeMs()).toISOString();
      await h.executeUpdate(M.reportRelease.update, { args: [{ actor: `lab:${s.labId}`, releasedAt }] });
      await h.result();
      const endSet = await read(g, (r) => r.caseClosed !== undefined);
      assert.equal(endSet.endsAt, new Date(endOfDay(Date.parse(releasedAt), 30)).toISOString());
      assert.equal((await g.describe()).status.name, 'RUNNING');

      const result = (await g.result()) as GrantResult;
      assert.equal(result.state, 'ENDED');
      const ended = await g.query(grantQuery);
      assert.equal(ended.endReason, 'EXPIRED');
      atOrJustAfter(ended.closedAt, Date.parse(endSet.endsAt));
      assertEventTypes(told(s), [
        'GRANT_NOMINATED',
        'GRANT_APPROVED',
        'GRANT_USE_REPORTED',
        'GRANT_END_SET',
        'GRANT_EXPIRED',
      ]);
      const text = await testRecords.get(grantRecordId(ended.filing.grantId));
      assert.ok(text !== undefined, 'the permanent record was written');
      assert.equal(verifyRecord(text, testRecordSigner.publicKey).ok, true);
      assert.equal(entriesOf(text).find((e) => e.kind === 'GRANT')?.endReason, 'EXPIRED');
    });
  });

  it('declined: the lab declines one operator, and its silence declines another at the end of 5 business days', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue, env }) => {
      const { h, s } = await inPreRelease(client, taskQueue);
      await nominate(h);
      await nominate(h, CISA, 'water-west');
      const declined = grantHandle(client, s);
      await read(declined);
      await send(declined, 'decline', `lab:${s.labId}`, { note: 'Not before our own red team is done.' });
      // Read by query, not by waiting on the result, which lets the idle server run on to the next timer.
      assert.equal((await read(declined, (r) => r.closedAt !== undefined)).state, 'DECLINED');
      assertEventTypes((await declined.query(grantQuery)).events, ['GRANT_NOMINATED', 'GRANT_DECLINED']);

      const silent = grantHandle(client, s, 'water-west');
      const nominated = await read(silent);
      // Time skips to just past the answer's due time and no further: waiting on the grant's result would let the
      // server run on, while it is idle, to the case's next timer (the window's end), which closes the case.
      await env.sleep(Date.parse(nominated.answerDue) + 60_000 - (await env.currentTimeMs()));
      const lapsed = await read(silent, (r) => r.closedAt !== undefined);
      assert.equal(lapsed.state, 'LAPSED');
      atOrJustAfter(lapsed.closedAt, Date.parse(nominated.answerDue));
      assert.equal(lapsed.events.at(-1)?.actor, 'system');
      assertEventTypes(lapsed.events, ['GRANT_NOMINATED', 'GRANT_LAPSED']);
      // The case goes on meanwhile; it ends with the lab's release and its grants are over already.
      await h.executeUpdate(M.reportRelease.update, { args: [{ actor: `lab:${s.labId}` }] });
      await h.result();
    });
  });

  it('cut short by withdrawal: an approved grant ends when the lab withdraws the case; CISA may revoke another', async () => {
    await withTimeSkippingWorker(createTestActivities(), async ({ client, taskQueue }) => {
      const { h, s } = await inPreRelease(client, taskQueue);
      await nominate(h);
      await nominate(h, CISA, 'water-west');
      const g = grantHandle(client, s);
      const revoked = grantHandle(client, s, 'water-west');
      await read(g);
      await read(revoked);
      await send(g, 'approve', `lab:${s.labId}`);
      await send(revoked, 'approve', `lab:${s.labId}`);
      await read(g, (r) => r.state === 'ACTIVE');
      await send(revoked, 'revoke', CISA, { reason: 'The operator left the sector-coordination program.' });
      const revokedRecord = await revoked.query(grantQuery);
      assert.equal(revokedRecord.endReason, 'REVOKED');
      assertEventTypes(revokedRecord.events, ['GRANT_NOMINATED', 'GRANT_APPROVED', 'GRANT_REVOKED']);

      await h.executeUpdate(M.withdraw.update, { args: [{ actor: `lab:${s.labId}`, reason: 'Pausing.' }] });
      await h.result();
      assert.equal(((await g.result()) as GrantResult).state, 'ENDED');
      const ended = await g.query(grantQuery);
      assert.equal(ended.endReason, 'WITHDRAWN');
      assert.equal(ended.caseClosed?.reason, 'WITHDRAWN');
      assertEventTypes(ended.events, ['GRANT_NOMINATED', 'GRANT_APPROVED', 'GRANT_WITHDRAWN']);
    });
  });
});
