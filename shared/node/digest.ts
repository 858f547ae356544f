import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { KeyRing } from './key-ring';

/** SHA-256 of a text, in hex: ids derived from a client's key, a record's chain. Never over a secret. */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The request digest releases 1 to 6 recorded: SHA-256 of the canonical request, unkeyed, so whoever decoded
 * it could test guesses of what the request sealed (issue 34). Still computed, at the gateway only, to compare
 * a retry with a message recorded before this release; never sent again.
 */
export const legacyRequestDigest = (value: unknown): string => sha256(canonicalize(value) ?? '').slice(0, 32);

/** The fingerprint releases 1 to 6 kept in a case's or a finding's memo: SHA-256 of its JSON, unkeyed. */
export const legacyFingerprint = (value: unknown): string => sha256(JSON.stringify(value));

/** A keyed digest as it travels: `hmac:<notes key id>:<HMAC-SHA-256 in hex>`. */
const KEYED = /^hmac:([A-Za-z0-9_-]{1,64}):([0-9a-f]{64})$/;

/**
 * What a digest is for: each purpose has a key of its own, so one cannot stand in for the other. `commitment`:
 * a restricted field's commitment in a signed statement (shared/domain/signed-act.ts), over the statement's
 * nonce, the field's place and its value, so the key and the nonce together are its salt.
 */
export type DigestPurpose = 'request' | 'fingerprint' | 'commitment';

/**
 * Digests and fingerprints keyed with a key only the gateway holds (issue 34): HMAC-SHA-256 over the value's
 * canonical JSON (RFC 8785), with a key derived (HKDF-SHA-256) from a key of the notes key ring, which the
 * gateway alone holds. Whoever reads them (operations staff through the codec server, a namespace
 * administrator, a worker host) cannot test a guess of what they cover. Each names the notes key it was made
 * with, so rotating the notes ring rotates them too, and a digest recorded before a rotation is checked under
 * its own key for as long as the ring keeps that key.
 */
export class KeyedDigests {
  private readonly derived = new Map<string, Buffer>();

  constructor(private readonly notes: KeyRing) {}

  private keyOf(keyId: string, purpose: DigestPurpose): Buffer | undefined {
    const cached = this.derived.get(`${purpose}:${keyId}`);
    if (cached !== undefined) return cached;
    const root = this.notes.key(keyId);
    if (root === undefined) return undefined;
    const key = Buffer.from(
      hkdfSync('sha256', root, Buffer.alloc(0), `frontier-review ${purpose} digest`, 32),
    );
    this.derived.set(`${purpose}:${keyId}`, key);
    return key;
  }

  private under(keyId: string, value: unknown, purpose: DigestPurpose): string | undefined {
    const key = this.keyOf(keyId, purpose);
    if (key === undefined) return undefined;
    const mac = createHmac('sha256', key)
      .update(canonicalize(value) ?? '', 'utf8')
      .digest('hex');
    return `hmac:${keyId}:${mac}`;
  }

  /** The value's digest under the current notes key. */
  of(value: unknown, purpose: DigestPurpose = 'request'): string {
    return this.under(this.notes.current, value, purpose)!;
  }

  /**
   * Whether `recorded` is the digest of `value`: under the notes key it names, or, for one recorded before
   * this release (no key id), as that release computed it (`legacy`). Undefined when it cannot be told: the
   * key it names has left the ring, or it is no digest this gateway knows.
   */
  matches(
    recorded: string,
    value: unknown,
    opts: { purpose?: DigestPurpose; legacy: (value: unknown) => string },
  ): boolean | undefined {
    const keyed = KEYED.exec(recorded);
    const expected =
      keyed === null
        ? /^[0-9a-f]{32}$|^[0-9a-f]{64}$/.test(recorded)
          ? opts.legacy(value)
          : undefined
        : this.under(keyed[1], value, opts.purpose ?? 'request');
    if (expected === undefined) return undefined;
    const a = Buffer.from(recorded, 'utf8');
    const b = Buffer.from(expected, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
