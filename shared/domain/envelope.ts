import { z } from 'zod';
import { actedBy, type ActedBy } from './acted-by';
import { Principal } from './principal';
import { signedAct, type SignedAct } from './signed-act';

/**
 * The request digest the gateway adds to a message, returned in its receipt: keyed with a key the gateway
 * alone holds, and naming it (`hmac:<key id>:<hex>`, shared/node/digest.ts). Releases 1 to 6 sent an unkeyed
 * one (32 hex digits) that let whoever decoded it test guesses of the sealed fields: this release's validators
 * refuse it (the handlers, which replay what was recorded, never read this schema).
 */
export const Digest = z.string().regex(/^hmac:[A-Za-z0-9_-]{1,64}:[0-9a-f]{64}$/);

/**
 * What every message to a workflow carries around its fields, set by the gateway from the caller's credential:
 * the principal it acts as, who acted (issue 36; absent from messages recorded before it), the digest of the
 * request and, for an act its sender signed, the signed statement with its proof (./signed-act.ts). One
 * envelope for the review's messages and those of findings, commitments, grants and labs.
 */
export const envelope = <S extends z.ZodRawShape>(body: S, opts: { signable?: boolean } = {}) =>
  z.strictObject({
    actor: Principal,
    by: actedBy().optional(),
    digest: Digest.optional(),
    // Only an act that is signed may carry a signature: elsewhere it is a field the message does not have.
    ...(opts.signable === true ? { signed: signedAct().optional() } : {}),
    ...body,
  });

/** The envelope's own fields, which are not the message's: what a signed statement's fields leave out. */
export const ENVELOPE_FIELDS = ['actor', 'by', 'digest', 'signed'] as const;

/** An entry of a record's history that a message can make: the principal, who acted for it, and its signature. */
export interface ActEntry {
  actor: string;
  by?: ActedBy;
  signed?: SignedAct;
}

/**
 * Names who acted on the entries a message made (those after `from`, made as its principal), with the signed
 * statement where the act was signed; what the workflow recorded on its own in the same step (`system`) names
 * no one.
 */
export function stampActs(
  entries: ActEntry[],
  from: number,
  msg: { actor: string; by?: ActedBy; signed?: SignedAct },
): void {
  if (msg.by === undefined) return;
  for (const e of entries.slice(from)) {
    if (e.actor !== msg.actor) continue;
    e.by = msg.by;
    if (msg.signed !== undefined) e.signed = msg.signed;
  }
}
