import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The digest of a request, over its canonical JSON (RFC 8785), so the same request always has the same digest
 * whatever the order of its fields: an Idempotency-Key retried with a different request is told apart from a
 * plain retry.
 */
export const requestDigest = (value: unknown): string =>
  createHash('sha256')
    .update(canonicalize(value) ?? '', 'utf8')
    .digest('hex')
    .slice(0, 32);
