import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { LabListItem, LabView } from '../../shared/api/labs';
import { page } from '../../shared/api/responses';
import { eventually, file, untilStage } from '../gateway/support';
import {
  jsonOf,
  openLiveApi,
  refused,
  rowOf,
  shown,
  succeeded,
  until,
  type LiveApi,
  exited,
} from './support';

const LabPage = page(LabListItem);

describe('cli: labs', () => {
  let api: LiveApi;
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it("lists labs, shows a lab's record with the policy's proposal, and lets the chair designate and revoke", async () => {
    const { gw } = api;
    const { lab, otherLab, chair, ops } = gw.parties;
    const labId = lab.slice('lab:'.length);
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
    // The case tells the lab's record of its acceptance by an activity: the record answers once that is done.
    await eventually(
      () => gw.call(ops, 'GET', `/v1/labs/${labId}`),
      (res) => res.status === 200 && LabView.parse(res.body).cases.some((c) => c.caseId === id),
      `lab ${labId}'s record holding ${id}`,
    );

    const before = jsonOf(await api.as(ops, 'labs', 'show', labId, '--json'), LabView);
    assert.equal(before.status, 'PARTICIPANT');
    assert.deepEqual(before.statusHistory, []);
    // Nothing has completed on the dev server: the policy in force proposes no trusted partner, and says why.
    assert.equal(before.eligibility.eligible, false);
    assert.equal(before.eligibility.completedReviews, 0);
    assert.match(before.eligibility.unmet[0], /completed reviews/);

    const own = succeeded(await api.as(lab, 'labs', 'show', labId));
    assert.deepEqual(rowOf(own, 'lab'), ['lab', labId]);
    assert.deepEqual(rowOf(own, 'status'), ['status', 'PARTICIPANT']);
    assert.deepEqual(rowOf(own, 'proposal'), [
      'proposal',
      'not eligible (0 completed reviews, 0 early releases, 0 broken commitments)',
    ]);
    assert.deepEqual(rowOf(own, 'unmet'), ['unmet', before.eligibility.unmet[0]]);
    assert.deepEqual(rowOf(own, 'commitments'), ['commitments', '0 kept, 0 broken, 0 overdue, 0 pending']);
    const accepted = before.cases.find((c) => c.caseId === id)!;
    assert.deepEqual(rowOf(own, id), [
      id,
      shown(accepted.acceptedAt),
      `${accepted.policy.id} v${accepted.policy.version}`,
      'PARTICIPANT',
      '-',
      '-',
      '-',
      '-',
    ]);

    // Another lab reads neither the record nor the lab in its list.
    refused(await api.as(otherLab, 'labs', 'show', labId), 404, 'LAB_NOT_FOUND');
    assert.doesNotMatch(succeeded(await api.as(otherLab, 'labs', 'list')), new RegExp(labId));

    await until(
      () => api.as(ops, 'labs', 'list', '--json'),
      LabPage,
      (p) => p.items.some((l) => l.labId === labId),
      'the lab listed',
    );
    const listed = succeeded(await api.as(ops, 'labs', 'list'));
    assert.match(listed, /^LAB +STATUS +SINCE\n/);
    assert.deepEqual(rowOf(listed, labId).slice(0, 2), [labId, 'PARTICIPANT']);

    // The chair designates, with a reason; a retry with the same key gets the first receipt.
    const missing = await api.as(chair, 'labs', 'designate', labId);
    exited(missing, 2, missing.stderr);
    const reason = 'two completed reviews and every commitment kept';
    const designate = () =>
      api.as(
        chair,
        'labs',
        'designate',
        labId,
        '--reason',
        reason,
        '--idempotency-key',
        `designate-${labId}`,
      );
    const designated = succeeded(await designate());
    assert.match(
      designated,
      new RegExp(
        `^${labId}: TRUSTED_PARTNER_DESIGNATED at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ; the lab is TRUSTED_PARTNER\\n$`,
      ),
    );
    assert.equal(succeeded(await designate()), designated);
    refused(await api.as(chair, 'labs', 'designate', labId, '--reason', 'again'), 409, 'LAB_WRONG_STATUS');

    const trusted = jsonOf(await api.as(ops, 'labs', 'show', labId, '--json'), LabView);
    assert.equal(trusted.status, 'TRUSTED_PARTNER');
    const [change] = trusted.statusHistory;
    assert.deepEqual(change, {
      status: 'TRUSTED_PARTNER',
      at: change.at,
      by: 'chair',
      reason,
      eligible: false,
    });
    const seen = succeeded(await api.as(lab, 'labs', 'show', labId));
    assert.deepEqual(rowOf(seen, 'status'), ['status', 'TRUSTED_PARTNER']);
    assert.deepEqual(rowOf(seen, 'since'), ['since', shown(change.at)]);
    assert.deepEqual(rowOf(seen, shown(change.at)), [
      shown(change.at),
      'TRUSTED_PARTNER',
      'chair',
      'not eligible',
      reason,
    ]);
    await until(
      () => api.as(chair, 'labs', 'list', '--status', 'TRUSTED_PARTNER', '--json'),
      LabPage,
      (p) => p.items.some((l) => l.labId === labId && l.status === 'TRUSTED_PARTNER'),
      'the lab listed as a trusted partner',
    );

    // The chair revokes; revoking again is refused the same way.
    assert.match(
      succeeded(await api.as(chair, 'labs', 'revoke', labId, '--reason', 'an early release')),
      new RegExp(`^${labId}: TRUSTED_PARTNER_REVOKED at .*; the lab is PARTICIPANT\\n$`),
    );
    refused(await api.as(chair, 'labs', 'revoke', labId, '--reason', 'again'), 409, 'LAB_WRONG_STATUS');
    const after = jsonOf(await api.as(chair, 'labs', 'show', labId, '--json'), LabView);
    assert.equal(after.status, 'PARTICIPANT');
    assert.deepEqual(
      after.statusHistory.map((h) => [h.status, h.by, h.reason]),
      [
        ['TRUSTED_PARTNER', 'chair', reason],
        ['PARTICIPANT', 'chair', 'an early release'],
      ],
    );
    assertEventTypes(after.timeline, [
      'CASE_ACCEPTED',
      'TRUSTED_PARTNER_DESIGNATED',
      'TRUSTED_PARTNER_REVOKED',
    ]);
  });
});
