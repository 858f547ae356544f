import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { AccessLogPage } from '../../shared/api/access-log';
import { KeyList, KeyView, SigningKeyRegistry } from '../../shared/api/admin';
import { MESSAGES } from '../../shared/domain/review/messages';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { proofKeyId, type SignedAct } from '../../shared/domain/signed-act';
import { noteErrorAsserted } from '../helpers/ledger';
import { Me, Receipt, StatementToSign } from '../../shared/api/responses';
import {
  canonicalText,
  parseStatement,
  publicJwkOf,
  signedActHeaders,
  STATEMENT_HEADER_MAX,
  signStatement,
} from '../../shared/node/act-statement';
import { entriesOf, verifyRecord, writeRecord } from '../../shared/node/permanent-record';
import { checkSignedActs } from '../../shared/node/record-acts';
import { testRecords, testRecordSigner } from '../helpers/activities';
import { tokenOf } from '../helpers/sign-in';
import { uniqueId } from '../helpers/workers';
import { exited, runWarm, scratch } from '../cli/support';
import { registeredKey, signed, signedAt } from './signing';
import {
  assertProblem,
  decision,
  eventually,
  file,
  fileFinding,
  ok,
  readGov,
  untilLabRecord,
  untilStage,
  withGateway,
  exportedRecord,
} from './support';
import { FindingReceiptView, FindingView } from '../../shared/api/findings';
import { LabReceiptView, LabView } from '../../shared/api/labs';
import { findingRecordId } from '../../shared/domain/clearinghouse/workflow';

