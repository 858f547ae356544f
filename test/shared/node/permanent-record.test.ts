import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  entriesOf,
  verifyRecord,
  writeRecord,
  type RecordEntry,
} from '../../../shared/node/permanent-record';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const entries: RecordEntry[] = Array.from({ length: 8 }, (_, i) => ({
  kind: 'TIMELINE',
  at: `2026-12-01T0${i}:00:00.000Z`,
  summary: `entry ${i + 1}, é ✓`,
  nested: { z: 1, a: [i, 'x'] },
}));
const record = writeRecord(entries, privateKey, publicKey);
const lines = record.trimEnd().split('\n');
const join = (ls: string[]) => `${ls.join('\n')}\n`;

describe('the permanent record: canonical JSON lines, a SHA-256 chain and an Ed25519 signature', () => {
  it('verifies as written, and gives its entries back in order', () => {
    const v = verifyRecord(record, publicKey);
    assert.equal(v.ok, true, JSON.stringify(v));
    // 8 entries, the END line, then the signature.
    assert.equal(lines.length, 10);
    assert.deepEqual(entriesOf(record), entries);
    // Canonical JSON: keys sorted, no spaces.
    assert.ok(
      lines[0].startsWith('{"at":"2026-12-01T00:00:00.000Z","kind":"TIMELINE","nested":{"a":[0,"x"],"z":1}'),
    );
  });

  it('writes the same bytes for the same entries (a retried archive finds what it wrote)', () => {
    assert.equal(writeRecord(entries, privateKey, publicKey), record);
  });

  it('names the line where one byte was edited, for every line of the chain', () => {
    for (let n = 1; n <= 9; n++) {
      const edited = [...lines];
      // One letter of the line's content changed to the next: still JSON, still canonical.
      edited[n - 1] = edited[n - 1].replace(
        /"kind":"([A-Z])/,
        (_, c: string) => `"kind":"${String.fromCharCode(c.charCodeAt(0) + 1)}`,
      );
      assert.notEqual(edited[n - 1], lines[n - 1]);
      const v = verifyRecord(join(edited), publicKey);
      assert.deepEqual([v.ok, !v.ok && v.problem, !v.ok && v.line], [false, 'ALTERED', n], JSON.stringify(v));
    }
  });

  it('names an edited byte that breaks the JSON, or the position, or the link to the line before', () => {
    const broken = [...lines];
    broken[3] = broken[3].replace('{', '[');
    assert.deepEqual(pick(verifyRecord(join(broken), publicKey)), ['ALTERED', 4]);
    const moved = [...lines];
    moved[5] = moved[5].replace('"seq":6', '"seq":7');
    assert.deepEqual(pick(verifyRecord(join(moved), publicKey)), ['ALTERED', 6]);
    const relinked = [...lines];
    relinked[2] = relinked[2].replace(
      /"prev":"([0-9a-f])/,
      (_, d: string) => `"prev":"${d === '0' ? '1' : '0'}`,
    );
    assert.deepEqual(pick(verifyRecord(join(relinked), publicKey)), ['ALTERED', 3]);
  });

  it('names the line that was deleted, the first or a middle one or the END line', () => {
    for (const n of [1, 5, 9]) {
      const removed = lines.filter((_, i) => i !== n - 1);
      assert.deepEqual(pick(verifyRecord(join(removed), publicKey)), ['REMOVED', n], `line ${n}`);
    }
  });

  it('names the first of two lines that were swapped', () => {
    for (const n of [1, 4, 8]) {
      const swapped = [...lines];
      [swapped[n - 1], swapped[n]] = [swapped[n], swapped[n - 1]];
      assert.deepEqual(
        pick(verifyRecord(join(swapped), publicKey)),
        ['OUT_OF_ORDER', n],
        `lines ${n}, ${n + 1}`,
      );
    }
  });

  it('refuses a signature by another key, and a signature line that was edited', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    assert.deepEqual(pick(verifyRecord(record, other)), ['SIGNATURE_INVALID', 10]);
    const forged = [...lines];
    forged[9] = forged[9].replace(
      /"signature":"(.)/,
      (_, c: string) => `"signature":"${c === 'A' ? 'B' : 'A'}`,
    );
    assert.deepEqual(pick(verifyRecord(join(forged), publicKey)), ['SIGNATURE_INVALID', 10]);
  });

  it('refuses what is not a record', () => {
    assert.deepEqual(pick(verifyRecord('', publicKey)), ['NOT_A_RECORD', 1]);
    assert.deepEqual(pick(verifyRecord('{"kind":"END"}\n', publicKey)), ['NOT_A_RECORD', 1]);
  });
});

function pick(v: ReturnType<typeof verifyRecord>): [string, number] | 'ok' {
  return v.ok ? 'ok' : [v.problem, v.line];
}
