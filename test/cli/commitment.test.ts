import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { CommitmentView } from '../../shared/api/commitments';
import { determinedWithCommitments, file, untilStage } from '../gateway/support';
import { jsonOf, openLiveApi, rowOf, succeeded, type LiveApi } from './support';

describe('cli: commitments', () => {
  let api: LiveApi;
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('shows a commitment, lets the lab attest and the owner confirm or dispute it, and lists them', async () => {
    const { gw } = api;
    const { NSA, CAISI, lab, ops } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    const [kept, broken] = await determinedWithCommitments(gw, id, [
      'keep the refusals',
      'stage the rollout',
    ]);

    const shown = succeeded(await api.as(lab, 'commitment', 'show', kept));
    assert.deepEqual(rowOf(shown, 'owner'), ['owner', 'agency:NSA']);
    assert.deepEqual(rowOf(shown, 'state'), ['state', 'OPEN (PENDING)']);
    assert.match(shown, /keep the refusals/);

    assert.match(
      succeeded(await api.as(lab, 'commitment', 'attest', kept, '--statement', 'shipped on')),
      /COMMITMENT_ATTESTED .* the commitment is ATTESTED/,
    );
    const refused = await api.as(CAISI, 'commitment', 'confirm', kept);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /NOT_ENTITLED/);
    assert.match(
      succeeded(await api.as(NSA, 'commitment', 'confirm', kept, '--note', 'verified')),
      /the commitment is CONFIRMED/,
    );
    succeeded(await api.as(lab, 'commitment', 'attest', broken, '--statement', 'staged'));
    const missing = await api.as(NSA, 'commitment', 'dispute', broken);
    assert.notEqual(missing.code, 0);
    succeeded(await api.as(NSA, 'commitment', 'dispute', broken, '--reason', 'released to all on day 1'));
    const after = jsonOf(await api.as(ops, 'commitment', 'show', broken, '--json'), CommitmentView);
    assert.equal(after.standing, 'BROKEN');
    assertEventTypes(after.timeline, ['COMMITMENT_OPENED', 'COMMITMENT_ATTESTED', 'COMMITMENT_DISPUTED']);

    const listed = succeeded(await api.as(NSA, 'commitment', 'list', '--case', id));
    assert.match(listed, /COMMITMENT +OWNER +STATE/);
  });
});
