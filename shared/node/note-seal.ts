import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isSealedNote } from '../domain/sealed';
import type { KeyRing } from './key-ring';

/**
 * Restricted notes are sealed twice: by the gateway with the notes key ring, then with every other payload
 * by the payload codec. The workflow, its history, its queries and anyone who can decode them (operations
 * staff through the codec server, a namespace administrator) hold only `sealed:v1:<key id>:<data>`; the
 * gateway opens it for the callers domain.md section 2 entitles, and nobody else ever holds the notes key.
 */
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealNote(ring: KeyRing, note: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.currentKey, iv);
  cipher.setAAD(Buffer.from(`note:${ring.current}`, 'utf8'));
  const sealed = Buffer.concat([iv, cipher.update(note, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `sealed:v1:${ring.current}:${sealed.toString('base64url')}`;
}

/**
 * A message body with each text field sealed: every text a message to a finding carries is a note or a reason
 * (shared/api/findings.ts), which reaches Temporal sealed.
 */
export function sealedTexts(ring: KeyRing, body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? sealNote(ring, v) : v]),
  );
}

/** The note's text; throws when it is not a note this ring sealed (never silently a wrong text). */
export function openNote(ring: KeyRing, sealed: string): string {
  if (!isSealedNote(sealed)) throw new Error('not a sealed note');
  const [, , keyId, data] = sealed.split(':');
  const key = ring.key(keyId);
  if (key === undefined) throw new Error(`the notes key ${keyId} is not in the ring`);
  const bytes = Buffer.from(data, 'base64url');
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`note:${keyId}`, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}
