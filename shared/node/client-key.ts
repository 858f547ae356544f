import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8 } from 'jose';
import type { webcrypto } from 'node:crypto';

/**
 * A confidential client's private key for `private_key_jwt` (RFC 7523, OpenID Connect Core 9): the client signs an
 * assertion at the token endpoint instead of sending a secret, as Login.gov asks of its clients. The provider
 * holds the public half (the client's registered JWKS).
 */
export interface ClientKey {
  key: webcrypto.CryptoKey;
  /** The key's id at the provider, sent in the assertion's header when the provider registered several. */
  kid?: string;
}

/** The algorithm a private key signs with: RS256 for RSA (Login.gov's), ES256 for EC P-256; no other. */
function algorithmOf(pem: string): 'RS256' | 'ES256' {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(
    `an RSA or EC P-256 private key is needed, not ${key.asymmetricKeyType ?? 'this'}` +
      (key.asymmetricKeyDetails?.namedCurve === undefined ? '' : ` (${key.asymmetricKeyDetails.namedCurve})`),
  );
}

/** Reads the key from a PKCS#8 PEM file (WORKBENCH_CLIENT_KEY_FILE); a file that is not one is named in the error. */
export async function loadClientKey(file: string, kid?: string): Promise<ClientKey> {
  try {
    const pem = readFileSync(file, 'utf8');
    const key = await importPKCS8(pem, algorithmOf(pem));
    return { key, ...(kid === undefined ? {} : { kid }) };
  } catch (err) {
    throw new Error(`WORKBENCH_CLIENT_KEY_FILE ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
