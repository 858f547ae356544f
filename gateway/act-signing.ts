import type { z } from 'zod';
import { PasskeyAssertion } from '../shared/api/passkeys';
import {
  signatureRequired,
  type Signatures,
  type SignedAct,
  type Statement,
} from '../shared/domain/signed-act';
import { PASSKEY_HEADER } from '../shared/node/passkey-proof';
import type { PasskeyCeremonies } from './passkey-ceremonies';
import type { ApiKeys } from '../shared/node/api-keys';
import {
  buildStatement,
  kidOf,
  parseReference,
  parseStatement,
  SIGNATURE_HEADER,
  STATEMENT_HEADER,
  STATEMENT_LIFETIME_MS,
  STATEMENT_SKEW_MS,
  verifyStatementJws,
  type ActDescription,
} from '../shared/node/act-statement';
import { KeyedDigests } from '../shared/node/digest';
import type { KeyRing } from '../shared/node/key-ring';
import { ApiError } from './problem';

const invalid = (message: string): never => {
  throw new ApiError('SIGNATURE_INVALID', message);
};

/**
 * The gateway's side of signed acts (issue 36, part 2; shared/domain/signed-act.ts): it writes the statement
 * a signer asks for, and checks a signed act before it reaches the case: the statement is canonical and says
 * exactly what the request does, for this case, as this caller, signed within the last five minutes, under a
 * key registered for the caller's API key and not revoked, and the signature verifies. The workflow checks the
 * statement against the message again; `record verify` checks the signature again offline.
 */
export class ActSigning {
  private readonly digests: KeyedDigests;

  /** The HTTP body of each act that is signed, by message: what a statement's fields are checked against. */
  readonly bodies = new Map<string, z.ZodType>();

  private readonly keys: ApiKeys;
  /** People's passkeys; without them a person's act cannot be signed. */
  readonly passkeys?: PasskeyCeremonies;
  private readonly signaturesInForce: () => Signatures | undefined;
  private readonly now: () => number;

  constructor(opts: {
    keys: ApiKeys;
    notes: KeyRing;
    passkeys?: PasskeyCeremonies;
    /** Which acts the policy in force says must be signed (policy 8), for the records that pin no policy. */
    signaturesInForce?: () => Signatures | undefined;
    now?: () => number;
  }) {
    this.keys = opts.keys;
    this.passkeys = opts.passkeys;
    this.signaturesInForce = opts.signaturesInForce ?? (() => undefined);
    this.now = opts.now ?? Date.now;
    this.digests = new KeyedDigests(opts.notes);
  }

  /** Whether an API key has a signing key registered and not revoked. */
  private hasSigningKey(apiKeyId: string): boolean {
    const now = this.now();
    const record = this.keys.list().find((k) => k.id === apiKeyId);
    return (record?.signingKeys ?? []).some(
      (s) => s.revokedAt === undefined || Date.parse(s.revokedAt) > now,
    );
  }

  /** The statement to sign for this act, now, with a fresh nonce. */
  prepare(act: ActDescription): { text: string; statement: Statement } {
    return buildStatement(act, this.digests, new Date(this.now()).toISOString());
  }

