import assert from 'node:assert/strict';
import { LabListItem, LabReceiptView, LabView } from '../../shared/api/labs';
import { page } from '../../shared/api/responses';
import { testServers } from '../setup/servers';
import {
  assertProblem,
  eventually,
  file,
  ok,
  read,
  untilLabRecord,
  untilStage,
  withGateway,
} from './support';

const LabPage = page(LabListItem);

describe("gateway: labs' records and trusted partners, driven only through the API (issue 14, part 3)", function () {
  this.timeout(180_000);

  it('lets the chair designate and revoke with a reason, the lab told; a partner’s next filing skips the designation under the 30 days', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA, chair, ops } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const first = await file(gw);
      await untilStage(gw, first, 'NATIONAL_SECURITY', ops);

      // The record holds the accepted case; the policy in force does not propose the lab yet.
      const record = await untilLabRecord(gw, first);
      assert.equal(record.status, 'PARTICIPANT');
      assert.deepEqual(
        record.cases.map((c) => [c.caseId, c.statusAtAcceptance, c.policy.id]),
        [[first, 'PARTICIPANT', 'draft-2026-90d']],
      );
      assert.equal(record.eligibility.eligible, false);
      assert.deepEqual(record.eligibility.unmet, ['0 of the 2 completed reviews the policy asks for']);
      // Who may read it: the lab itself, the chair, operations staff; another lab is told nothing.
      ok(await gw.call(lab, 'GET', `/v1/labs/${labId}`), LabView);
      ok(await gw.call(chair, 'GET', `/v1/labs/${labId}`), LabView);
      assertProblem(await gw.call(otherLab, 'GET', `/v1/labs/${labId}`), 404, 'LAB_NOT_FOUND');
      assertProblem(await gw.call(NSA, 'GET', `/v1/labs/${labId}`), 403, 'FORBIDDEN');
      assertProblem(await gw.call(ops, 'GET', '/v1/labs/no-such-lab'), 404, 'LAB_NOT_FOUND');

      // The chair designates against the proposal, idempotently; only the chair; not twice.
      const designate = (reason: string, key: string) =>
        gw.call(chair, 'POST', `/v1/labs/${labId}/designation`, { reason }, { 'idempotency-key': key });
      assertProblem(
        await gw.call(ops, 'POST', `/v1/labs/${labId}/designation`, { reason: 'ops may not' }),
        403,
        'FORBIDDEN',
      );
      const receipt = ok(await designate('A long record with CAISI.', 'd-1'), LabReceiptView);
      assert.equal(receipt.status, 'TRUSTED_PARTNER');
      assert.deepEqual(ok(await designate('A long record with CAISI.', 'd-1'), LabReceiptView), receipt);
      assertProblem(await designate('Another reason.', 'd-1'), 409, 'IDEMPOTENCY_KEY_REUSED');
      assertProblem(await designate('Again.', 'd-2'), 409, 'LAB_WRONG_STATUS');
      const partner = ok(await gw.call(ops, 'GET', `/v1/labs/${labId}`), LabView);
      assert.deepEqual(
        partner.statusHistory.map((s) => [s.status, s.by, s.reason, s.eligible]),
        [['TRUSTED_PARTNER', 'chair', 'A long record with CAISI.', false]],
      );
      assert.equal(partner.since, receipt.event.at);
      // The lab is told, on its latest case's endpoint.
      await eventually(
        async () => testServers().labReceiver.labEventsFor(first),
        (events) => events.length === 1,
        'the lab told of its designation',
      );
      assert.equal(testServers().labReceiver.labEventsFor(first)[0].type, 'TRUSTED_PARTNER_DESIGNATED');
      await eventually(
        async () => ok(await gw.call(ops, 'GET', '/v1/labs?status=TRUSTED_PARTNER'), LabPage),
        (p) => p.items.some((l) => l.labId === labId && l.status === 'TRUSTED_PARTNER'),
        'the partner listed',
      );

      // The partner's next filing: its screen stands (no designation), under the signed order's 30 days, with
      // its status pinned; the filing cannot name a policy of its own.
      assertProblem(
        await gw.call(lab, 'POST', '/v1/submissions', { policyId: 'industry-14d' }),
        400,
        'VALIDATION_FAILED',
      );
      const second = await file(gw);
      const accepted = await eventually(
        () => read(gw, ops, second),
        (c) => c.stage === 'NATIONAL_SECURITY',
        'the partner’s case accepted at intake',
      );
      assert.equal(accepted.designation, undefined);
      assert.deepEqual(accepted.policy, { id: 'eo-2026-30d', version: 8 });
      assert.deepEqual(accepted.labStanding, { status: 'TRUSTED_PARTNER', since: receipt.event.at });

      // The chair revokes; the case filed as a partner keeps what it pinned.
      ok(
        await gw.call(chair, 'POST', `/v1/labs/${labId}/revocation`, { reason: 'Reconsidered.' }),
        LabReceiptView,
      );
      assertProblem(
        await gw.call(chair, 'POST', `/v1/labs/${labId}/revocation`, { reason: 'Again.' }),
        409,
        'LAB_WRONG_STATUS',
      );
      const revoked = ok(await gw.call(lab, 'GET', `/v1/labs/${labId}`), LabView);
      assert.equal(revoked.status, 'PARTICIPANT');
      assert.equal((await read(gw, ops, second)).labStanding?.status, 'TRUSTED_PARTNER');
      // Lists come from visibility: wait until the record is listed, then it is the only one.
      const listed = await eventually(
        async () => ok(await gw.call(lab, 'GET', '/v1/labs'), LabPage),
        (p) => p.items.length > 0,
        'the lab lists its record',
      );
      assert.deepEqual(
        listed.items.map((l) => l.labId),
        [labId],
        'a lab lists only its own record',
      );
    });
  });
});
