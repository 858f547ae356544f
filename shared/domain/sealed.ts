/**
 * What the workflow sees of a payload that was not sealed with a key of this deployment (shared/node/
 * payload-codec.ts): a marker instead of the value. The codec never throws for such a payload, since a throw
 * would fail the workflow task and wedge the case; the marker lets the workflow refuse the message instead.
 *
 * Release 1 sealed nothing, so its histories replay as markers that carry the value as recorded: code that
 * replays them reads it with `asRecorded`. Live messages that arrive unsealed are refused, always.
 */
export const UNSEALED = '__frontierReviewUnsealed';

/**
 * Why a payload did not open: not sealed, sealed with a key the ring does not hold, altered, or sealed for
 * another place (`MISBOUND`: another namespace, workflow or activity; its value is withheld).
 */
export type UnsealedReason = 'PLAINTEXT' | 'UNKNOWN_KEY' | 'TAMPERED' | 'MISBOUND';

export interface Unsealed {
  [UNSEALED]: { reason: UnsealedReason; original?: unknown };
}

export const isUnsealed = (x: unknown): x is Unsealed =>
  typeof x === 'object' && x !== null && Object.prototype.hasOwnProperty.call(x, UNSEALED);

/** A value as recorded: a plaintext payload of release 1 is its original value. */
export const asRecorded = <T>(x: T | Unsealed): T => (isUnsealed(x) ? (x[UNSEALED].original as T) : x);

/** Whether a value is the marker of a payload sealed for another place (shared/node/payload-codec.ts). */
export const isMisbound = (x: unknown): x is Unsealed => isUnsealed(x) && x[UNSEALED].reason === 'MISBOUND';

/**
 * A restricted note as the workflow keeps it: sealed a second time by the gateway with the notes key ring, so
 * that whoever can decode a case's payloads (operations staff, a namespace administrator) still cannot read it.
 * `sealed:v2:<key id>:<base64url of iv, ciphertext and tag>`: at least 12 + 1 + 16 bytes, 39 characters. A v2
 * seal is bound to the record and the field it was made for (shared/node/note-seal.ts); releases 1 to 6 sealed
 * v1, bound to nothing.
 */
export const SEALED_NOTE = /^sealed:v[12]:[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{39,}$/;
export const isSealedNote = (note: string): boolean => SEALED_NOTE.test(note);
