import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isSealedNote } from '../domain/sealed';
import type { KeyRing } from './key-ring';

/**
 * Restricted notes are sealed twice: by the gateway with the notes key ring, then with every other payload
 * by the payload codec. The workflow, its history, its queries and anyone who can decode them (operations
 * staff through the codec server, a namespace administrator, a worker host) hold only
 * `sealed:v2:<key id>:<data>`; the gateway opens it for the callers domain.md section 2 entitles, and nobody
 * else ever holds the notes key.
 *
 * A v2 seal is bound to its place (issue 34): the record it was made for (its workflow id) and the field, both
 * authenticated with the key id. The gateway opens a seal only at the place it reads it from, so a seal copied
 * into another case, or into another field (NSA's restricted note into a TLP:CLEAR finding's title), does not
 * open for anyone: it shows as withheld.
 *
 * Releases 1 to 6 sealed v1, bound to nothing: such a seal opens only when the caller says the record may hold
 * one (gateway/note-places.ts: a record the Temporal server started before this release was deployed).
 */
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a note belongs: the record's workflow id and the field, e.g. `decision.restrictedNote:NSA`. */
export interface NotePlace {
  record: string;
  field: string;
}

const aadV2 = (keyId: string, place: NotePlace): Buffer =>
  Buffer.from(JSON.stringify(['note', 'v2', keyId, place.record, place.field]), 'utf8');
const aadV1 = (keyId: string): Buffer => Buffer.from(`note:${keyId}`, 'utf8');

export function sealNote(ring: KeyRing, note: string, place: NotePlace): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.currentKey, iv);
  cipher.setAAD(aadV2(ring.current, place));
  const sealed = Buffer.concat([iv, cipher.update(note, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `sealed:v2:${ring.current}:${sealed.toString('base64url')}`;
}

/**
 * A message body with each text field sealed for `place` (one field for all): every text a message to a
 * finding carries is a note or a reason (shared/api/findings.ts), which reaches Temporal sealed.
 */
export function sealedTexts(
  ring: KeyRing,
  body: Record<string, unknown>,
  place: NotePlace,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? sealNote(ring, v, place) : v]),
  );
}

/** The seal's version, or undefined when it is no sealed note. */
export const noteVersion = (sealed: string): 'v1' | 'v2' | undefined =>
  isSealedNote(sealed) ? (sealed.slice(7, 9) as 'v1' | 'v2') : undefined;

/**
 * The note's text, opened at the place it was read from; undefined when it does not open there: sealed for
 * another record or field, a v1 seal where `v1` does not allow one, a key the ring no longer holds, altered.
 * Never a wrong text.
 */
export function openNote(
  ring: KeyRing,
  sealed: string,
  place: NotePlace,
  opts: { v1?: boolean } = {},
): string | undefined {
  const version = noteVersion(sealed);
  if (version === undefined || (version === 'v1' && opts.v1 !== true)) return undefined;
  const [, , keyId, data] = sealed.split(':');
  const key = ring.key(keyId);
  if (key === undefined) return undefined;
  const bytes = Buffer.from(data, 'base64url');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(version === 'v2' ? aadV2(keyId, place) : aadV1(keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Opens the notes of one record for one reader's view: each at the field it is read from, v1 seals only where
 * the record may hold them. The fields the product seals:
 *
 *   a case      designation.benchmarkScore, decision.restrictedNote:<agency>
 *   a finding   finding.title, finding.description, finding.timeline (its messages' notes and reasons),
 *               finding.filedBy, finding.cvssVector, finding.cvssVersion
 */
export class NoteOpener {
  constructor(
    private readonly ring: KeyRing,
    readonly record: string,
    private readonly v1: boolean,
  ) {}

  /** The text, or undefined when the seal does not open at this field of this record. */
  open(sealed: string, field: string): string | undefined {
    return openNote(this.ring, sealed, { record: this.record, field }, { v1: this.v1 });
  }
}
