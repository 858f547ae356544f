import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { KeyRing, type KeyRingFile } from '../../../shared/node/key-ring';
import { KeyedDigests, legacyFingerprint, legacyRequestDigest } from '../../../shared/node/digest';

const request = { covered: true, reason: 'above the bar', benchmarkScore: 0.8317, actor: 'agency:NSA' };
const legacy = { legacy: legacyRequestDigest };
/** A fixed AES-256 key for an id and a seed: the same on every run. */
const keyOf = (id: string, seed = 'one'): string =>
  createHash('sha256').update(`${seed}:${id}`).digest('base64');
const ringFile = (current: string, ...ids: string[]): KeyRingFile => ({
  current,
  keys: Object.fromEntries([current, ...ids].map((id) => [id, keyOf(id)])),
});

describe('keyed digests (issue 34)', () => {
  // A rotation adds a new current key and keeps the old one.
  const after = ringFile('k-after', 'k-before');
  const ring = KeyRing.of('note', ringFile('k-before'));
  const rotatedRing = KeyRing.of('note', after);

  it('names the notes key it was made with and is HMAC-SHA-256, not a hash anyone can recompute', () => {
    const digest = new KeyedDigests(ring).of(request);
    assert.match(digest, /^hmac:k-before:[0-9a-f]{64}$/);
    assert.notEqual(digest.slice(-64), legacyRequestDigest(request));
    assert.ok(!digest.includes(legacyRequestDigest(request)));
    // Another ring's key gives another digest of the same request.
    const other = KeyRing.of('note', { current: 'k-before', keys: { 'k-before': keyOf('k-before', 'two') } });
    assert.notEqual(new KeyedDigests(other).of(request), digest);
  });

  it('is the same for the same request whatever the order of its fields, and differs for another', () => {
    const d = new KeyedDigests(ring);
    const reordered = { actor: 'agency:NSA', benchmarkScore: 0.8317, reason: 'above the bar', covered: true };
    assert.equal(d.of(reordered), d.of(request));
    assert.notEqual(d.of({ ...request, benchmarkScore: 0.8316 }), d.of(request));
  });

  it('keys fingerprints apart from request digests', () => {
    const d = new KeyedDigests(ring);
    assert.notEqual(d.of(request, 'fingerprint'), d.of(request, 'request'));
    assert.equal(d.matches(d.of(request, 'fingerprint'), request, legacy), false);
    assert.equal(
      d.matches(d.of(request, 'fingerprint'), request, { purpose: 'fingerprint', ...legacy }),
      true,
    );
  });

  it('compares a digest recorded before a rotation under the key it names', () => {
    const recorded = new KeyedDigests(ring).of(request);
    const d = new KeyedDigests(rotatedRing);
    assert.match(d.of(request), new RegExp(`^hmac:${after.current}:`));
    assert.notEqual(d.of(request), recorded);
    assert.equal(d.matches(recorded, request, legacy), true);
    assert.equal(d.matches(recorded, { ...request, benchmarkScore: 0.5 }, legacy), false);
  });

  it('compares an unkeyed digest of releases 1 to 6 as they computed it', () => {
    const d = new KeyedDigests(ring);
    assert.equal(d.matches(legacyRequestDigest(request), request, legacy), true);
    assert.equal(d.matches(legacyRequestDigest(request), { ...request, reason: 'x' }, legacy), false);
    const filed = { filer: 'agency:DOE', body: { title: 't' } };
    const fp = { purpose: 'fingerprint' as const, legacy: legacyFingerprint };
    assert.equal(d.matches(legacyFingerprint(filed), filed, fp), true);
    assert.equal(d.matches(legacyFingerprint(filed), { ...filed, filer: 'agency:NSA' }, fp), false);
  });

  it('cannot tell a digest whose key left the ring, nor one it does not know', () => {
    const recorded = new KeyedDigests(rotatedRing).of(request);
    assert.equal(new KeyedDigests(ring).matches(recorded, request, legacy), undefined);
    assert.equal(new KeyedDigests(ring).matches('md5:abc', request, legacy), undefined);
  });
});
