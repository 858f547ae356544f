import type { z } from 'zod';
import type { SignedAct } from '../shared/domain/signed-act';
import type { ApiKeys } from '../shared/node/api-keys';
import {
  buildStatement,
  kidOf,
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

  constructor(
    private readonly keys: ApiKeys,
    notes: KeyRing,
    private readonly now: () => number = Date.now,
  ) {
    this.digests = new KeyedDigests(notes);
  }

  /** The statement to sign for this act, now, with a fresh nonce. */
  prepare(act: ActDescription): { text: string; at: string } {
    const { text, statement } = buildStatement(act, this.digests, new Date(this.now()).toISOString());
    return { text, at: statement.at };
  }

  /**
   * The signed act the request carries, checked, or undefined when it carries no signature; SIGNATURE_INVALID
   * saying what does not hold.
   */
  async verify(
    act: ActDescription,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<{ signed: SignedAct; nonce: string } | undefined> {
    const encoded = headers[STATEMENT_HEADER];
    const jws = headers[SIGNATURE_HEADER];
    if (encoded === undefined && jws === undefined) return undefined;
    if (typeof encoded !== 'string' || typeof jws !== 'string') {
      return invalid('a signed act carries one Act-Statement header and one Act-Signature header');
    }
    if (act.by.kind !== 'SYSTEM') {
      return invalid("a person's acts are not signed with a system's key: people will sign with a passkey");
    }
    const text = Buffer.from(encoded, 'base64url').toString('utf8');
    const statement =
      parseStatement(text) ?? invalid('Act-Statement is not the canonical text of a statement');
    if (statement.record !== act.record)
      invalid(`the statement was signed for another record (${statement.record})`);
    if (statement.message !== act.message) invalid(`the statement was signed for ${statement.message}`);
    if (statement.principal !== act.principal) invalid(`the statement was signed as ${statement.principal}`);
    const signedAt = Date.parse(statement.at);
    const now = this.now();
    if (signedAt > now + STATEMENT_SKEW_MS) invalid(`the statement is dated ${statement.at}, ahead of now`);
    if (now - signedAt > STATEMENT_LIFETIME_MS) {
      invalid(
        `the statement was signed at ${statement.at} and expired ${STATEMENT_LIFETIME_MS / 60_000} minutes later`,
      );
    }
    // What the request does, stated at the signer's moment with the signer's nonce, must be what was signed.
    const expected = buildStatement(act, this.digests, statement.at, statement.nonce).text;
    if (expected !== text) invalid('the statement does not say what the request does');
    const kid = kidOf(jws) ?? invalid('Act-Signature is not a JWS that names its key');
    const found =
      this.keys.signingKey(act.by.keyId, kid) ??
      invalid(`signing key ${kid} is not registered for API key ${act.by.keyId}`);
    if (found.key.revokedAt !== undefined && Date.parse(found.key.revokedAt) <= now) {
      invalid(`signing key ${kid} was revoked at ${found.key.revokedAt}`);
    }
    if (!(await verifyStatementJws(text, jws, found.key.jwk))) invalid('the signature does not verify');
    const { id, jwk, registeredAt, registeredBy } = found.key;
    return {
      nonce: statement.nonce,
      signed: {
        statement: text,
        proof: {
          kind: 'JWS',
          jws,
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
}
