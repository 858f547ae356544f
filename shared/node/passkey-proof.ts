import { createHash } from 'node:crypto';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { SignedAct } from '../domain/signed-act';

/**
 * A person's signature on an act (issue 36, part 2): a WebAuthn assertion whose challenge is the SHA-256 of the
 * statement's bytes, base64url. The statement carries the single-use nonce, so each challenge is new. The same
 * check serves the gateway (before the act is sent) and `record verify` (offline, from the record alone): the
 * assertion is checked with `@simplewebauthn/server` against the public key, relying party and origin kept in
 * the proof, and those against what the deployment allows.
 */

/** The header a person's signed act carries beside Act-Statement: base64url of the assertion's JSON. */
export const PASSKEY_HEADER = 'act-passkey';
/** An assertion is well under this: an RSA signature and a long credential id still fit. */
export const PASSKEY_HEADER_MAX = 2_000;

/** The challenge a passkey signs for a statement: its SHA-256, base64url. */
export const passkeyChallenge = (statement: string): string =>
  createHash('sha256').update(statement, 'utf8').digest('base64url');

export type PasskeyProof = Extract<SignedAct['proof'], { kind: 'PASSKEY' }>;

/**
 * Whether the proof is an assertion over this statement by the key it carries, for its relying party and origin,
 * with the person verified by the authenticator; the authenticator's counter when it is.
 */
export async function verifyPasskeyProof(
  statement: string,
  proof: PasskeyProof,
  counter = 0,
): Promise<{ ok: true; counter: number } | { ok: false; problem: string }> {
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: {
        id: proof.credential.id,
        rawId: proof.credential.id,
        type: 'public-key',
        response: {
          authenticatorData: proof.authenticatorData,
          clientDataJSON: proof.clientDataJSON,
          signature: proof.signature,
          ...(proof.userHandle === undefined ? {} : { userHandle: proof.userHandle }),
        },
        clientExtensionResults: {},
      },
      expectedChallenge: passkeyChallenge(statement),
      expectedOrigin: proof.origin,
      expectedRPID: proof.rpId,
      expectedType: 'webauthn.get',
      credential: {
        id: proof.credential.id,
        publicKey: new Uint8Array(Buffer.from(proof.credential.publicKey, 'base64url')),
        counter,
      },
      requireUserVerification: true,
    });
    return verified
      ? { ok: true, counter: authenticationInfo.newCounter }
      : { ok: false, problem: 'the passkey signature does not verify' };
  } catch (err) {
    // The library says what does not hold: the challenge, the origin, the relying party, a flag, the signature.
    return { ok: false, problem: `the passkey signature does not hold: ${(err as Error).message}` };
  }
}
