import path from 'node:path';
import type { ClientInterceptors, WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config';
import { loadKeyRing, type KeyRing } from './key-ring';
import { productClientInterceptors } from './message-binding';
import { createPayloadCodec } from './payload-codec';
import { PROJECT_ROOT } from './tools';

type SealingConfig = Pick<
  Config,
  'DATA_DIR' | 'PAYLOAD_KEYS' | 'PAYLOAD_KEYS_FILE' | 'NOTE_KEYS' | 'NOTE_KEYS_FILE'
>;

/** When this release was deployed (NOTE_SEALS_V1_BEFORE): v1 notes open only in records started before it. */
export const notesV1Before = (config: Pick<Config, 'NOTE_SEALS_V1_BEFORE'>): Date | undefined =>
  config.NOTE_SEALS_V1_BEFORE === undefined ? undefined : new Date(config.NOTE_SEALS_V1_BEFORE);

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

/**
 * The data converter every client and worker of the product uses: the payload codec with this ring, each
 * payload bound to the workflow (or activity) it belongs to.
 */
export const sealedDataConverter = (ring: KeyRing): DataConverter => ({
  payloadCodecs: [createPayloadCodec(ring)],
});

/**
 * What every Temporal client of the product is made with (`new Client({ connection, namespace,
 * ...sealedClientOptions(ring) })`): the sealed data converter, and the interceptor that binds each update and
 * signal to its workflow and message (./message-binding.ts). A worker takes the interceptors as its
 * `interceptors.client`, for the client its activities use.
 */
export const sealedClientOptions = (
  ring: KeyRing,
): {
  dataConverter: DataConverter;
  interceptors: ClientInterceptors & { workflow: WorkflowClientInterceptor[] };
} => ({
  dataConverter: sealedDataConverter(ring),
  interceptors: productClientInterceptors(),
});

/**
 * The data converter for replaying recorded histories offline (tests, drills): it opens each payload under the
 * binding it was recorded with, since the SDK's replayer runs a history in its own namespace and under the
 * workflow id it is given. Never for a worker or client of a deployment: it checks no binding.
 */
export const replayDataConverter = (ring: KeyRing): DataConverter => ({
  payloadCodecs: [createPayloadCodec(ring, { trustRecordedBinding: true })],
});
