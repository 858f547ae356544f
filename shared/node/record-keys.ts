import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { keyIdOf } from './permanent-record';
import { PROJECT_ROOT } from './tools';

type KeyConfig = Pick<Config, 'RECORD_SIGNING_KEY_FILE' | 'RECORD_VERIFYING_KEY_FILE'>;

export interface RecordSigner {
  signingKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

const resolved = (file: string): string => path.resolve(PROJECT_ROOT, file);

function ed25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
  return key;
}

/**
 * The deployment's record-signing key pair, held by the workers that archive closed cases. With
 * `createIfMissing` (the embedded default) a missing pair is created; otherwise a missing key is an error that
 * says how to make one. The public half is derived from the private one, so the two always match.
 */
export function recordSigner(
  config: KeyConfig,
  createIfMissing: boolean,
): RecordSigner & { created: boolean } {
  const file = resolved(config.RECORD_SIGNING_KEY_FILE);
  let created = false;
  if (!existsSync(file)) {
    if (!createIfMissing) {
      throw new Error(
        `record signing key: none at ${file}; create the pair with \`npx frontier-review admin record-keys init\``,
      );
    }
    writeKeyPair(config);
    created = true;
  }
  const signingKey = ed25519(createPrivateKey(readFileSync(file, 'utf8')), file);
  const publicKey = createPublicKey(signingKey);
  return { signingKey, publicKey, keyId: keyIdOf(publicKey), created };
}

/** The verifying key: public, for the gateway to publish and for anyone to check a record with. */
export function recordVerifyingKey(config: KeyConfig): KeyObject | undefined {
  const file = resolved(config.RECORD_VERIFYING_KEY_FILE);
  if (!existsSync(file)) return undefined;
  return ed25519(createPublicKey(readFileSync(file, 'utf8')), file);
}

/** Creates a new pair: the private key readable by its owner only, the public one by anyone. */
export function writeKeyPair(config: KeyConfig): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateFile = resolved(config.RECORD_SIGNING_KEY_FILE);
  const publicFile = resolved(config.RECORD_VERIFYING_KEY_FILE);
  mkdirSync(path.dirname(privateFile), { recursive: true, mode: 0o700 });
  mkdirSync(path.dirname(publicFile), { recursive: true });
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
    flag: 'wx',
  });
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
}
