import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KeyView } from '../../shared/api/admin';
import { Me, StatementToSign } from '../../shared/api/responses';
import { publicJwkOf, signedActHeaders } from '../../shared/node/act-statement';
import { softwarePasskey } from './software-passkey';
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

/** The act a request path makes, if it is one that is signed, and where its statement is written. */
const SIGNED_PATHS: [RegExp, string][] = [
  [/^(\/v1\/submissions\/[^/]+)\/designation$/, 'designateCoverage'],
  [/^(\/v1\/submissions\/[^/]+)\/decisions$/, 'recordDecision'],
  [/^(\/v1\/submissions\/[^/]+)\/information-requests$/, 'requestInformation'],
  [/^(\/v1\/submissions\/[^/]+)\/extensions$/, 'requestExtension'],
  [/^(\/v1\/submissions\/[^/]+)\/escalation\/resolution$/, 'resolveEscalation'],
  [/^(\/v1\/labs\/[^/]+)\/designation$/, 'designateTrustedPartner'],
  [/^(\/v1\/labs\/[^/]+)\/revocation$/, 'revokeTrustedPartner'],
  [/^(\/v1\/findings\/[^/]+)\/validation$/, 'validateFinding'],
  [/^(\/v1\/findings\/[^/]+)\/disclosure$/, 'discloseFinding'],
];

export function signedActAt(path: string): { message: string; statements: string } | undefined {
  for (const [pattern, message] of SIGNED_PATHS) {
    const m = pattern.exec(path);
    if (m !== null) return { message, statements: `${m[1]}/statements` };
  }
  return undefined;
}

/** The headers that sign a person's act at `path` with a passkey made for them now; none for other acts. */
export async function personSigns(
  gw: Gateway,
  token: string,
  path: string,
  body: object,
): Promise<Record<string, string>> {
  const act = signedActAt(path);
  if (act === undefined) return {};
  return (await softwarePasskey(gw, token)).sign(act.statements, act.message, body);
}
