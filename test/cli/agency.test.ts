import { proofKeyId } from '../../shared/domain/signed-act';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { KeyView } from '../../shared/api/admin';
import { Problem } from '../../shared/api/problem';
import { Me } from '../../shared/api/responses';
import { publicJwkOf } from '../../shared/node/act-statement';
import { uniqueId } from '../helpers/workers';
import { CasePage, file, ok, readGov, untilStage } from '../gateway/support';
import { waitFor } from '../helpers/wait';
import {
  openLiveApi,
  receipt,
  refused,
  rowOf,
  shown,
  succeeded,
  until,
  type LiveApi,
  exited,
  runWarm,
  scratch,
} from './support';

describe('cli: agency commands', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('lists the cases awaiting it, asks the lab, extends its deadline and decides, each a timeline entry', async () => {
    const { gw } = api;
    const { NSA } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const page = await until(
      () => api.as(NSA, 'cases', 'awaiting', '--page-size', '100', '--json'),
      CasePage,
      (p) => p.items.some((c) => c.caseId === id),
      'the case awaiting NSA',
    );
    const row = page.items.find((c) => c.caseId === id)!;
    const table = succeeded(await api.as(NSA, 'cases', 'awaiting', '--page-size', '100'));
    assert.deepEqual(rowOf(table, 'CASE'), [
      'CASE',
      'LAB',
      'STAGE',
      'POLICY',
      'NEXT DEADLINE',
      'WINDOW END',
      'OUTCOME',
      'FLAGS',
      'AWAITING',
    ]);
    assert.deepEqual(rowOf(table, id), [
      id,
      row.labId,
      'NATIONAL_SECURITY',
      'draft-2026-90d',
      shown(row.nextDeadline!),
      shown(row.windowEnd!),
      '-',
      '-',
      'NSA, CISA, DOW',
    ]);

    const asked = receipt(
      await api.as(NSA, 'request-info', id, '--question', 'Which evals ran?', '--question', 'At what scale?'),
      `Asked the lab of ${id} 2 question(s)`,
    );
    const extended = receipt(
      await api.as(NSA, 'extend', id, '--days', '3', '--reason', 'a second red-team pass'),
      `Extended the deadline on ${id} by 3 day(s)`,
    );
    const decided = receipt(
      await api.as(
        NSA,
        ...['decide', id, '--kind', 'CONCERNS_MITIGATED', '--summary', 'Mitigations adequate.'],
        ...[
          '--commitment',
          'staged rollout',
          '--commitment',
          'no weights release',
          '--restricted-note',
          'exploit chain',
        ],
      ),
      `Decision CONCERNS_MITIGATED recorded on ${id}`,
    );

    const view = await readGov(gw, NSA, id);
    const typeOf = (seq: number) => view.timeline.find((e) => e.seq === seq)?.type;
    assert.deepEqual(
      [typeOf(asked), typeOf(extended), typeOf(decided)],
      ['INFORMATION_REQUESTED', 'CLOCK_EXTENDED', 'DECISION_RECORDED'],
    );
    assert.deepEqual(view.informationRequests[0].questions, ['Which evals ran?', 'At what scale?']);
    const nsa = view.agencies.find((a) => a.agency === 'NSA')!;
    assert.equal(nsa.extensionsUsed, 1);
    const { recordedAt: _at, ...decision } = nsa.decision!;
    assert.deepEqual(decision, {
      kind: 'CONCERNS_MITIGATED',
      summary: 'Mitigations adequate.',
      commitments: ['staged rollout', 'no weights release'],
      restrictedNote: 'exploit chain',
      recordedBy: NSA,
    });
  });

  it('exits 1 with the problem when the case refuses its action, as text or as JSON', async () => {
    const { gw } = api;
    const { NSA, CAISI } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const decide = ['decide', id, '--kind', 'NO_CONCERNS', '--summary', 'No concerns.'];
    succeeded(await api.as(NSA, ...decide));
    const [again, early] = await Promise.all([api.as(NSA, ...decide), api.as(CAISI, ...decide, '--json')]);
    refused(again, 409, 'ALREADY_DECIDED');
    exited(early, 1);
    assert.equal(early.stdout, '');
    const problem = Problem.parse(JSON.parse(early.stderr));
    assert.deepEqual(
      { status: problem.status, code: problem.code, detail: problem.detail, instance: problem.instance },
      {
        status: 409,
        code: 'WRONG_STAGE',
        detail: 'CAISI reviews in CIVILIAN; the case is in NATIONAL_SECURITY',
        instance: `/v1/submissions/${id}/decisions`,
      },
    );
  });

  it('designates a case as NSA, with its benchmark score kept from the lab, and says which way to go', async () => {
    const { gw } = api;
    const { NSA, lab } = gw.parties;
    const id = await file(gw, { model: { name: 'Small-1', version: '1', trainingComputeFlop: 5e25 } });
    await waitFor(
      () => readGov(gw, gw.parties.chair, id),
      (c) => c.stage === 'DESIGNATION',
      'the designation pending',
    );
    const noWay = await api.as(NSA, 'designate', id, '--reason', 'meets the bar');
    exited(noWay, 2);
    assert.match(noWay.stderr, /--covered or --not-covered/);
    receipt(
      await api.as(
        NSA,
        'designate',
        id,
        '--covered',
        '--reason',
        'meets the bar',
        '--benchmark-score',
        '0.91',
      ),
      `Designated ${id} covered`,
    );
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const shownToNsa = succeeded(await api.as(NSA, 'cases', 'show', id));
    assert.match(shownToNsa, /covered by NSA .+: meets the bar; benchmark score 0\.91/);
    const shownToLab = succeeded(await api.as(lab, 'cases', 'show', id));
    assert.match(shownToLab, /covered by NSA .+: meets the bar/);
    assert.doesNotMatch(shownToLab, /0\.91|benchmark score/);
    refused(
      await api.as(NSA, 'designate', id, '--not-covered', '--reason', 'on reflection'),
      409,
      'ALREADY_DECIDED',
    );
  });

  it('signs an act with the system key FRONTIER_REVIEW_SIGNING_KEY names (issue 36), and says so when it cannot read it', async () => {
    const { gw } = api;
    const { NSA, admin } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { jwk, id: signingKeyId } = await publicJwkOf(publicKey);
    const apiKeyId = ok(await gw.call(NSA, 'GET', '/v1/me'), Me).keyId;
    ok(
      await gw.call(admin, 'POST', `/v1/admin/keys/${apiKeyId}/signing-keys`, { publicKey: jwk }),
      KeyView,
      201,
    );
    const keyFile = path.join(scratch, `${uniqueId('signing')}.pem`);
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const env = (file: string) => ({
      FRONTIER_REVIEW_API: api.url,
      FRONTIER_REVIEW_API_KEY: gw.keys[NSA],
      FRONTIER_REVIEW_SIGNING_KEY: file,
    });

    const unreadable = await runWarm(
      ['extend', id, '--days', '3', '--reason', 'one more run'],
      env(`${keyFile}.missing`),
    );
    exited(unreadable, 2);
    assert.match(unreadable.stderr, /FRONTIER_REVIEW_SIGNING_KEY: cannot read an Ed25519 private key/);
    receipt(
      await runWarm(['extend', id, '--days', '3', '--reason', 'one more run'], env(keyFile)),
      `Extended the deadline on ${id} by 3 day(s)`,
    );
    const gov = await readGov(gw, gw.parties.chair, id);
    assert.deepEqual(
      gov.timeline
        .filter((e) => e.signed !== undefined)
        .map((e) => [e.type, e.signed && proofKeyId(e.signed.proof)]),
      [['CLOCK_EXTENDED', signingKeyId]],
    );
  });
});
