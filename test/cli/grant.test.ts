import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { GrantListItem, GrantView } from '../../shared/api/grants';
import { page } from '../../shared/api/responses';
import { operatorOf } from '../../shared/domain/principal';
import { determinedNoConcerns, eventually, file, untilStage } from '../gateway/support';
import {
  jsonOf,
  openLiveApi,
  receipt,
  refused,
  rowOf,
  shown,
  succeeded,
  until,
  type LiveApi,
  exited,
} from './support';

const GrantPage = page(GrantListItem);

describe('cli: early-access grants', function () {
  // Seventeen runs of the CLI, each a Node process, after a case is driven to its determination.
  this.timeout(180_000);
  let api: LiveApi;
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('CISA nominates an operator, the lab reads and approves the grant, the operator reports use, lists and ends it', async () => {
    const { gw } = api;
    const { CISA, lab, operator, ops } = gw.parties;
    const operatorId = operatorOf(operator)!;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const nominate = () =>
      api.as(CISA, 'nominate', id, '--operator', operatorId, '--reason', 'Regional grid operator');
    refused(await nominate(), 409, 'WRONG_STAGE');
    const determined = await determinedNoConcerns(gw, id);

    const grantId = `${id.replace(':', '~')}~${operatorId}`;
    receipt(await nominate(), `Nominated operator:${operatorId} for early access on ${id}: grant ${grantId}`);
    // The case starts the grant's workflow at its next turn.
    await eventually(
      () => gw.call(lab, 'GET', `/v1/grants/${grantId}`),
      (res) => res.status === 200,
      'the grant started',
    );

    const nominated = succeeded(await api.as(lab, 'grant', 'show', grantId));
    assert.deepEqual(rowOf(nominated, 'grant'), ['grant', grantId]);
    assert.deepEqual(rowOf(nominated, 'operator'), ['operator', operator]);
    assert.deepEqual(rowOf(nominated, 'reason'), ['reason', 'Regional grid operator']);
    assert.deepEqual(rowOf(nominated, 'state'), ['state', 'NOMINATED']);
    assert.equal(rowOf(nominated, 'unclassified summary')[1], determined.determination?.rationale);
    assert.deepEqual(rowOf(nominated, 'uses'), ['uses', '0']);
    assert.deepEqual(rowOf(nominated, '1').slice(2, 4), ['GRANT_NOMINATED', CISA]);

    // Only the lab answers; with the same idempotency key a retry prints the first receipt.
    refused(await api.as(operator, 'grant', 'approve', grantId), 403, 'FORBIDDEN');
    const approve = (key: string) =>
      api.as(lab, 'grant', 'approve', grantId, '--note', 'Welcome.', '--idempotency-key', key);
    const approved = succeeded(await approve(`approve-${grantId}`));
    assert.match(
      approved,
      new RegExp(
        `^${grantId}: GRANT_APPROVED at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ; the grant is ACTIVE\\n$`,
      ),
    );
    assert.equal(succeeded(await approve(`approve-${grantId}`)), approved);
    refused(await approve(`approve-again-${grantId}`), 409, 'GRANT_WRONG_STATE');

    const [noNote, badState] = await Promise.all([
      api.as(operator, 'grant', 'use', grantId),
      api.as(operator, 'grant', 'list', '--state', 'OPEN'),
    ]);
    exited(badState, 2);
    assert.match(badState.stderr, /argument 'OPEN' is invalid\. Allowed choices are NOMINATED, ACTIVE, /);
    exited(noNote, 2);
    assert.match(noNote.stderr, /required option '--note <text>' not specified/);
    assert.match(
      succeeded(await api.as(operator, 'grant', 'use', grantId, '--note', 'Ran our SCADA playbooks.')),
      /GRANT_USE_REPORTED .*; the grant is ACTIVE\n$/,
    );
    const active = jsonOf(await api.as(operator, 'grant', 'show', grantId, '--json'), GrantView);
    assert.equal(active.uses, 1);
    assert.ok(active.endsAt !== undefined);
    assertEventTypes(active.timeline, ['GRANT_NOMINATED', 'GRANT_APPROVED', 'GRANT_USE_REPORTED']);
    const text = succeeded(await api.as(operator, 'grant', 'show', grantId));
    assert.deepEqual(rowOf(text, 'ends'), ['ends', shown(active.endsAt)]);
    assert.deepEqual(rowOf(text, 'uses'), ['uses', '1']);

    // The operator lists its own grants (from visibility: eventually).
    const listed = await until(
      () => api.as(operator, 'grant', 'list', '--case', id, '--json'),
      GrantPage,
      (p) => p.items.some((g) => g.grantId === grantId && g.state === 'ACTIVE'),
      'the operator lists its grant',
    );
    const item = listed.items.find((g) => g.grantId === grantId)!;
    const table = succeeded(await api.as(operator, 'grant', 'list', '--state', 'ACTIVE'));
    assert.deepEqual(rowOf(table, 'GRANT'), [
      'GRANT',
      'OPERATOR',
      'STATE',
      'NEXT DEADLINE',
      'WHOSE',
      'NOMINATED',
    ]);
    assert.deepEqual(rowOf(table, grantId), [
      grantId,
      operator,
      'ACTIVE',
      item.nextDeadline === undefined ? '-' : shown(item.nextDeadline),
      item.nextParty ?? '-',
      shown(item.nominatedAt),
    ]);

    // Either side ends it: the operator relinquishes.
    assert.match(
      succeeded(await api.as(operator, 'grant', 'revoke', grantId, '--reason', 'Our evaluation is done.')),
      /GRANT_REVOKED .*; the grant is ENDED\n$/,
    );
    refused(await api.as(lab, 'grant', 'revoke', grantId, '--reason', 'x'), 409, 'GRANT_CLOSED');
  });
});
