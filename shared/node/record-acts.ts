import type { SigningKeyRegistry } from '../api/admin';
import { describeActedBy } from '../domain/acted-by';
import { sameJson, signedAct } from '../domain/signed-act';
import {
  parseStatement,
  STATEMENT_LIFETIME_MS,
  STATEMENT_SKEW_MS,
  verifyStatementJws,
} from './act-statement';

/**
 * The signed acts of a permanent record, checked offline (issue 36, part 3): each timeline entry that carries a
 * signed statement (shared/domain/signed-act.ts) has a statement for this record's case, made as the entry's
 * principal by the one the entry names, dated no later than the key's registration allows and recorded within
 * the statement's five minutes, and a signature that verifies with the public key kept beside it. The record's
 * chain and its own signature are shared/node/permanent-record.ts's; this reads a record that passed them.
 */
export interface SignedActCheck {
  /** The record's line (its `seq`). */
  line: number;
  message: string;
  /** Who signed: the person or system, and the principal. */
  signer: string;
  principal: string;
  /** The signing key's id (its RFC 7638 thumbprint) and the API key it was registered for. */
  keyId: string;
  at: string;
  problem?: string;
}

/** A registered signing key, as the registry lists it (GET /v1/records/signing-keys). */
export type RegisteredSigningKey = SigningKeyRegistry['items'][number];

const problemOf = async (
  entry: Record<string, unknown>,
  record: unknown,
  registry: readonly RegisteredSigningKey[] | undefined,
): Promise<string | undefined> => {
  const parsed = signedAct().safeParse(entry.signed);
  if (!parsed.success) return 'the signature is not one this release writes';
  const { statement: text, proof } = parsed.data;
  const statement = parseStatement(text);
  if (statement === undefined) return 'the statement is not the canonical text of a statement';
  if (statement.record !== record) return `the statement was signed for another record (${statement.record})`;
  if (statement.principal !== entry.actor) return `the statement was signed as ${statement.principal}`;
  if (!sameJson(statement.by, entry.by)) return 'the statement names someone else than the entry';
  const recorded = Date.parse(String(entry.at));
  const signed = Date.parse(statement.at);
  if (!(recorded >= signed - STATEMENT_SKEW_MS && recorded <= signed + STATEMENT_LIFETIME_MS)) {
    return `the act was recorded at ${String(entry.at)}, outside its statement's five minutes from ${statement.at}`;
  }
  if (!(await verifyStatementJws(text, proof.jws, proof.key.jwk))) return 'the signature does not verify';
  if (registry === undefined) return undefined;
  // The key the act carries must be one the deployment registered for that API key, and in force at the act.
  const known = registry.find(
    (k) => k.id === proof.key.id && k.apiKeyId === proof.key.apiKeyId && k.jwk.x === proof.key.jwk.x,
  );
  if (known === undefined)
    return `signing key ${proof.key.id} is not registered for API key ${proof.key.apiKeyId}`;
  if (Date.parse(known.registeredAt) > signed) return `signing key ${known.id} was registered after the act`;
  if (known.revokedAt !== undefined && Date.parse(known.revokedAt) <= signed) {
    return `signing key ${known.id} was revoked at ${known.revokedAt}, before the act`;
  }
  return undefined;
};

/**
 * Every signed act of a record's lines, checked; `problem` is set on each that does not hold. With the
 * deployment's registry of signing keys, each act's key is checked against it too; without it, a signature only
 * shows that whoever held the key it carries signed (a key anyone could have made).
 */
export async function checkSignedActs(
  text: string,
  registry?: readonly RegisteredSigningKey[],
): Promise<SignedActCheck[]> {
  const lines = text.split('\n').filter((l) => l !== '');
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  // The record's own name: a case's id, or a finding's.
  const head = entries.find((e) => e.kind === 'CASE' || e.kind === 'FINDING');
  const record = head?.kind === 'CASE' ? head.caseId : head?.findingId;
  const checks: SignedActCheck[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'TIMELINE' || entry.signed === undefined) continue;
    const signed = entry.signed as { statement?: unknown; proof?: { key?: { id?: unknown } } };
    const statement = typeof signed.statement === 'string' ? parseStatement(signed.statement) : undefined;
    const by = entry.by as Parameters<typeof describeActedBy>[0] | undefined;
    checks.push({
      line: Number(entry.seq),
      message: statement?.message ?? String(entry.type),
      signer: by === undefined ? 'no one named' : describeActedBy(by),
      principal: String(entry.actor),
      keyId: String(signed.proof?.key?.id),
      at: String(entry.at),
      problem: await problemOf(entry, record, registry),
    });
  }
  return checks;
}
