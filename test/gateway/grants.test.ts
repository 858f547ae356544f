import assert from 'node:assert/strict';
import { GrantListItem, GrantReceiptView, GrantView } from '../../shared/api/grants';
import { page } from '../../shared/api/responses';
import { operatorOf } from '../../shared/domain/principal';
import {
  assertProblem,
  determinedNoConcerns,
  eventually,
  file,
  ok,
  untilStage,
  withGateway,
} from './support';

const GrantPage = page(GrantListItem);

describe('gateway: early access for operators, driven only through the API (issue 14, part 4)', function () {
  this.timeout(180_000);

  it('CISA nominates, the lab approves, the operator reads its own grant and reports use; others see what they may', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA, CISA, FBI, operator, otherOperator, chair, ops } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const nominate = (as: string, operatorId = operatorOf(operator)!) =>
        gw.call(as, 'POST', `/v1/submissions/${id}/early-access`, {
          operatorId,
          reason: 'Regional grid operator: hardening its control-room tooling.',
        });
      assertProblem(await nominate(CISA), 409, 'WRONG_STAGE');
      const determined = await determinedNoConcerns(gw, id);
      assertProblem(await nominate(NSA), 403, 'NOT_ENTITLED');
      assertProblem(await nominate(lab), 403, 'FORBIDDEN');
      assertProblem(await nominate(operator), 403, 'FORBIDDEN');
      assertProblem(await nominate(CISA, 'not an id'), 400, 'VALIDATION_FAILED');
      assert.equal((await nominate(CISA)).status, 200);
      assertProblem(await nominate(CISA), 409, 'GRANT_ALREADY_NOMINATED');

      const grantId = `${id.replace(':', '~')}~${operatorOf(operator)}`;
      const at = (action = '') => `/v1/grants/${grantId}${action}`;
      const seen = await eventually(
        () => gw.call(operator, 'GET', at()),
        (res) => res.status === 200,
        'the grant started',
      );
      const grant = ok(seen, GrantView);
      assert.equal(grant.state, 'NOMINATED');
      assert.equal(grant.operator, operator);
      assert.equal(grant.model.outcome, 'NO_CONCERNS_IDENTIFIED');
      assert.equal(grant.model.summary, determined.determination?.rationale);
      // The operator reads its own grant and no case, not even the one it is for.
      assertProblem(await gw.call(operator, 'GET', `/v1/submissions/${id}`), 403, 'FORBIDDEN');
      for (const reader of [lab, CISA, chair, ops]) ok(await gw.call(reader, 'GET', at()), GrantView);
      for (const stranger of [otherLab, otherOperator, NSA, FBI]) {
        assertProblem(await gw.call(stranger, 'GET', at()), 404, 'GRANT_NOT_FOUND');
      }

      // Only the lab answers; with an idempotency key a retry answers the first receipt.
      assertProblem(await gw.call(operator, 'POST', at('/approval'), {}), 403, 'FORBIDDEN');
      assertProblem(await gw.call(otherLab, 'POST', at('/approval'), {}), 404, 'GRANT_NOT_FOUND');
      const key = { 'idempotency-key': 'approve-1' };
      const first = ok(
        await gw.call(lab, 'POST', at('/approval'), { note: 'Welcome.' }, key),
        GrantReceiptView,
      );
      const again = ok(
        await gw.call(lab, 'POST', at('/approval'), { note: 'Welcome.' }, key),
        GrantReceiptView,
      );
      assert.deepEqual(again, first);
      assert.equal(first.state, 'ACTIVE');
      assertProblem(await gw.call(lab, 'POST', at('/declination'), {}), 409, 'GRANT_WRONG_STATE');
      assertProblem(await gw.call(operator, 'POST', at('/uses'), { note: ' ' }), 400, 'VALIDATION_FAILED');
      assertProblem(await gw.call(CISA, 'POST', at('/uses'), { note: 'x' }), 403, 'FORBIDDEN');
      ok(
        await gw.call(operator, 'POST', at('/uses'), { note: 'Ran our SCADA playbooks.' }),
        GrantReceiptView,
      );
      const active = ok(await gw.call(operator, 'GET', at()), GrantView);
      assert.equal(active.uses, 1);
      assert.ok(active.endsAt !== undefined);

      // Lists: the operator its own, the lab those on its models, CISA and ops every one, another agency none.
      const listed = (as: string, query = '') =>
        eventually(
          async () => ok(await gw.call(as, 'GET', `/v1/grants${query}`), GrantPage),
          (p) => p.items.some((g) => g.grantId === grantId && g.state === 'ACTIVE'),
          `${as} lists the grant`,
        );
      for (const reader of [operator, lab, CISA, ops]) await listed(reader, `?caseId=${id}`);
      await listed(ops, `?operator=${operatorOf(operator)}&state=ACTIVE`);
      assert.deepEqual(ok(await gw.call(NSA, 'GET', '/v1/grants'), GrantPage).items, []);
      // Another operator, holding no grant, lists none: not this one, which every reader above lists by now.
      assert.deepEqual(ok(await gw.call(otherOperator, 'GET', '/v1/grants'), GrantPage).items, []);

      // The operator files a finding into the clearinghouse about the model it was granted, and reads it back;
      // not about a case it holds no grant on.
      const finding = {
        caseId: id,
        title: 'Model drafts a working PLC exploit',
        description: 'Given a vendor advisory, the model wrote a working ladder-logic payload.',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        tlp: 'GREEN',
      };
      const filed = await gw.call(operator, 'POST', '/v1/findings', finding);
      assert.equal(filed.status, 201, filed.text);
      const findingId = (filed.body as { findingId: string }).findingId;
      const read = await gw.call(operator, 'GET', `/v1/findings/${findingId}`);
      assert.equal(read.status, 200, read.text);
      assert.ok(read.text.includes(finding.title), 'the filer reads its finding in detail');
      assertProblem(await gw.call(otherOperator, 'POST', '/v1/findings', finding), 403, 'NOT_ENTITLED');
      assertProblem(await gw.call(operator, 'GET', '/v1/findings'), 403, 'FORBIDDEN');

      // Either side ends it: the operator relinquishes.
      const ended = ok(
        await gw.call(operator, 'POST', at('/revocation'), { reason: 'Our evaluation is done.' }),
        GrantReceiptView,
      );
      assert.equal(ended.state, 'ENDED');
      assertProblem(await gw.call(lab, 'POST', at('/revocation'), { reason: 'x' }), 409, 'GRANT_CLOSED');
    });
  });
});
