import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { UNSEALED, type UnsealedReason } from '../domain/sealed';
import type { KeyRing } from './key-ring';

/**
 * Seals every payload the product puts into Temporal with AES-256-GCM: workflow and update inputs and
 * results, query results, activity inputs and results, memo, failure details. The sealed payload carries
 * the key id in its metadata and the whole original payload (metadata and data) inside, so nothing of it is
 * readable without the ring, and nothing of it can be changed or forged without failing authentication.
 *
 * Decoding fails closed without wedging a case: a payload that is not sealed, or sealed with a key the ring
 * no longer holds, or altered, decodes into a marker (shared/domain/sealed.ts) that validators refuse. A
 * throw here would fail the workflow task and retry it forever.
 */
export const SEALED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const text = new TextDecoder();
const encodingOf = (p: Payload): string | undefined => {
  const e = p.metadata?.[METADATA_ENCODING_KEY];
  return e === undefined || e === null ? undefined : text.decode(e);
};

/** The marker a payload that cannot be opened becomes, as JSON the default converter reads. */
function marker(reason: UnsealedReason, original?: Payload): Payload {
  let value: unknown;
  if (original !== undefined && encodingOf(original) === 'json/plain' && original.data) {
    try {
      value = JSON.parse(text.decode(original.data)) as unknown;
    } catch {
      value = undefined;
    }
  }
  return {
    metadata: { [METADATA_ENCODING_KEY]: utf8.encode('json/plain') },
    data: utf8.encode(JSON.stringify({ [UNSEALED]: { reason, original: value } })),
  };
}

export function seal(ring: KeyRing, payload: Payload): Payload {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.currentKey, iv);
  // The key id is authenticated too: a payload moved to another key id does not open.
  cipher.setAAD(Buffer.from(ring.current, 'utf8'));
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      [METADATA_ENCODING_KEY]: utf8.encode(SEALED_ENCODING),
      [KEY_ID_METADATA]: utf8.encode(ring.current),
    },
    data: sealed,
  };
}

export function open(ring: KeyRing, payload: Payload): Payload {
  if (encodingOf(payload) !== SEALED_ENCODING) return marker('PLAINTEXT', payload);
  const idBytes = payload.metadata?.[KEY_ID_METADATA];
  const keyId = idBytes ? text.decode(idBytes) : '';
  const key = ring.key(keyId);
  const data = Buffer.from(payload.data ?? new Uint8Array());
  if (key === undefined) return marker('UNKNOWN_KEY');
  if (data.length < IV_BYTES + TAG_BYTES) return marker('TAMPERED');
  try {
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return temporal.api.common.v1.Payload.decode(plain);
  } catch {
    return marker('TAMPERED');
  }
}

export function createPayloadCodec(ring: KeyRing): PayloadCodec {
  return {
    encode: async (payloads) => payloads.map((p) => seal(ring, p)),
    decode: async (payloads) => payloads.map((p) => open(ring, p)),
  };
}
