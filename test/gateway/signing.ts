import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KeyView } from '../../shared/api/admin';
import { Me, StatementToSign } from '../../shared/api/responses';
import { publicJwkOf, signedActHeaders } from '../../shared/node/act-statement';
import { ok, type Gateway } from './support';

/** Signed acts in gateway tests (issue 36): a system's registered key, and the headers that sign one act. */

/** A system's Ed25519 key pair, its public key registered by the administrator for `principal`'s API key. */
export async function registeredKey(
  gw: Gateway,
  principal: string,
): Promise<{ privateKey: KeyObject; id: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const apiKeyId = ok(await gw.call(principal, 'GET', '/v1/me'), Me).keyId;
  const { jwk, id } = await publicJwkOf(publicKey);
  const view = ok(
    await gw.call(gw.parties.admin, 'POST', `/v1/admin/keys/${apiKeyId}/signing-keys`, { publicKey: jwk }),
    KeyView,
    201,
  );
  assert.deepEqual(
    view.signingKeys?.map((k) => [k.id, k.revokedAt]),
    [[id, undefined]],
  );
  return { privateKey, id };
}

/** The statement the gateway writes for this act on a case, signed with `key`: the headers that send it. */
export const signed = (
  gw: Gateway,
  as: string,
  caseId: string,
  message: string,
  body: object,
  key: KeyObject,
): Promise<Record<string, string>> =>
  signedAt(gw, as, `/v1/submissions/${caseId}/statements`, message, body, key);

/** The statement a record's statements route writes for this act, signed with `key`: the headers that send it. */
export async function signedAt(
  gw: Gateway,
  as: string,
  statements: string,
  message: string,
  body: object,
  key: KeyObject,
): Promise<Record<string, string>> {
  const prepared = ok(await gw.call(as, 'POST', statements, { message, body }), StatementToSign);
  return signedActHeaders(prepared.encoded, key);
}
