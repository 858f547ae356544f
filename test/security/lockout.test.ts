import assert from 'node:assert/strict';
import { Receipt } from '../../shared/api/responses';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../../shared/domain/review/workflow';
import { DAY_MS, iso } from '../../shared/domain/time';
import type { review } from '../../workflows';
import { completeSubmission } from '../helpers/review';
import { testServers } from '../setup/servers';
import {
  assertProblem,
  decision,
  eventually,
  file,
  ok,
  read,
  readGov,
  untilStage,
  withGateway,
  type Gateway,
} from '../gateway/support';

const amend = (gw: Gateway, id: string, day: number, key?: string) =>
  gw.call(
    gw.parties.lab,
    'POST',
    `/v1/submissions/${id}/release-date`,
    { plannedReleaseDate: iso(Date.now() + day * DAY_MS) },
    key === undefined ? {} : { 'idempotency-key': key },
  );

describe('nobody can lock a case', function () {
  this.timeout(120_000);

  it('stops a lab at its budget of amendments, and the agencies still decide', async () => {
    await withGateway(async (gw) => {
      const { NSA, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      for (let i = 1; i <= 20; i++) ok(await amend(gw, id, 400 + i), Receipt);
      assertProblem(await amend(gw, id, 500), 422, 'MESSAGE_BUDGET_EXHAUSTED');
      // A message that changes nothing is refused for what it is.
      const view = await read(gw, gw.parties.lab, id);
      const same = await gw.call(gw.parties.lab, 'POST', `/v1/submissions/${id}/release-date`, {
        plannedReleaseDate: view.plannedReleaseDate,
      });
      assertProblem(same, 409, 'NO_CHANGE');
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')), Receipt);
      const after = await readGov(gw, chair, id);
      assert.equal(after.timeline.filter((e) => e.type === 'RELEASE_DATE_AMENDED').length, 20);
      assert.equal(after.agencies.find((a) => a.agency === 'NSA')?.state, 'DECIDED');
    });
  });

  it('answers a credential that sends too much with 429 RATE_LIMITED and Retry-After, and no other', async () => {
    await withGateway(
      async (gw) => {
        const { lab, ops } = gw.parties;
        for (let i = 0; i < 5; i++) assert.equal((await gw.call(lab, 'GET', '/v1/me')).status, 200);
        const limited = await gw.call(lab, 'GET', '/v1/me');
        assertProblem(limited, 429, 'RATE_LIMITED');
        assert.match(String(limited.headers['retry-after']), /^\d+$/);
        assert.equal(
          (await gw.call(ops, 'GET', '/v1/me')).status,
          200,
          'another credential is not held back',
        );
      },
      { rateLimitPerMinute: 5 },
    );
  });

  it('refuses an Idempotency-Key reused for a different request with IDEMPOTENCY_KEY_REUSED, applying nothing', async () => {
    await withGateway(async (gw) => {
      const { NSA, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      const key = { 'idempotency-key': 'nsa-decision' };
      const at = `/v1/submissions/${id}/decisions`;
      const first = ok(await gw.call(NSA, 'POST', at, decision('CONCERNS_UNRESOLVED'), key), Receipt);
      assert.deepEqual(
        ok(await gw.call(NSA, 'POST', at, decision('CONCERNS_UNRESOLVED'), key), Receipt),
        first,
      );
      assertProblem(
        await gw.call(NSA, 'POST', at, decision('NO_CONCERNS'), key),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      const nsa = (await readGov(gw, chair, id)).agencies.find((a) => a.agency === 'NSA');
      assert.equal(nsa?.decision?.kind, 'CONCERNS_UNRESOLVED');
    });
  });

  it('continues as new before the server’s limits, carrying the case, its callbacks and its receipts', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CISA, DOW, chair } = gw.parties;
      const submission = completeSubmission({ labId: lab.slice(4) });
      const id = submission.submissionId;
      // As the gateway files it, but with a run that holds three messages.
      const first = await gw.client.workflow.start<typeof review>(REVIEW_WORKFLOW_TYPE, {
        taskQueue: gw.taskQueue,
        workflowId: reviewWorkflowId(id),
        args: [{ submission, limits: { events: 100_000, messages: 3 } }],
        memo: { labId: lab.slice(4) },
      });
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const asked = ok(
        await gw.call(
          NSA,
          'POST',
          `/v1/submissions/${id}/information-requests`,
          { questions: ['q'] },
          {
            'idempotency-key': 'nsa-q',
          },
        ),
        Receipt,
      );
      ok(await amend(gw, id, 500), Receipt);
      ok(await gw.call(CISA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')), Receipt);
      const described = await eventually(
        () => gw.client.workflow.getHandle(reviewWorkflowId(id)).describe(),
        (d) => d.runId !== first.firstExecutionRunId,
        'a second run',
      );
      assert.equal(described.status.name, 'RUNNING');
      // The lab still owns its case (the memo came along), and the retried request is answered, not applied.
      const retried = ok(
        await gw.call(
          NSA,
          'POST',
          `/v1/submissions/${id}/information-requests`,
          { questions: ['q'] },
          {
            'idempotency-key': 'nsa-q',
          },
        ),
        Receipt,
      );
      assert.deepEqual(retried, asked);
      ok(await gw.call(DOW, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')), Receipt);
      const view = await eventually(
        () => readGov(gw, chair, id),
        (v) => v.callbacks.pending === 0,
        'callbacks delivered',
      );
      assert.deepEqual(
        view.timeline.map((e) => e.seq),
        view.timeline.map((_, i) => i + 1),
        'one timeline, across runs',
      );
      assert.equal(view.timeline.filter((e) => e.type === 'INFORMATION_REQUESTED').length, 1);
      assert.deepEqual(
        view.agencies.filter((a) => a.state === 'DECIDED').map((a) => a.agency),
        ['CISA', 'DOW'],
      );
      const delivered = testServers()
        .labReceiver.eventsFor(id)
        .map((e) => e.sequence);
      assert.deepEqual(
        [...new Set(delivered)],
        view.timeline.filter((e) => e.type !== 'DECISION_RECORDED').map((_, i) => i + 1),
      );
    });
  });
});
