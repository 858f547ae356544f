import assert from 'node:assert/strict';
import { Receipt, SubmissionCreated } from '../../shared/api/responses';
import {
  assertProblem,
  decision,
  eventually,
  filing,
  ok,
  read,
  readGov,
  untilLabListed,
  untilStage,
  withGateway,
} from './support';

describe('gateway: retried requests with the same Idempotency-Key apply once', () => {
  it('returns the first case to a retried create with the same key, and files one case', async () => {
    await withGateway(async (gw) => {
      const key = { 'idempotency-key': 'create-7f3a' };
      const body = filing();
      const first = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body, key);
      assert.equal(first.status, 201, first.text);
      const { caseId, submissionId } = SubmissionCreated.parse(first.body);
      assert.equal(caseId, `${gw.parties.lab.slice('lab:'.length)}:${submissionId}`);
      assert.equal(first.headers.location, `/v1/submissions/${caseId}`);
      const retry = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body, key);
      assert.equal(retry.status, 200, retry.text);
      assert.deepEqual(retry.body, { caseId, submissionId, created: false });

      const listed = await untilLabListed(gw, (p) => p.items.length > 0);
      assert.deepEqual(
        listed.items.map((c) => c.submissionId),
        [submissionId],
      );
    });
  });

  it('answers concurrent identical creates with one new case', async () => {
    await withGateway(async (gw) => {
      const key = { 'idempotency-key': 'create-race' };
      const body = filing();
      const answers = await Promise.all(
        [1, 2, 3].map(() => gw.call(gw.parties.lab, 'POST', '/v1/submissions', body, key)),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201]);
      assert.equal(new Set(answers.map((a) => SubmissionCreated.parse(a.body).submissionId)).size, 1);
    });
  });

  it('returns the first case to a retried create with the same client submissionId', async () => {
    await withGateway(async (gw) => {
      const body = filing({ submissionId: 'acme-frontier-1-rc1' });
      const first = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body);
      assert.equal(first.status, 201, first.text);
      const retry = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body);
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body, { ...SubmissionCreated.parse(first.body), created: false });
    });
  });

  it('refuses the same key or id with a different filing, and keeps the first filing', async () => {
    await withGateway(async (gw) => {
      const key = { 'idempotency-key': 'create-once' };
      const first = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', filing(), key);
      const { submissionId } = SubmissionCreated.parse(first.body);
      const changed = filing({ model: { name: 'Something-Else', version: '2', trainingComputeFlop: 1e27 } });
      assertProblem(
        await gw.call(gw.parties.lab, 'POST', '/v1/submissions', changed, key),
        409,
        'SUBMISSION_ID_TAKEN',
      );
      assertProblem(
        await gw.call(gw.parties.lab, 'POST', '/v1/submissions', { ...changed, submissionId }),
        409,
        'SUBMISSION_ID_TAKEN',
      );
      const { model } = await untilStage(gw, submissionId, 'NATIONAL_SECURITY', gw.parties.lab);
      assert.equal(model.name, 'Frontier-1');
    });
  });

  it('applies a retried agency action once and returns the first receipt', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA } = gw.parties;
      const id = SubmissionCreated.parse((await gw.call(lab, 'POST', '/v1/submissions', filing())).body);
      await untilStage(gw, id.caseId, 'NATIONAL_SECURITY', lab);
      const at = `/v1/submissions/${id.caseId}`;
      const key = { 'idempotency-key': 'nsa-question-1' };
      const question = { questions: ['Which evals ran?'] };
      const first = ok(await gw.call(NSA, 'POST', `${at}/information-requests`, question, key), Receipt);
      const retry = ok(await gw.call(NSA, 'POST', `${at}/information-requests`, question, key), Receipt);
      assert.deepEqual(retry, first);
      // A new key is a new action: NSA already has an open request.
      const again = await gw.call(NSA, 'POST', `${at}/information-requests`, question, {
        'idempotency-key': 'nsa-question-2',
      });
      assertProblem(again, 409, 'INFORMATION_REQUEST_OPEN');

      const decided = { 'idempotency-key': 'nsa-decision-1' };
      const d1 = ok(await gw.call(NSA, 'POST', `${at}/decisions`, decision('NO_CONCERNS'), decided), Receipt);
      const d2 = ok(await gw.call(NSA, 'POST', `${at}/decisions`, decision('NO_CONCERNS'), decided), Receipt);
      assert.deepEqual(d2, d1);
      const { timeline } = await readGov(gw, gw.parties.chair, id.caseId);
      assert.equal(timeline.filter((e) => e.type === 'INFORMATION_REQUESTED').length, 1);
      assert.equal(timeline.filter((e) => e.type === 'DECISION_RECORDED').length, 1);
    });
  });

  it('returns the first receipt to a retried action whose restricted fields the gateway seals', async () => {
    await withGateway(async (gw) => {
      const { NSA, chair } = gw.parties;
      const id = SubmissionCreated.parse(
        (await gw.call(gw.parties.lab, 'POST', '/v1/submissions', filing())).body,
      );
      const at = `/v1/submissions/${id.caseId}`;
      // Sealing is randomised: a retry is recognised by the request as sent, not by its seal.
      await eventually(
        () => readGov(gw, chair, id.caseId),
        (c) => c.stage === 'DESIGNATION',
        'the designation pending',
      );
      const designation = { covered: true, reason: 'covered', benchmarkScore: 0.8 };
      const designated = { 'idempotency-key': 'nsa-designation-1' };
      const first = ok(await gw.call(NSA, 'POST', `${at}/designation`, designation, designated), Receipt);
      const retry = ok(await gw.call(NSA, 'POST', `${at}/designation`, designation, designated), Receipt);
      assert.deepEqual(retry, first);
      await untilStage(gw, id.caseId, 'NATIONAL_SECURITY', chair);
      const noted = decision('CONCERNS_MITIGATED', { restrictedNote: 'classified: seen once' });
      const decided = { 'idempotency-key': 'nsa-decision-noted' };
      const d1 = ok(await gw.call(NSA, 'POST', `${at}/decisions`, noted, decided), Receipt);
      const d2 = ok(await gw.call(NSA, 'POST', `${at}/decisions`, noted, decided), Receipt);
      assert.deepEqual(d2, d1);
      const other = decision('CONCERNS_MITIGATED', { restrictedNote: 'classified: another' });
      assertProblem(
        await gw.call(NSA, 'POST', `${at}/decisions`, other, decided),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      const { timeline } = await readGov(gw, chair, id.caseId);
      assert.equal(timeline.filter((e) => e.type === 'DESIGNATED').length, 1);
      assert.equal(timeline.filter((e) => e.type === 'DECISION_RECORDED').length, 1);
    });
  });

  it('returns the first receipt to a retried withdrawal, even after the case closed', async () => {
    await withGateway(async (gw) => {
      const { lab } = gw.parties;
      const { submissionId } = SubmissionCreated.parse(
        (await gw.call(lab, 'POST', '/v1/submissions', filing())).body,
      );
      await untilStage(gw, submissionId, 'NATIONAL_SECURITY', lab);
      const key = { 'idempotency-key': 'withdraw-1' };
      const at = `/v1/submissions/${submissionId}/withdrawal`;
      const first = ok(await gw.call(lab, 'POST', at, { reason: 'plans changed' }, key), Receipt);
      await untilStage(gw, submissionId, 'CLOSED', lab);
      const retry = ok(await gw.call(lab, 'POST', at, { reason: 'plans changed' }, key), Receipt);
      assert.deepEqual(retry, first);
      assertProblem(
        await gw.call(lab, 'POST', at, {}, { 'idempotency-key': 'withdraw-2' }),
        409,
        'CASE_CLOSED',
      );
      const closed = await read(gw, lab, submissionId);
      assert.equal(closed.timeline.filter((e) => e.type === 'WITHDRAWN').length, 1);
    });
  });
});