/** The statement inside headers, changed by `edit` and sent again in canonical form (as a forger would). */
const restated = (headers: Record<string, string>, edit: (s: Record<string, unknown>) => void): string => {
  const statement = JSON.parse(Buffer.from(headers['act-statement'], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  edit(statement);
  return Buffer.from(canonicalText(statement), 'utf8').toString('base64url');
};

/**
 * Issue 36, part 2: the acts that decide are signed by the system that makes them, with an Ed25519 key an
 * administrator registered for its API key; the gateway checks the signature and that the statement says what
 * the request does, the case checks the statement again, and the record keeps both for anyone to check offline.
 */
describe('gateway: signed acts (issue 36, part 2)', function () {
  this.timeout(4 * 60_000);

  it('accepts a signed decision and refuses a changed byte, another case, an expired statement, a revoked key and a person with a system key', async () => {
    await withGateway(async (gw) => {
      const { NSA, CISA, lab, admin } = gw.parties;
      const id = await file(gw);
      const other = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      await untilStage(gw, other, 'NATIONAL_SECURITY', lab);
      const nsa = await registeredKey(gw, NSA);
      const url = `/v1/submissions/${id}/decisions`;
      const body = decision('CONCERNS_MITIGATED', {
        commitments: ['keep the refusal layer on'],
        restrictedNote: 'reproduced in the range',
      });
      const headers = await signed(gw, NSA, id, 'recordDecision', body, nsa.privateKey);
      const before = await readGov(gw, gw.parties.chair, id);
      // NSA's system has a signing key now: its API key alone, unsigned, decides nothing.
      const unsigned = assertProblem(await gw.call(NSA, 'POST', url, body), 422, 'SIGNATURE_REQUIRED');
      assert.match(unsigned.detail ?? '', /has a signing key registered/);
      assert.deepEqual((await readGov(gw, gw.parties.chair, id)).timeline, before.timeline);

      // The statement is written only for a body the act would take, an act that is signed, and its sender.
      const statements = `/v1/submissions/${id}/statements`;
      const badBody = assertProblem(
        await gw.call(NSA, 'POST', statements, {
          message: 'requestExtension',
          body: { days: 'three', reason: 'r' },
        }),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        badBody.issues?.map((i) => [i.in, i.path]),
        [['body', '/body/days']],
      );
      assertProblem(
        await gw.call(NSA, 'POST', statements, { message: 'withdraw', body: { reason: 'r' } }),
        400,
        'VALIDATION_FAILED',
      );
      assertProblem(
        await gw.call(lab, 'POST', statements, { message: 'recordDecision', body }),
        403,
        'FORBIDDEN',
      );
      assertProblem(
        await gw.call(NSA, 'POST', statements, {
          message: 'resolveEscalation',
          body: { outcome: 'NO_CONCERNS_IDENTIFIED', rationale: 'r' },
        }),
        403,
        'FORBIDDEN',
      );

      // The same statement with another body: one changed byte of the summary.
      const changed = decision('CONCERNS_MITIGATED', {
        commitments: ['keep the refusal layer on'],
        restrictedNote: 'reproduced in the range',
        summary: 'CONCERNS_MITIGATED summarY',
      });
      const refusal = assertProblem(
        await gw.call(NSA, 'POST', url, changed, headers),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(refusal.detail ?? '', /does not say what the request does/);
      // The restricted note is in the statement only as a commitment: another note is another statement.
      const otherNote = decision('CONCERNS_MITIGATED', {
        commitments: ['keep the refusal layer on'],
        restrictedNote: 'reproduced in the rangE',
      });
      assertProblem(await gw.call(NSA, 'POST', url, otherNote, headers), 422, 'SIGNATURE_INVALID');
      // Replayed onto another case, as sent and with the case id rewritten.
      assertProblem(
        await gw.call(NSA, 'POST', `/v1/submissions/${other}/decisions`, body, headers),
        422,
        'SIGNATURE_INVALID',
      );
      const rewritten = { ...headers, 'act-statement': restated(headers, (s) => (s.record = other)) };
      assertProblem(
        await gw.call(NSA, 'POST', `/v1/submissions/${other}/decisions`, body, rewritten),
        422,
        'SIGNATURE_INVALID',
      );
      // The statement with another nonce is another statement (the note's commitment moves with it).
      const renonced = {
        ...headers,
        'act-statement': restated(headers, (s) => (s.nonce = `${String(s.nonce)}A`)),
      };
      assertProblem(await gw.call(NSA, 'POST', url, body, renonced), 422, 'SIGNATURE_INVALID');
      // The statement as written, with one character of the signature changed.
      const sig = headers['act-signature'];
      const flipped = `${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
      const altered = { ...headers, 'act-signature': flipped };
      const notVerified = assertProblem(
        await gw.call(NSA, 'POST', url, body, altered),
        422,
        'SIGNATURE_INVALID',
      );
      assert.equal(notVerified.detail, 'the signature does not verify');
      // Signed six minutes ago (by the signer's own clock): expired.
      const stale = restated(headers, (s) => (s.at = new Date(Date.now() - 6 * 60_000).toISOString()));
      const staleHeaders = await signedActHeaders(stale, nsa.privateKey);
      const expired = assertProblem(
        await gw.call(NSA, 'POST', url, body, staleHeaders),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(expired.detail ?? '', /expired/);
      // Another agency's system cannot send NSA's signed statement, nor sign with NSA's key.
      assertProblem(await gw.call(CISA, 'POST', url, body, headers), 422, 'SIGNATURE_INVALID');
      const cisaSigned = await signed(
        gw,
        CISA,
        id,
        'recordDecision',
        decision('NO_CONCERNS'),
        nsa.privateKey,
      );
      const unregistered = assertProblem(
        await gw.call(CISA, 'POST', url, decision('NO_CONCERNS'), cisaSigned),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(unregistered.detail ?? '', /not registered for API key/);
      // A person signs with a passkey, not with a system's key.
      const reviewer = await tokenOf('nsa');
      const asPerson = await signed(gw, reviewer, id, 'recordDecision', body, nsa.privateKey);
      const person = assertProblem(
        await gw.call(reviewer, 'POST', url, body, asPerson),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(person.detail ?? '', /passkey/);
      // Half a signature.
      assertProblem(
        await gw.call(NSA, 'POST', url, body, { 'act-statement': headers['act-statement'] }),
        422,
        'SIGNATURE_INVALID',
      );
      // Nothing was recorded by any of them.
      assert.deepEqual((await readGov(gw, gw.parties.chair, id)).timeline, before.timeline);

      // As signed: accepted, once. The same request again is the same act (its nonce keys it).
      const first = ok(await gw.call(NSA, 'POST', url, body, headers), Receipt);
      const again = ok(await gw.call(NSA, 'POST', url, body, headers), Receipt);
      assert.deepEqual(again, first);
      const gov = await readGov(gw, gw.parties.chair, id);
      const acts = gov.timeline.filter((e) => e.signed !== undefined);
      assert.deepEqual(
        acts.map((e) => [e.type, e.actor, e.signed && proofKeyId(e.signed.proof)]),
        [['DECISION_RECORDED', NSA, nsa.id]],
      );
      const statement = parseStatement(acts[0].signed!.statement)!;
      assert.equal(statement.record, id);
      assert.match(String((statement.fields.decision as Record<string, unknown>).restrictedNote), /^hmac:/);
      assert.ok(
        !acts[0].signed!.statement.includes('reproduced'),
        'the statement carries no restricted text',
      );
      // The lab's view never carries the signature (it names the system and its key).
      const labView = await gw.call(lab, 'GET', `/v1/submissions/${id}`);
      assert.equal(labView.status, 200, labView.text);
      assert.ok(!labView.text.includes(nsa.id), "the lab reads the signing key's id");
      assert.doesNotMatch(labView.text, /"signed"/);

      // A lab's key signs nothing; a key is registered once; only a registered key is revoked.
      const labKeyId = ok(await gw.call(lab, 'GET', '/v1/me'), Me).keyId;
      const { jwk } = await publicJwkOf(generateKeyPairSync('ed25519').publicKey);
      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/keys/${labKeyId}/signing-keys`, { publicKey: jwk }),
        422,
        'SIGNING_KEY_NOT_ALLOWED',
      );
      const nsaKeyId = ok(await gw.call(NSA, 'GET', '/v1/me'), Me).keyId;
      const cisaKeyId = ok(await gw.call(CISA, 'GET', '/v1/me'), Me).keyId;
      const second = await publicJwkOf(generateKeyPairSync('ed25519').publicKey);
      ok(
        await gw.call(admin, 'POST', `/v1/admin/keys/${nsaKeyId}/signing-keys`, { publicKey: second.jwk }),
        KeyView,
        201,
      );
      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/keys/${cisaKeyId}/signing-keys`, { publicKey: second.jwk }),
        409,
        'SIGNING_KEY_ALREADY_REGISTERED',
      );
      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/signing-keys/${'A'.repeat(43)}/revocation`, {}),
        404,
        'SIGNING_KEY_NOT_FOUND',
      );
      // Each key change names the administrator's key and its holder, beside the principal (issue 36, part 4).
      const adminKey = gw.files.apiKeys.find(gw.keys.admin)!;
      const byAdmin = { kind: 'SYSTEM', keyId: adminKey.id, holder: adminKey.holder };
      const log = ok(
        await gw.call(admin, 'GET', '/v1/access-log?action=SIGNING_KEY_REGISTERED'),
        AccessLogPage,
      );
      assert.deepEqual(
        log.items.map((e) => [e.principal, e.subject, e.by]),
        [
          ['admin', `${nsaKeyId}/${second.id}`, byAdmin],
          ['admin', `${nsaKeyId}/${nsa.id}`, byAdmin],
        ],
      );

      // Revoked: what it signs from now on is refused; what it signed stays in the record.
      const revoked = ok(
        await gw.call(admin, 'POST', `/v1/admin/signing-keys/${nsa.id}/revocation`, {}),
        KeyList,
      );
      assert.deepEqual(
        revoked.items.map((k) => [k.id, k.signingKeys?.map((s) => [s.id, s.revokedAt !== undefined])]),
        [
          [
            nsaKeyId,
            [
              [nsa.id, true],
              [second.id, false],
            ],
          ],
        ],
      );
      const extension = { days: 5, reason: 'more testing' };
      const afterRevocation = await signed(gw, NSA, id, 'requestExtension', extension, nsa.privateKey);
      const refused = assertProblem(
        await gw.call(NSA, 'POST', `/v1/submissions/${id}/extensions`, extension, afterRevocation),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(refused.detail ?? '', /revoked/);
      assertProblem(
        await gw.call(admin, 'POST', `/v1/admin/signing-keys/${nsa.id}/revocation`, {}),
        409,
        'KEY_NOT_ACTIVE',
      );
    });
  });

  it('signs an act of any length by its reference: the gateway writes the statement again, and a changed body does not verify', async () => {
    await withGateway(async (gw) => {
      const { NSA, lab, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const nsa = await registeredKey(gw, NSA);
      // Twenty commitments of 900 characters: the statement is far longer than a header carries.
      const commitments = Array.from(
        { length: 20 },
        (_, i) => `${i}: ${'keep the refusal layer on. '.repeat(33)}`,
      );
      const body = decision('CONCERNS_MITIGATED', { commitments });
      const prepared = ok(
        await gw.call(NSA, 'POST', `/v1/submissions/${id}/statements`, { message: 'recordDecision', body }),
        StatementToSign,
      );
      assert.ok(prepared.encoded.length > STATEMENT_HEADER_MAX, `${prepared.encoded.length} characters`);
      const headers = await signedActHeaders(prepared.encoded, nsa.privateKey, prepared.reference);
      const url = `/v1/submissions/${id}/decisions`;
      const before = await readGov(gw, chair, id);
      const changed = decision('CONCERNS_MITIGATED', { commitments: [...commitments.slice(1), 'another'] });
      const refusal = assertProblem(
        await gw.call(NSA, 'POST', url, changed, headers),
        422,
        'SIGNATURE_INVALID',
      );
      assert.equal(refusal.detail, 'the signature does not verify');
      assert.deepEqual((await readGov(gw, chair, id)).timeline, before.timeline);
      ok(await gw.call(NSA, 'POST', url, body, headers), Receipt);
      const act = (await readGov(gw, chair, id)).timeline.find((e) => e.signed !== undefined);
      assert.equal(act?.signed?.statement, prepared.statement, 'the record keeps the whole statement');
    });
  });

  it("keeps each signed act in the permanent record, where record verify's check holds offline and fails on forged acts", async () => {
    await withGateway(async (gw) => {
      const { NSA, lab, ops, chair } = gw.parties;
      const id = await file(gw);
      const other = await file(gw);
      for (const c of [id, other]) await untilStage(gw, c, 'NATIONAL_SECURITY', lab);
      const nsa = await registeredKey(gw, NSA);
      const extension = { days: 3, reason: 'one more evaluation' };
      const headers = await signed(gw, NSA, id, 'requestExtension', extension, nsa.privateKey);
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${id}/extensions`, extension, headers), Receipt);

      // A worker host (it holds the payload keys) sends the signed act to another case, bound to it as the
      // gateway would bind it: the case refuses it, and nothing is recorded.
      const act = (await readGov(gw, chair, id)).timeline.find((e) => e.signed !== undefined)!;
      const before = await readGov(gw, chair, other);
      await assert.rejects(
        gw.client.workflow
          .getHandle(reviewWorkflowId(other))
          .executeUpdate(MESSAGES.requestExtension.update, {
            args: [{ actor: NSA, by: act.by, ...extension, signed: act.signed }],
          }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'SIGNATURE_INVALID' &&
          /signed for another record/.test(err.cause.message),
      );
      noteErrorAsserted('SIGNATURE_INVALID');
      assert.deepEqual((await readGov(gw, chair, other)).timeline, before.timeline);

      ok(await gw.call(lab, 'POST', `/v1/submissions/${id}/withdrawal`, { reason: 'not yet' }), Receipt);
      const { text } = await exportedRecord(gw, id);
      assert.equal(verifyRecord(text, testRecordSigner.publicKey).ok, true);
      const registry = ok(await gw.call(ops, 'GET', '/v1/records/signing-keys'), SigningKeyRegistry);
      assert.deepEqual(
        registry.items.map((k) => [k.id, k.principal, k.revokedAt]),
        [[nsa.id, NSA, undefined]],
      );
      const checks = await checkSignedActs(text, registry);
      assert.deepEqual(
        checks.map((c) => [c.message, c.principal, c.keyId, c.problem]),
        [['requestExtension', NSA, nsa.id, undefined]],
      );

      // Whoever holds the record's signing key (a worker host) rewrites the act to say 30 days and signs the
      // record again: its chain holds. Kept with NSA's signature, the act does not verify; signed anew with a key
      // of the forger's own, it verifies with the key it carries, and only the registry tells it apart.
      const rewritten = (resign?: KeyObject) =>
        Promise.all(
          entriesOf(text).map(async (e) => {
            if (e.kind !== 'TIMELINE' || e.signed === undefined) return e;
            const signedAct = e.signed as SignedAct;
            const statement = JSON.parse(signedAct.statement) as { fields: { days: number } };
            statement.fields.days = 30;
            const restatement = canonicalText(statement);
            if (resign === undefined) return { ...e, signed: { ...signedAct, statement: restatement } };
            const { jwk, id: kid } = await publicJwkOf(createPublicKey(resign));
            const jws = await signStatement(restatement, resign, kid);
            const key = {
              ...(signedAct.proof as Extract<SignedAct['proof'], { kind: 'JWS' }>).key,
              id: kid,
              jwk,
            };
            return { ...e, signed: { statement: restatement, proof: { kind: 'JWS', jws, key } } };
          }),
        ).then((entries) => writeRecord(entries, testRecordSigner.signingKey, testRecordSigner.publicKey));
      const forged = await rewritten();
      const ownKey = await rewritten(generateKeyPairSync('ed25519').privateKey);
      for (const f of [forged, ownKey]) assert.equal(verifyRecord(f, testRecordSigner.publicKey).ok, true);
      const [check] = await checkSignedActs(forged, registry);
      assert.deepEqual([check.line, check.problem], [checks[0].line, 'the signature does not verify']);
      assert.equal((await checkSignedActs(ownKey))[0].problem, undefined);
      assert.match(
        (await checkSignedActs(ownKey, registry))[0].problem ?? '',
        /is not registered for API key/,
      );

      // `frontier-review record verify`, offline with the verifying key's file and the registry saved beside it.
      const dir = path.join(scratch, uniqueId('records'));
      await mkdir(dir);
      const write = async (name: string, content: string) => {
        await writeFile(path.join(dir, name), content);
        return path.join(dir, name);
      };
      const pem = await write(
        'verifying-key.pem',
        String(testRecordSigner.publicKey.export({ type: 'spki', format: 'pem' })),
      );
      const keys = await write('signing-keys.json', JSON.stringify(registry));
      const verify = async (name: string, content: string, ...more: string[]) =>
        runWarm(['record', 'verify', await write(name, content), '--key', pem, ...more]);
      const good = await verify('good.jsonl', text, '--signing-keys', keys);
      exited(good, 0);
      assert.match(good.stdout, /^verified: \d+ lines, signed by key \w+; 1 signed act\(s\)\n/);
      assert.match(
        good.stdout,
        new RegExp(
          `\\n${check.line} +requestExtension +${NSA} +key key_\\w+ +${nsa.id} +\\S+ \\S+ +verified\\n$`,
        ),
      );
      for (const [name, content, problem] of [
        ['forged.jsonl', forged, 'the signature does not verify'],
        ['own-key.jsonl', ownKey, 'signing key \\S+ is not registered for API key key_\\w+'],
      ]) {
        const bad = await verify(name, content, '--signing-keys', keys);
        exited(bad, 1);
        assert.match(
          bad.stdout,
          /^NOT VERIFIED: \d+ lines, signed by key \w+; 1 signed act\(s\), 1 of them not verified\n/,
        );
        assert.match(
          bad.stdout,
          new RegExp(`\\n${check.line} +requestExtension .+NOT VERIFIED: ${problem}\\n`),
        );
      }
      // Without the registry, the forger's own key is not caught, and the output says what was not checked.
      const unchecked = await verify('own-key-alone.jsonl', ownKey);
      exited(unchecked, 0);
      assert.match(unchecked.stdout, /signing keys not checked against the registry: give --signing-keys/);
    });
  });

  it("accepts the chair's signed decision on a lab and the clearinghouse's signed validation and disclosure, each for its own record only", async () => {
    await withGateway(async (gw) => {
      const { chair, lab, otherLab, ops, TREASURY } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await untilLabRecord(gw, id);
      const chairKey = await registeredKey(gw, chair);
      const reason = { reason: 'two reviews completed on time' };
      const statement = (record: string, message: string, body: object, key = chairKey) =>
        signedAt(gw, chair, `/v1/${record}/statements`, message, body, key.privateKey);

      // The chair's signed designation: for this lab only.
      const forLab = await statement(`labs/${labId}`, 'designateTrustedPartner', reason);
      const otherId = otherLab.slice('lab:'.length);
      const elsewhere = { ...forLab, 'act-statement': restated(forLab, (s) => (s.record = otherId)) };
      assertProblem(
        await gw.call(chair, 'POST', `/v1/labs/${labId}/designation`, reason, elsewhere),
        422,
        'SIGNATURE_INVALID',
      );
      ok(await gw.call(chair, 'POST', `/v1/labs/${labId}/designation`, reason, forLab), LabReceiptView);

      // Treasury's system signs the clearinghouse's steps on a finding NSA filed about the case.
      const treasury = await registeredKey(gw, TREASURY);
      const findingId = await fileFinding(gw, gw.parties.NSA, { caseId: id, tlp: 'CLEAR' });
      const note = { note: 'reproduced on the vendor build' };
      const validation = await signedAt(
        gw,
        TREASURY,
        `/v1/findings/${findingId}/statements`,
        'validateFinding',
        note,
        treasury.privateKey,
      );
      // The note is committed to: another note is another statement.
      assertProblem(
        await gw.call(
          TREASURY,
          'POST',
          `/v1/findings/${findingId}/validation`,
          { note: 'other' },
          validation,
        ),
        422,
        'SIGNATURE_INVALID',
      );
      ok(
        await gw.call(TREASURY, 'POST', `/v1/findings/${findingId}/validation`, note, validation),
        FindingReceiptView,
      );
      const disclosure = await signedAt(
        gw,
        TREASURY,
        `/v1/findings/${findingId}/statements`,
        'discloseFinding',
        {},
        treasury.privateKey,
      );
      ok(
        await gw.call(TREASURY, 'POST', `/v1/findings/${findingId}/disclosure`, {}, disclosure),
        FindingReceiptView,
      );

      // The disclosed finding's permanent record keeps both, and they verify offline.
      const text = await eventually(
        () => testRecords.get(findingRecordId(findingId)),
        (t) => t !== undefined,
        `the record of ${findingId}`,
      );
      const checks = await checkSignedActs(text!);
      assert.deepEqual(
        checks.map((c) => [c.message, c.principal, c.keyId, c.problem]),
        [
          ['validateFinding', TREASURY, treasury.id, undefined],
          ['discloseFinding', TREASURY, treasury.id, undefined],
        ],
      );
      assert.ok(
        !text!.includes('reproduced on the vendor build'),
        'the note is sealed and only committed to',
      );

      // The government sees each signed act on the finding's and the lab's histories; the lab sees none.
      const signedSteps = (timeline: { type: string; signed?: SignedAct }[]) =>
        timeline.filter((e) => e.signed !== undefined).map((e) => [e.type, proofKeyId(e.signed!.proof)]);
      const asChair = ok(await gw.call(chair, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.deepEqual(signedSteps(asChair.timeline), [
        ['FINDING_VALIDATED', treasury.id],
        ['FINDING_DISCLOSED', treasury.id],
      ]);
      const asLab = ok(await gw.call(lab, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.deepEqual(signedSteps(asLab.timeline), []);
      const labAsOps = ok(await gw.call(ops, 'GET', `/v1/labs/${labId}`), LabView);
      assert.deepEqual(
        signedSteps(labAsOps.timeline).map(([, key]) => key),
        [chairKey.id],
      );
    });
  });
});
