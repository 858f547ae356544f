import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { calculateJwkThumbprint, flattenedVerify, FlattenedSign, importJWK, type JWK } from 'jose';
import type { ActedBy } from '../domain/acted-by';
import { z } from 'zod';
import {
  NONCE,
  statementFields,
  statementOf,
  STATEMENT_VERSION,
  type SignedActName,
  type Statement,
} from '../domain/signed-act';
import type { KeyedDigests } from './digest';

/**
 * The signed statement of an act (shared/domain/signed-act.ts) on the Node side: building it (the gateway, for
 * a signer who asks), signing it (an agency's system, the CLI) and checking a signature (the gateway, `record
 * verify`). The bytes signed are the statement's canonical JSON (RFC 8785); the signature is a JWS with the
 * EdDSA algorithm over those bytes, unencoded and detached (RFC 7797: `b64: false`), so a verifier needs only
 * the statement as recorded, the JWS and the public key.
 */

/** The headers a signed act carries: the statement signed (base64url of its text) and the detached JWS. */
export const STATEMENT_HEADER = 'act-statement';
export const SIGNATURE_HEADER = 'act-signature';
/**
 * The longest statement a request carries, base64url, and the longest signature: both fit, with the other
 * headers, within the HTTP server's 16 KiB of headers. A longer statement (a decision with pages of
 * commitments) is sent as its reference (`statementReference`), which always fits.
 */
export const STATEMENT_HEADER_MAX = 11_000;
export const SIGNATURE_HEADER_MAX = 1_000;

/** The JWS protected header every act signature carries, besides its `kid`. */
const HEADER = { alg: 'EdDSA', b64: false } as const;

/** How long a signed statement is good for after its moment, and how far ahead of the gateway's clock it may be. */
export const STATEMENT_LIFETIME_MS = 5 * 60_000;
export const STATEMENT_SKEW_MS = 60_000;

export const canonicalText = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('a statement must be JSON');
  return text;
};

/** A fresh single-use nonce: 192 random bits. */
export const newNonce = (): string => randomBytes(24).toString('base64url');

export interface ActDescription {
  /** The record the act is on, as the API names it: a case id, a finding id, a lab id. */
  record: string;
  message: SignedActName;
  /** The act's fields as the request gives them, restricted ones in plain text. */
  fields: Record<string, unknown>;
  principal: string;
  by: ActedBy;
}

/**
 * The statement of an act, restricted fields as commitments keyed with the notes ring (the salt is the
 * statement's nonce with that key). `at` and `nonce` are the signer's, or fresh.
 */
export function buildStatement(
  act: ActDescription,
  digests: KeyedDigests,
  at = new Date().toISOString(),
  nonce = newNonce(),
): { statement: Statement; text: string } {
  const statement: Statement = {
    v: STATEMENT_VERSION,
    record: act.record,
    message: act.message,
    fields: statementFields(act.message, act.fields, (path, value) =>
      digests.of({ nonce, field: path.join('.'), value }, 'commitment'),
    ),
    at,
    nonce,
    principal: act.principal,
    by: act.by,
  };
  return { statement, text: canonicalText(statement) };
}

/** A statement's text parsed, if it is one and is canonical. */
export function parseStatement(text: string): Statement | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (canonicalize(value) !== text) return undefined;
    const parsed = statementOf().safeParse(value);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** An Ed25519 public key's JWK and its RFC 7638 thumbprint, the `kid` its signatures carry. */
export async function publicJwkOf(
  key: KeyObject,
): Promise<{ jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string }; id: string }> {
  const exported = key.export({ format: 'jwk' }) as JWK;
  if (exported.kty !== 'OKP' || exported.crv !== 'Ed25519' || typeof exported.x !== 'string') {
    throw new Error('an act is signed with an Ed25519 key');
  }
  const jwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: exported.x };
  return { jwk, id: await calculateJwkThumbprint(jwk, 'sha256') };
}

/** Signs a statement's text: the compact JWS with its payload detached, `<protected>..<signature>`. */
export async function signStatement(text: string, privateKey: KeyObject, kid: string): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(text))
    .setProtectedHeader({ ...HEADER, crit: ['b64'], kid })
    .sign(privateKey);
  return `${jws.protected}..${jws.signature}`;
}

/** The `kid` a detached JWS names, if it is one of ours. */
export function kidOf(jws: string): string | undefined {
  const [protectedHeader] = jws.split('.');
  try {
    const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a detached JWS is a signature over this text with this key, under the header acts are signed with. */
export async function verifyStatementJws(
  text: string,
  jws: string,
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string },
): Promise<boolean> {
  const [protectedHeader, payload, signature] = jws.split('.');
  if (payload !== '' || protectedHeader === undefined || signature === undefined) return false;
  try {
    const key = await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA');
    const { protectedHeader: header } = await flattenedVerify(
      { protected: protectedHeader, payload: new TextEncoder().encode(text), signature },
      key,
      { algorithms: ['EdDSA'] },
    );
    return header?.b64 === false && header.kid === (await calculateJwkThumbprint(jwk, 'sha256'));
  } catch {
    return false;
  }
}

/**
 * The headers that sign an act, for a signer holding its Ed25519 private key: the statement as the gateway wrote
 * it (`encoded`, from POST /submissions/{caseId}/statements) and the JWS over its bytes.
 */
export async function signedActHeaders(
  encoded: string,
  privateKey: KeyObject,
  sendAs: string = encoded,
): Promise<Record<string, string>> {
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  const { id } = await publicJwkOf(createPublicKey(privateKey));
  return { [STATEMENT_HEADER]: sendAs, [SIGNATURE_HEADER]: await signStatement(text, privateKey, id) };
}

/**
 * A statement's reference: its moment and nonce, base64url of `{"at":…,"nonce":…}`. An act may carry it in
 * Act-Statement instead of the whole statement: the gateway writes the statement again from the request, the
 * moment and the nonce, and checks the signature over that, so an act of any length can be signed.
 */
const Reference = z.strictObject({ at: z.iso.datetime(), nonce: z.string().regex(NONCE) });
export const statementReference = (s: { at: string; nonce: string }): string =>
  Buffer.from(canonicalText({ at: s.at, nonce: s.nonce }), 'utf8').toString('base64url');

/** The moment and nonce a reference names, if it is one. */
export function parseReference(text: string): { at: string; nonce: string } | undefined {
  try {
    const parsed = Reference.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