  /**
   * A lab's record's or a finding's act (they pin no review policy): verify(), and SIGNATURE_REQUIRED when it
   * carries no signature and the policy in force says it must.
   */
  async verifyInForce(
    act: ActDescription,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<{ signed: SignedAct; nonce: string } | undefined> {
    const signature = await this.verify(act, headers);
    if (signature === undefined && signatureRequired(this.signaturesInForce(), act.message, act.by)) {
      throw new ApiError('SIGNATURE_REQUIRED', `${act.message} must be signed under the policy in force`);
    }
    return signature;
  }

  /**
   * The signed act the request carries, checked, or undefined when it carries no signature; SIGNATURE_INVALID
   * saying what does not hold. A system signs with a JWS (Act-Signature), a person with a passkey (Act-Passkey).
   */
  async verify(
    act: ActDescription,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<{ signed: SignedAct; nonce: string } | undefined> {
    const encoded = headers[STATEMENT_HEADER];
    const jws = headers[SIGNATURE_HEADER];
    const passkey = headers[PASSKEY_HEADER];
    if (encoded === undefined && jws === undefined && passkey === undefined) {
      // A system that has a signing key signs: its API key alone, stolen, makes no act that decides.
      if (act.by.kind === 'SYSTEM' && this.hasSigningKey(act.by.keyId)) {
        throw new ApiError(
          'SIGNATURE_REQUIRED',
          `API key ${act.by.keyId} has a signing key registered: its ${act.message} must be signed with it`,
        );
      }
      return undefined;
    }
    if (typeof encoded !== 'string' || (typeof jws === 'string') === (typeof passkey === 'string')) {
      return invalid(
        'a signed act carries one Act-Statement header and one proof: Act-Signature (a system) or Act-Passkey (a person)',
      );
    }
    const { text, statement } = this.statementOf(act, encoded);
    if (typeof passkey === 'string') {
      if (act.by.kind !== 'PERSON') return invalid("a system's acts are signed with its key (Act-Signature)");
      if (this.passkeys === undefined) return invalid('passkeys are not configured on this gateway');
      let assertion: PasskeyAssertion;
      try {
        assertion = PasskeyAssertion.parse(JSON.parse(Buffer.from(passkey, 'base64url').toString('utf8')));
      } catch {
        return invalid('Act-Passkey is not the base64url JSON of a WebAuthn assertion');
      }
      const proof = await this.passkeys.prove(act.by, text, assertion);
      return { nonce: statement.nonce, signed: { statement: text, proof } };
    }
    if (act.by.kind !== 'SYSTEM') {
      return invalid('a person signs their acts with a passkey (Act-Passkey), not a JWS');
    }
    // Exactly one proof came, and it is not a passkey: a JWS.
    const signature = jws as string;
    const now = this.now();
    const kid = kidOf(signature) ?? invalid('Act-Signature is not a JWS that names its key');
    const found =
      this.keys.signingKey(act.by.keyId, kid) ??
      invalid(`signing key ${kid} is not registered for API key ${act.by.keyId}`);
    if (found.key.revokedAt !== undefined && Date.parse(found.key.revokedAt) <= now) {
      invalid(`signing key ${kid} was revoked at ${found.key.revokedAt}`);
    }
    if (!(await verifyStatementJws(text, signature, found.key.jwk))) invalid('the signature does not verify');
    const { id, jwk, registeredAt, registeredBy } = found.key;
    return {
      nonce: statement.nonce,
      signed: {
        statement: text,
        proof: {
          kind: 'JWS',
          jws: signature,
          key: {
            id,
            jwk,
            apiKeyId: found.apiKey.id,
            holder: found.apiKey.holder,
            registeredAt,
            registeredBy,
          },
        },
      },
    };
  }

  /**
   * The statement a request carries, if it says exactly what the request does, for this record, as this caller,
   * signed within the last five minutes; else SIGNATURE_INVALID.
   */
  private statementOf(act: ActDescription, encoded: string): { text: string; statement: Statement } {
    const sent = Buffer.from(encoded, 'base64url').toString('utf8');
    // The whole statement, or its reference (its moment and nonce), from which it is written again.
    const whole = parseStatement(sent);
    const named =
      whole ??
      parseReference(sent) ??
      invalid('Act-Statement is neither the canonical text of a statement nor its reference');
    if (whole !== undefined) {
      if (whole.record !== act.record)
        invalid(`the statement was signed for another record (${whole.record})`);
      if (whole.message !== act.message) invalid(`the statement was signed for ${whole.message}`);
      if (whole.principal !== act.principal) invalid(`the statement was signed as ${whole.principal}`);
    }
    const signedAt = Date.parse(named.at);
    const now = this.now();
    if (signedAt > now + STATEMENT_SKEW_MS) invalid(`the statement is dated ${named.at}, ahead of now`);
    if (now - signedAt > STATEMENT_LIFETIME_MS) {
      invalid(
        `the statement was signed at ${named.at} and expired ${STATEMENT_LIFETIME_MS / 60_000} minutes later`,
      );
    }
    // What the request does, stated at the signer's moment with the signer's nonce, must be what was signed.
    const { text, statement } = buildStatement(act, this.digests, named.at, named.nonce);
    if (whole !== undefined && text !== sent) invalid('the statement does not say what the request does');
    return { text, statement };
  }
}
