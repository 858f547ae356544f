import { legacyRequestDigest, type KeyedDigests } from '../shared/node/digest';
import { ApiError } from './problem';

/**
 * A message sent with an Idempotency-Key carries the keyed digest of the request as sent (`digest`,
 * shared/node/digest.ts); Temporal answers a retry of the same update id with the first one's receipt, which
 * carries the first request's digest. This refuses the answer when the first request was another one.
 *
 * The recorded digest is checked under the notes key it names, so a retry after the notes ring was rotated
 * still compares right. One recorded before this release (unkeyed, no key id) is compared as that release
 * computed it: the retry of a request made before the upgrade is still a retry. One whose key has left the
 * ring cannot be checked, and is refused as reused: the caller retries with a new key rather than being told
 * that a request it cannot know was its own applied.
 */
export function refuseReusedKey(opts: {
  digests: KeyedDigests;
  /** The digest the first request's receipt carries, if any (release 1 recorded none). */
  recorded: string | undefined;
  /** This request's digest, as sent. */
  sent: string;
  /** This request, as the digest covers it. */
  asSent: unknown;
  name: string;
  idempotencyKey: string | undefined;
}): void {
  const { recorded } = opts;
  if (recorded === undefined || recorded === opts.sent) return;
  const same = opts.digests.matches(recorded, opts.asSent, { legacy: legacyRequestDigest });
  if (same === true) return;
  throw new ApiError(
    'IDEMPOTENCY_KEY_REUSED',
    same === false
      ? `Idempotency-Key ${opts.idempotencyKey} already applied a different ${opts.name}`
      : `Idempotency-Key ${opts.idempotencyKey} already applied a ${opts.name} that can no longer be compared ` +
          '(its digest names a notes key the ring no longer holds); send it with a new key',
  );
}
