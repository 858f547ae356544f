import path from 'node:path';
import { KeyRing, readKeyRingFile } from '../../shared/node/key-ring';
import { sealedDataConverter } from '../../shared/node/sealing';

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
