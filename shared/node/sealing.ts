import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { loadKeyRing, type KeyRing } from './key-ring';
import { createPayloadCodec } from './payload-codec';
import { PROJECT_ROOT } from './tools';

type SealingConfig = Pick<
  Config,
  'DATA_DIR' | 'PAYLOAD_KEYS' | 'PAYLOAD_KEYS_FILE' | 'NOTE_KEYS' | 'NOTE_KEYS_FILE'
>;

const fileOf = (config: SealingConfig, name: 'payload' | 'note'): string => {
  const configured = name === 'payload' ? config.PAYLOAD_KEYS_FILE : config.NOTE_KEYS_FILE;
  return path.resolve(PROJECT_ROOT, configured ?? path.join(config.DATA_DIR, 'keys', `${name}-keys.json`));
};

/** The payload key ring: every process that talks to Temporal holds it. */
export function payloadKeyRing(config: SealingConfig, createIfMissing: boolean) {
  return loadKeyRing({
    name: 'payload',
    file: fileOf(config, 'payload'),
    fromEnv: config.PAYLOAD_KEYS,
    createIfMissing,
  });
}

/** The notes key ring: the gateway alone holds it. */
export function noteKeyRing(config: SealingConfig, createIfMissing: boolean) {
  return loadKeyRing({
    name: 'note',
    file: fileOf(config, 'note'),
    fromEnv: config.NOTE_KEYS,
    createIfMissing,
  });
}

/** The data converter every client and worker of the product uses: the payload codec with this ring. */
export const sealedDataConverter = (ring: KeyRing): DataConverter => ({
  payloadCodecs: [createPayloadCodec(ring)],
});
