import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sha256 } from './digest';

/**
 * The permanent record's format: JSON Lines of canonical JSON (RFC 8785, through `canonicalize`), each line
 * carrying its position (`seq`, from 1) and the SHA-256 of the line before it (`prev`; the first line's is 64
 * zeros), the last one an END line that counts them; then one SIGNATURE line, outside the chain: Ed25519 over the
 * last line's hash, with the id of the key that signed. Anyone with the verifying key can check a record offline.
 */

export const RECORD_FORMAT = 1;
const GENESIS = '0'.repeat(64);

export type RecordEntry = { kind: string } & Record<string, unknown>;

export { sha256 };

const canonical = (value: unknown): string => {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('a record entry must be JSON');
  return text;
};

/** A verifying key's id: the first 16 hex digits of the SHA-256 of its DER (SubjectPublicKeyInfo) encoding. */
export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

/** The record's text: the entries chained, an END line, and the signature. Deterministic for the same input. */
export function writeRecord(
  entries: readonly RecordEntry[],
  signingKey: KeyObject,
  publicKey: KeyObject,
): string {
  const lines: string[] = [];
  let prev = GENESIS;
  for (const entry of [...entries, { kind: 'END', format: RECORD_FORMAT, lines: entries.length + 1 }]) {
    const line = canonical({ ...entry, seq: lines.length + 1, prev });
    lines.push(line);
    prev = sha256(line);
  }
  const signature = sign(null, Buffer.from(prev, 'hex'), signingKey).toString('base64');
  // `lines` repeats the END line's count outside the chain, so a removed END line is named as such.
  const keyId = keyIdOf(publicKey);
  lines.push(
    canonical({ kind: 'SIGNATURE', alg: 'Ed25519', keyId, lines: lines.length, lastHash: prev, signature }),
  );
  return `${lines.join('\n')}\n`;
}

export type Tampering = 'ALTERED' | 'REMOVED' | 'OUT_OF_ORDER' | 'SIGNATURE_INVALID' | 'NOT_A_RECORD';

export type Verification =
  | { ok: true; lines: number; lastHash: string; keyId: string }
  | { ok: false; problem: Tampering; line: number; message: string };

const failed = (problem: Tampering, line: number, message: string): Verification => ({
  ok: false,
  problem,
  line,
  message,
});

/**
 * Recomputes the chain and checks the signature. Names the first line that was altered, removed or reordered:
 * a line whose bytes changed breaks the link out of it (the next line's `prev`, or for the last line the
 * signed hash), so the first broken outgoing link names it; a line removed or moved shows as a position that
 * holds another `seq`, found before any link is checked.
 */
export function verifyRecord(text: string, publicKey: KeyObject): Verification {
  const raw = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  if (raw.length < 2 || raw[0] === '')
    return failed('NOT_A_RECORD', 1, 'not a permanent record: too few lines');
  const signatureLine = raw[raw.length - 1];
  const lines = raw.slice(0, -1);
  const seqs: number[] = [];
  let last: Record<string, unknown> | undefined;
  for (const [i, line] of lines.entries()) {
    const at = i + 1;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return failed('ALTERED', at, `line ${at} was altered: it is not JSON`);
    }
    if (typeof entry !== 'object' || entry === null || canonicalize(entry) !== line) {
      return failed('ALTERED', at, `line ${at} was altered: it is not canonical JSON`);
    }
    const seq = entry.seq;
    if (typeof seq !== 'number') return failed('ALTERED', at, `line ${at} was altered: it has no position`);
    seqs.push(seq);
    last = entry;
  }
  const chainsFrom = (i: number): boolean =>
    (JSON.parse(lines[i]) as { prev?: unknown }).prev === (i === 0 ? GENESIS : sha256(lines[i - 1]));
  for (const [i, seq] of seqs.entries()) {
    const at = i + 1;
    if (seq === at) continue;
    // Right after its predecessor in the chain, so its own position was edited.
    if (chainsFrom(i)) return failed('ALTERED', at, `line ${at} was altered: its position reads ${seq}`);
    const removed = seq > at && !seqs.slice(i + 1).includes(at);
    return removed
      ? failed('REMOVED', at, `line ${at} was removed (line ${at} of the file is the record's line ${seq})`)
      : failed('OUT_OF_ORDER', at, `line ${at} is out of order (it holds the record's line ${seq})`);
  }
  let sig: { kind?: unknown; lines?: unknown; lastHash?: unknown; signature?: unknown; keyId?: unknown };
  try {
    sig = JSON.parse(signatureLine) as typeof sig;
  } catch {
    return failed('SIGNATURE_INVALID', raw.length, `line ${raw.length} (the signature) is not JSON`);
  }
  if (sig.kind !== 'SIGNATURE' || typeof sig.signature !== 'string') {
    return failed('SIGNATURE_INVALID', raw.length, `line ${raw.length} is not the record's signature`);
  }
  if (typeof sig.lines === 'number' && sig.lines > lines.length) {
    const at = lines.length + 1;
    return failed('REMOVED', at, `line ${at} was removed: the record ends before its END line`);
  }
  // The link out of line i is the next line's `prev`, and out of the last line the signed hash. An edited line
  // breaks the link out of it; an edited `prev` breaks the link into it as well, so when two links in a row
  // are broken the line between them is the one edited.
  const linkOut = (i: number): boolean =>
    i + 1 < lines.length
      ? (JSON.parse(lines[i + 1]) as { prev?: unknown }).prev === sha256(lines[i])
      : sig.lastHash === sha256(lines[i]);
  if ((JSON.parse(lines[0]) as { prev?: unknown }).prev !== GENESIS) {
    return failed('ALTERED', 1, 'line 1 was altered: it does not start the chain');
  }
  for (let i = 0; i < lines.length; i++) {
    if (linkOut(i)) continue;
    const at = i + 1 < lines.length && !linkOut(i + 1) ? i + 2 : i + 1;
    return failed('ALTERED', at, `line ${at} was altered: the chain breaks at it`);
  }
  const lastHash = sha256(lines[lines.length - 1]);
  if (last?.kind !== 'END' || last.lines !== lines.length) {
    return failed('NOT_A_RECORD', lines.length, `line ${lines.length} is not the END line of a record`);
  }
  if (!verify(null, Buffer.from(lastHash, 'hex'), publicKey, Buffer.from(sig.signature, 'base64'))) {
    return failed('SIGNATURE_INVALID', raw.length, 'the signature does not verify with this key');
  }
  return { ok: true, lines: lines.length, lastHash, keyId: String(sig.keyId) };
}

/** The entries of a record that verified (without seq and prev). */
export function entriesOf(text: string): RecordEntry[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RecordEntry)
    .filter((e) => e.kind !== 'END' && e.kind !== 'SIGNATURE')
    .map(({ seq: _seq, prev: _prev, ...entry }) => entry as RecordEntry);
}
