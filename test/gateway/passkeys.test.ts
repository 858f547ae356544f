import assert from 'node:assert/strict';
import {
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyView,
  RegisteredPasskey,
  RegisteredPasskeyList,
} from '../../shared/api/passkeys';
import { FindingReceiptView } from '../../shared/api/findings';
import { LabReceiptView } from '../../shared/api/labs';
import { Receipt } from '../../shared/api/responses';
import { REQUEST_EXAMPLES } from '../../shared/api/examples';
import { tokenOf } from '../helpers/sign-in';
import { passkeyHeaders, registerPasskey, SoftwareAuthenticator } from './software-passkey';
import {
  assertProblem,
  decision,
  file,
  fileFinding,
  ok,
  readGov,
  untilLabRecord,
  untilStage,
  withGateway,
} from './support';

/**
 * Issue 36: people's passkeys through the API, with a software authenticator (the browser's ceremony is
 * test/dashboard/passkeys.test.ts): what registration refuses, what revocation refuses, and each way a person's
 * signed act is refused, changing nothing; and policy 8's requirement on a lab's record and a finding, which
 * follow the policy in force.
 */
describe('gateway: people’s passkeys (issue 36)', function () {
  this.timeout(4 * 60_000);

  it('registers a passkey once, from a pending challenge at this origin, and lets only its owner revoke it, once', async () => {
    await withGateway(async (gw) => {
      const nsa = await tokenOf('nsa');
      const chair = await tokenOf('chair');
      // Nothing pending: an answer to no challenge of this gateway's.
      const none = assertProblem(
        await gw.call(nsa, 'POST', '/v1/passkeys', REQUEST_EXAMPLES.registerPasskey),
        422,
        'PASSKEY_REGISTRATION_INVALID',
      );
      assert.match(none.detail ?? '', /no registration is pending/);
      // Made at another origin (a phishing page's), for a real challenge.
      const options = ok(
        await gw.call(nsa, 'POST', '/v1/passkeys/registration-options', {}),
        PasskeyCreationOptions,
      );
      const phished = new SoftwareAuthenticator('https://review.example.net');
      assertProblem(
        await gw.call(nsa, 'POST', '/v1/passkeys', phished.attestation(options)),
        422,
        'PASSKEY_REGISTRATION_INVALID',
      );
      assert.deepEqual(ok(await gw.call(nsa, 'GET', '/v1/passkeys'), PasskeyList).items, []);

      // Registered, then the same credential again under a fresh challenge.
      const { device } = await registerPasskey(gw, nsa);
      const again = ok(
        await gw.call(nsa, 'POST', '/v1/passkeys/registration-options', {}),
        PasskeyCreationOptions,
      );
      assertProblem(
        await gw.call(nsa, 'POST', '/v1/passkeys', device.attestation(again)),
        409,
        'PASSKEY_ALREADY_REGISTERED',
      );

      // Revocation: someone else's passkey is not found for them; an unknown one is not found; twice is refused.
      assertProblem(
        await gw.call(chair, 'POST', `/v1/passkeys/${device.id}/revocation`, {}),
        404,
        'PASSKEY_NOT_FOUND',
      );
      assertProblem(
        await gw.call(nsa, 'POST', '/v1/passkeys/bm90LWEtcGFzc2tleQ/revocation', {}),
        404,
        'PASSKEY_NOT_FOUND',
      );
      const revoked = ok(await gw.call(nsa, 'POST', `/v1/passkeys/${device.id}/revocation`, {}), PasskeyView);
      assert.ok(revoked.revokedAt !== undefined);
      assertProblem(
        await gw.call(nsa, 'POST', `/v1/passkeys/${device.id}/revocation`, {}),
        409,
        'KEY_NOT_ACTIVE',
      );
      // The administrator revokes a person's passkey when its owner cannot; no one else may.
      const { device: second } = await registerPasskey(gw, nsa);
      assertProblem(
        await gw.call(gw.parties.ops, 'POST', `/v1/admin/passkeys/${second.id}/revocation`, {}),
        403,
        'FORBIDDEN',
      );
      const byAdmin = ok(
        await gw.call(gw.parties.admin, 'POST', `/v1/admin/passkeys/${second.id}/revocation`, {}),
        RegisteredPasskey,
      );
      assert.match(byAdmin.revokedBy ?? '', /^admin: key /);
      const all = ok(await gw.call(gw.parties.admin, 'GET', '/v1/admin/passkeys'), RegisteredPasskeyList);
      assert.deepEqual(
        all.items.map((p) => [p.id, p.subject, p.revokedAt !== undefined]),
        [
          [device.id, 'nsa', true],
          [second.id, 'nsa', true],
        ],
      );
      // Without a credential, none of the passkey routes answers anything but 401.
      for (const [method, url] of [
        ['POST', '/v1/passkeys/registration-options'],
        ['POST', '/v1/passkeys'],
        ['GET', '/v1/passkeys'],
        ['POST', `/v1/passkeys/${device.id}/revocation`],
        ['GET', '/v1/admin/passkeys'],
        ['POST', `/v1/admin/passkeys/${device.id}/revocation`],
      ] as const) {
        assertProblem(
          await gw.call(undefined, method, url, method === 'POST' ? {} : undefined),
          401,
          'UNAUTHENTICATED',
        );
      }
      // A system has no passkeys: it signs with its registered key.
      assertProblem(await gw.call(gw.parties.NSA, 'GET', '/v1/passkeys'), 403, 'PASSKEYS_ARE_FOR_PEOPLE');
    });
  });

  it("refuses a person's act signed with a revoked passkey, someone else's, at another origin, with a JWS, or a second time; nothing is recorded", async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      const nsa = await tokenOf('nsa');
      const cisa = await tokenOf('cisa');
      const statements = `/v1/submissions/${id}/statements`;
      const url = `/v1/submissions/${id}/extensions`;
      const body = { days: 3, reason: 'one more evaluation' };
      const before = await readGov(gw, gw.parties.chair, id);
      const refused = async (headers: Record<string, string>, detail: RegExp, as = nsa) => {
        const problem = assertProblem(
          await gw.call(as, 'POST', url, body, headers),
          422,
          'SIGNATURE_INVALID',
        );
        assert.match(problem.detail ?? '', detail);
        assert.deepEqual((await readGov(gw, gw.parties.chair, id)).timeline, before.timeline);
      };

      // CISA's passkey, with NSA's sign-in: not NSA's.
      const { device: cisaDevice } = await registerPasskey(gw, cisa);
      const nsaStatement = await passkeyHeaders(gw, nsa, cisaDevice, statements, 'requestExtension', body);
      await refused(nsaStatement, /is not registered to you/);
      // NSA's own passkey, its assertion made at another origin.
      const { device } = await registerPasskey(gw, nsa);
      const elsewhere = new SoftwareAuthenticator('https://review.example.net');
      Object.assign(elsewhere, { id: device.id });
      await refused(
        await passkeyHeaders(gw, nsa, elsewhere, statements, 'requestExtension', body),
        /not at this gateway's pages/,
      );
      // A person's act with a system's kind of signature.
      const signedNow = await passkeyHeaders(gw, nsa, device, statements, 'requestExtension', body);
      await refused(
        { 'act-statement': signedNow['act-statement'], 'act-signature': 'eyJhbGciOiJFZERTQSJ9..c2ln' },
        /a person signs their acts with a passkey/,
      );
      // Signed properly: recorded once; the same signature again, under another Idempotency-Key, is refused.
      ok(await gw.call(nsa, 'POST', url, body, { ...signedNow, 'idempotency-key': 'first' }), Receipt);
      const after = await readGov(gw, gw.parties.chair, id);
      assertProblem(
        await gw.call(nsa, 'POST', url, body, { ...signedNow, 'idempotency-key': 'second' }),
        422,
        'SIGNATURE_INVALID',
      );
      assert.deepEqual((await readGov(gw, gw.parties.chair, id)).timeline, after.timeline);
      // Revoked, the passkey signs nothing more.
      ok(await gw.call(nsa, 'POST', `/v1/passkeys/${device.id}/revocation`, {}), PasskeyView);
      const decided = decision('NO_CONCERNS');
      const late = await passkeyHeaders(gw, nsa, device, statements, 'recordDecision', decided);
      const problem = assertProblem(
        await gw.call(nsa, 'POST', `/v1/submissions/${id}/decisions`, decided, late),
        422,
        'SIGNATURE_INVALID',
      );
      assert.match(problem.detail ?? '', /was revoked/);
    });
  });

  it("requires, under the policy in force, the chair's signed decision on a lab and the clearinghouse's signed validation", async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      const { labId } = await untilLabRecord(gw, id);
      const chair = await tokenOf('chair');
      const nsa = await tokenOf('nsa');
      const designation = { reason: 'two reviews completed on time' };
      const labUrl = `/v1/labs/${labId}/designation`;
      assertProblem(await gw.call(chair, 'POST', labUrl, designation), 422, 'SIGNATURE_REQUIRED');
      const { device: chairDevice } = await registerPasskey(gw, chair);
      const labHeaders = await passkeyHeaders(
        gw,
        chair,
        chairDevice,
        `/v1/labs/${labId}/statements`,
        'designateTrustedPartner',
        designation,
      );
      ok(await gw.call(chair, 'POST', labUrl, designation, labHeaders), LabReceiptView);

      const findingId = await fileFinding(gw, gw.parties.NSA, { caseId: id, tlp: 'CLEAR' });
      const validation = `/v1/findings/${findingId}/validation`;
      assertProblem(await gw.call(nsa, 'POST', validation, {}), 422, 'SIGNATURE_REQUIRED');
      const { device } = await registerPasskey(gw, nsa);
      const headers = await passkeyHeaders(
        gw,
        nsa,
        device,
        `/v1/findings/${findingId}/statements`,
        'validateFinding',
        {},
      );
      ok(await gw.call(nsa, 'POST', validation, {}, headers), FindingReceiptView);
    });
  });
});
