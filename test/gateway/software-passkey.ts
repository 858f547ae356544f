import assert from 'node:assert/strict';
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { PasskeyCreationOptions, PasskeyView } from '../../shared/api/passkeys';
import { StatementToSign } from '../../shared/api/responses';
import { ok, type Gateway } from './support';

/** The origin requests injected in-process come from (test/gateway/support.ts's relying party). */
export const TEST_PASSKEY_ORIGIN = 'http://localhost';

const sha256 = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();
const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** CBOR (RFC 8949), the little of it WebAuthn's attestation needs: text, bytes and maps. */
const head = (major: number, n: number): Buffer =>
  n < 24
    ? Buffer.from([(major << 5) | n])
    : n < 256
      ? Buffer.from([(major << 5) | 24, n])
      : Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
const text = (s: string) => Buffer.concat([head(3, Buffer.byteLength(s)), Buffer.from(s)]);
const bytes = (b: Buffer) => Buffer.concat([head(2, b.length), b]);

/**
 * A passkey authenticator in software, for tests without a browser (the browser's own is the Chromium test's,
 * test/dashboard/passkeys.test.ts): a P-256 key, an attestation of format `none` that registers it, and
 * assertions as an authenticator makes them: authenticatorData (the relying party's hash, the user present and
 * verified, a counter), clientDataJSON with the challenge and origin, an ECDSA signature over both.
 */
export class SoftwareAuthenticator {
  readonly id = randomBytes(16).toString('base64url');
  private readonly key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private counter = 0;

  constructor(readonly origin = TEST_PASSKEY_ORIGIN) {}

  /** The COSE_Key (RFC 9053) of the public key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
  private cose(): Buffer {
    const jwk = this.key.publicKey.export({ format: 'jwk' });
    return Buffer.concat([
      Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]),
      Buffer.from(jwk.x!, 'base64url'),
      Buffer.from([0x22, 0x58, 0x20]),
      Buffer.from(jwk.y!, 'base64url'),
    ]);
  }

  /** What `startRegistration()` would answer for these options. */
  attestation(options: { challenge: string; rp: { id: string } }): object {
    const credentialId = Buffer.from(this.id, 'base64url');
    const idLength = Buffer.from([credentialId.length >> 8, credentialId.length & 0xff]);
    // Flags: user present (0x01), user verified (0x04), attested credential data (0x40); counter 0; AAGUID 0.
    const authData = Buffer.concat([
      sha256(options.rp.id),
      Buffer.from([0x45, 0, 0, 0, 0]),
      Buffer.alloc(16),
      idLength,
      credentialId,
      this.cose(),
    ]);
    const attestationObject = Buffer.concat([
      Buffer.from([0xa3]),
      text('fmt'),
      text('none'),
      text('attStmt'),
      Buffer.from([0xa0]),
      text('authData'),
      bytes(authData),
    ]);
    const clientData = { type: 'webauthn.create', challenge: options.challenge, origin: this.origin };
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(JSON.stringify(clientData)),
        attestationObject: b64(attestationObject),
      },
      clientExtensionResults: {},
    };
  }

  /** What `startAuthentication()` would answer for a challenge. */
  assertion(challenge: string, rpId: string): object {
    this.counter += 1;
    const clientDataJSON = JSON.stringify({ type: 'webauthn.get', challenge, origin: this.origin });
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([0x05]), count]);
    const signature = createSign('sha256')
      .update(Buffer.concat([authenticatorData, sha256(clientDataJSON)]))
      .sign(this.key.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64(clientDataJSON),
        authenticatorData: b64(authenticatorData),
        signature: b64(signature),
      },
      clientExtensionResults: {},
    };
  }
}

/** Registers a software authenticator's passkey for the person behind `token`, through the API. */
export async function registerPasskey(gw: Gateway, token: string, device = new SoftwareAuthenticator()) {
  const options = ok(
    await gw.call(token, 'POST', '/v1/passkeys/registration-options', {}),
    PasskeyCreationOptions,
  );
  const view = ok(
    await gw.call(token, 'POST', '/v1/passkeys', device.attestation(options)),
    PasskeyView,
    201,
  );
  assert.equal(view.id, device.id);
  return { device, view };
}

/** The headers that sign a statement a person asks for, with a device's passkey. */
export async function passkeyHeaders(
  gw: Gateway,
  token: string,
  device: SoftwareAuthenticator,
  statements: string,
  message: string,
  body: object,
): Promise<Record<string, string>> {
  const prepared = ok(await gw.call(token, 'POST', statements, { message, body }), StatementToSign);
  assert.ok(prepared.passkey, 'a person is given the options their authenticator signs');
  return {
    'act-statement': prepared.reference,
    'act-passkey': b64(JSON.stringify(device.assertion(prepared.passkey.challenge, prepared.passkey.rpId))),
  };
}

/** A person's passkey, registered now through the API, and a function that signs one act with it. */
export async function softwarePasskey(gw: Gateway, token: string) {
  const { device } = await registerPasskey(gw, token);
  return {
    id: device.id,
    sign: (statements: string, message: string, body: object) =>
      passkeyHeaders(gw, token, device, statements, message, body),
  };
}
