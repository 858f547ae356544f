import { createCipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { KeyRing, readKeyRingFile } from '../../shared/node/key-ring';
import { replayDataConverter, sealedDataConverter } from '../../shared/node/sealing';

/** The suite's key rings: test-only, committed, protecting nothing (test/fixtures/keys/README.md). */
const KEYS = path.resolve(__dirname, '..', 'fixtures', 'keys');
export const TEST_PAYLOAD_RING = KeyRing.of(
  'payload',
  readKeyRingFile(path.join(KEYS, 'TEST-ONLY-payload-keys.json')),
);
export const TEST_NOTE_RING = KeyRing.of(
  'note',
  readKeyRingFile(path.join(KEYS, 'TEST-ONLY-note-keys.json')),
);
export const testDataConverter = sealedDataConverter(TEST_PAYLOAD_RING);
/** For replaying recorded histories: opens each payload under the binding it was recorded with. */
export const testReplayDataConverter = replayDataConverter(TEST_PAYLOAD_RING);

/** A restricted note sealed as releases 1 to 6 sealed it (v1: AES-256-GCM, additional data `note:<key id>`). */
export function sealNoteV1(ring: KeyRing, note: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.currentKey, iv);
  cipher.setAAD(Buffer.from(`note:${ring.current}`, 'utf8'));
  const sealed = Buffer.concat([iv, cipher.update(note, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `sealed:v1:${ring.current}:${sealed.toString('base64url')}`;
}
