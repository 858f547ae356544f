import type { SigningKeyRegistry } from '../api/admin';
import { describeActedBy } from '../domain/acted-by';
import { sameJson, signedAct, type Statement } from '../domain/signed-act';
import { verifyPasskeyProof, type PasskeyProof } from './passkey-proof';
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

const problemOf = async (
  entry: Record<string, unknown>,
  record: unknown,
  registry: SigningKeyRegistry | undefined,
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
  if (proof.kind === 'PASSKEY') return passkeyProblem(text, statement.by, signed, proof, registry);
  if (!(await verifyStatementJws(text, proof.jws, proof.key.jwk))) return 'the signature does not verify';
  if (registry === undefined) return undefined;
  // The key the act carries must be one the deployment registered for that API key, and in force at the act.
  const known = registry.items.find(
    (k) => k.id === proof.key.id && k.apiKeyId === proof.key.apiKeyId && k.jwk.x === proof.key.jwk.x,
  );
  if (known === undefined)
    return `signing key ${proof.key.id} is not registered for API key ${proof.key.apiKeyId}`;
  return inForce(`signing key ${known.id}`, known, signed);
};

/** Whether a registered key was in force at the moment an act was signed. */
const inForce = (
  what: string,
  known: { registeredAt: string; revokedAt?: string },
  signed: number,
): string | undefined => {
  if (Date.parse(known.registeredAt) > signed) return `${what} was registered after the act`;
  if (known.revokedAt !== undefined && Date.parse(known.revokedAt) <= signed) {
    return `${what} was revoked at ${known.revokedAt}, before the act`;
  }
  return undefined;
};

/**
 * A person's passkey act: the assertion verifies with the public key kept beside it, over this statement's
 * SHA-256, the passkey is the acting person's, and (with the registry) one the deployment registered to them,
 * in force at the act, for the deployment's relying party.
 */
async function passkeyProblem(
  text: string,
  by: Statement['by'],
  signed: number,
  proof: PasskeyProof,
  registry: SigningKeyRegistry | undefined,
): Promise<string | undefined> {
  const { credential } = proof;
  if (by.kind !== 'PERSON' || by.issuer !== credential.issuer || by.subject !== credential.subject) {
    return 'the passkey is not registered to the person the statement names';
  }
  const checked = await verifyPasskeyProof(text, proof);
  if (!checked.ok) return checked.problem;
  if (registry === undefined) return undefined;
  if (registry.relyingParty !== undefined && registry.relyingParty.id !== proof.rpId) {
    return `the passkey signed for ${proof.rpId}, not for this deployment (${registry.relyingParty.id})`;
  }
  const known = registry.passkeys?.find(
    (p) =>
      p.id === credential.id &&
      p.publicKey === credential.publicKey &&
      p.issuer === credential.issuer &&
      p.subject === credential.subject,
  );
  if (known === undefined) return `passkey ${credential.id} is not registered to ${by.name ?? by.subject}`;
  return inForce(`passkey ${known.id}`, known, signed);
}

/**
 * Every signed act of a record's lines, checked; `problem` is set on each that does not hold. With the
 * deployment's registry of signing keys, each act's key is checked against it too; without it, a signature only
 * shows that whoever held the key it carries signed (a key anyone could have made).
 */
export async function checkSignedActs(
  text: string,
  registry?: SigningKeyRegistry,
): Promise<SignedActCheck[]> {
  const lines = text.split('\n').filter((l) => l !== '');
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  // The record's own name: a case's id, or a finding's.
  const head = entries.find((e) => e.kind === 'CASE' || e.kind === 'FINDING');
  const record = head?.kind === 'CASE' ? head.caseId : head?.findingId;
  const checks: SignedActCheck[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'TIMELINE' || entry.signed === undefined) continue;
    const signed = entry.signed as {
      statement?: unknown;
      proof?: { key?: { id?: unknown }; credential?: { id?: unknown } };
    };
    const statement = typeof signed.statement === 'string' ? parseStatement(signed.statement) : undefined;
    const by = entry.by as Parameters<typeof describeActedBy>[0] | undefined;
    checks.push({
      line: Number(entry.seq),
      message: statement?.message ?? String(entry.type),
      signer: by === undefined ? 'no one named' : describeActedBy(by),
      principal: String(entry.actor),
      keyId: String(signed.proof?.key?.id ?? signed.proof?.credential?.id),
      at: String(entry.at),
      problem: await problemOf(entry, record, registry),
    });
  }
  return checks;
}
