import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** SHA-256 of a text, in hex: fingerprints of filings, idempotency ids, a record's chain. */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The digest of a request, over its canonical JSON (RFC 8785), so the same request always has the same digest
 * whatever the order of its fields: an Idempotency-Key retried with a different request is told apart from a
 * plain retry.
 */
export const requestDigest = (value: unknown): string => sha256(canonicalize(value) ?? '').slice(0, 32);
