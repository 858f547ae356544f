import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { CommitmentListItem, CommitmentReceiptView, CommitmentView } from '../../shared/api/commitments';
import { page } from '../../shared/api/responses';
import {
  assertProblem,
  determinedWithCommitments,
  eventually,
  file,
  ok,
  untilStage,
  withGateway,
} from './support';

const REFUSALS = 'Keep the exploit-generation refusal layer enabled at release';
const ROLLOUT = 'Stage the rollout over 30 days';
const CommitmentPage = page(CommitmentListItem);

describe('gateway: commitments, driven only through the API (issue 14, part 2)', function () {
  this.timeout(180_000);

  it('lets the lab attest and the owning agency confirm or dispute; lists them by lab, owner, case and state', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA, CAISI, FBI, chair, ops } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const [refusals, rollout] = await determinedWithCommitments(gw, id, [REFUSALS, ROLLOUT]);
      const at = (c: string, action = '') => `/v1/commitments/${c}${action}`;

      // Everyone entitled reads the same record; another lab, and an agency that did not review, do not.
      const seen = ok(await gw.call(lab, 'GET', at(refusals)), CommitmentView);
      assert.equal(seen.text, REFUSALS);
      assert.equal(seen.owner, 'agency:NSA');
      assert.equal(seen.caseId, id);
      assert.equal(seen.state, 'OPEN');
      assert.equal(seen.standing, 'PENDING');
      assertEventTypes(seen.timeline, ['COMMITMENT_OPENED']);
      for (const reader of [NSA, CAISI, chair, ops])
        ok(await gw.call(reader, 'GET', at(refusals)), CommitmentView);
      for (const stranger of [otherLab, FBI]) {
        assertProblem(await gw.call(stranger, 'GET', at(refusals)), 404, 'COMMITMENT_NOT_FOUND');
      }
      assertProblem(await gw.call(lab, 'GET', '/v1/commitments/not-an-id'), 400, 'VALIDATION_FAILED');

      // The lab attests, with an idempotency key: a retry answers the first receipt and writes nothing more.
      const statement = { statement: 'The refusal layer shipped enabled.' };
      const key = { 'idempotency-key': 'attest-refusals-1' };
      const first = ok(
        await gw.call(lab, 'POST', at(refusals, '/attestation'), statement, key),
        CommitmentReceiptView,
      );
      const again = ok(
        await gw.call(lab, 'POST', at(refusals, '/attestation'), statement, key),
        CommitmentReceiptView,
      );
      assert.deepEqual(again, first);
      assertProblem(
        await gw.call(lab, 'POST', at(refusals, '/attestation'), { statement: 'other' }, key),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );
      assertProblem(
        await gw.call(lab, 'POST', at(refusals, '/attestation'), statement),
        409,
        'COMMITMENT_WRONG_STATE',
      );
      assertProblem(
        await gw.call(lab, 'POST', at(refusals, '/attestation'), { statement: '  ' }),
        400,
        'VALIDATION_FAILED',
      );

      // Only the owner answers the attestation.
      assertProblem(await gw.call(CAISI, 'POST', at(refusals, '/confirmation'), {}), 403, 'NOT_ENTITLED');
      assertProblem(await gw.call(chair, 'POST', at(refusals, '/confirmation'), {}), 403, 'NOT_ENTITLED');
      assertProblem(await gw.call(ops, 'POST', at(refusals, '/confirmation'), {}), 403, 'FORBIDDEN');
      assertProblem(await gw.call(lab, 'POST', at(refusals, '/confirmation'), {}), 403, 'FORBIDDEN');
      const confirmed = ok(
        await gw.call(NSA, 'POST', at(refusals, '/confirmation'), {
          note: 'Verified on the public endpoint.',
        }),
        CommitmentReceiptView,
      );
      assert.equal(confirmed.state, 'CONFIRMED');
      assert.equal(ok(await gw.call(ops, 'GET', at(refusals)), CommitmentView).standing, 'KEPT');
      assertProblem(
        await gw.call(NSA, 'POST', at(refusals, '/dispute'), { reason: 'no' }),
        409,
        'COMMITMENT_CLOSED',
      );

      ok(
        await gw.call(lab, 'POST', at(rollout, '/attestation'), { statement: 'Staged.' }),
        CommitmentReceiptView,
      );
      const disputed = ok(
        await gw.call(NSA, 'POST', at(rollout, '/dispute'), { reason: 'Released to all users on day 1.' }),
        CommitmentReceiptView,
      );
      assert.equal(disputed.state, 'DISPUTED');
      const broken = ok(await gw.call(lab, 'GET', at(rollout)), CommitmentView);
      assert.equal(broken.standing, 'BROKEN');
      assert.equal(broken.timeline.at(-1)?.note, 'Released to all users on day 1.');

      // Lists: the lab its own, an agency those it owns, operations staff all (filtered), from visibility.
      const listed = (as: string, query: string, ids: string[]) =>
        eventually(
          async () => ok(await gw.call(as, 'GET', `/v1/commitments?${query}`), CommitmentPage),
          (p) =>
            JSON.stringify(p.items.map((i) => i.commitmentId).sort()) === JSON.stringify([...ids].sort()),
          `commitments listed for ${as}: ${query}`,
        );
      await listed(lab, `caseId=${id}`, [refusals, rollout]);
      await listed(NSA, `caseId=${id}`, [refusals, rollout]);
      await listed(CAISI, `caseId=${id}`, []);
      await listed(otherLab, `caseId=${id}`, []);
      await listed(ops, `caseId=${id}&state=DISPUTED`, [rollout]);
      await listed(ops, `caseId=${id}&open=false`, [refusals, rollout]);
      const [item] = (await listed(chair, `caseId=${id}&state=CONFIRMED`, [refusals])).items;
      assert.equal(item.owner, 'agency:NSA');
      assert.equal(item.caseId, id);
      assert.equal(item.labId, id.split(':')[0]);
    });
  });
});
