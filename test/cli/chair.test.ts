import assert from 'node:assert/strict';
import { Receipt } from '../../shared/api/responses';
import { CasePage, decision, file, ok, read, untilStage } from '../gateway/support';
import { openLiveApi, receipt, refused, shown, succeeded, until, type LiveApi } from './support';

describe('cli: chair commands', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('finds an escalated case, resolves it with the determination, and is refused a second resolution', async () => {
    const { gw } = api;
    const { NSA, CISA, DOW, CAISI, DOE, TREASURY, chair } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', chair);
    const decide = async (as: string, kind: string) =>
      ok(await gw.call(as, 'POST', `/v1/submissions/${id}/decisions`, decision(kind)), Receipt);
    await decide(NSA, 'CONCERNS_UNRESOLVED');
    for (const a of [CISA, DOW]) await decide(a, 'NO_CONCERNS');
    await untilStage(gw, id, 'CIVILIAN', chair);
    for (const a of [CAISI, DOE, TREASURY]) await decide(a, 'NO_CONCERNS');
    await untilStage(gw, id, 'DETERMINATION', chair);

    await until(
      () => api.as(chair, 'cases', 'escalated', '--all', '--json'),
      CasePage,
      (p) => p.items.some((c) => c.caseId === id),
      'the case in the escalated list',
    );
    const resolve = [
      ...['resolve-escalation', id, '--outcome', 'PROCEED_WITH_COMMITMENTS'],
      ...['--rationale', 'NSA concerns addressed by commitments', '--commitment', 'staged rollout'],
    ];
    receipt(await api.as(chair, ...resolve), `Resolved the escalation of ${id}: PROCEED_WITH_COMMITMENTS`);
    const determined = await untilStage(gw, id, 'PRE_RELEASE', chair);
    refused(await api.as(chair, ...resolve), 409, 'NOT_ESCALATED');

    const out = succeeded(await api.as(chair, 'cases', 'show', id));
    const section = out.slice(out.indexOf('\nDetermination\n')).split('\n').slice(2, 7);
    assert.deepEqual(section, [
      'outcome      PROCEED_WITH_COMMITMENTS',
      `issued       ${shown(determined.determination!.issuedAt)} by CHAIR`,
      'rationale    NSA concerns addressed by commitments',
      'commitments  staged rollout',
      'AGENCY    POSITION             SUMMARY',
    ]);
    assert.deepEqual((await read(gw, chair, id)).determination?.commitments, ['staged rollout']);
  });
});
