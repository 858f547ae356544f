import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
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
 * Each payload is also bound to where it belongs (issue 34): the namespace and workflow it was sealed for
 * and, for an activity's input, result or failure, the activity. The SDK (1.24) tells the codec that place
 * through its serialization context; the binding travels in the payload's metadata (so the codec server can
 * name it) and is part of the additional authenticated data with the key id, so changing it breaks the seal.
 * A payload copied into another case, or into another activity, decodes to the `MISBOUND` marker: a
 * namespace administrator holding no key can no longer replay a message recorded in one case into another.
 * The message itself (which update or signal, which update id) is bound inside the payload, where the codec
 * cannot see it: shared/domain/message-binding.ts.
 *
 * Decoding fails closed without wedging a case: a payload that is not sealed, or sealed with a key the ring
 * no longer holds, or altered, or sealed for another place, decodes into a marker (shared/domain/sealed.ts)
 * that validators refuse. A throw here would fail the workflow task and retry it forever.
 *
 * Payloads sealed before this release carry no binding and still open wherever they are (histories of
 * releases 1 to 6 replay, and running workflows hold such inputs and results); messages among them are
 * refused by the validators, which find no binding inside.
 */
export const SEALED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** Where the payload belongs, as `bindingOf` writes it; authenticated with the key id. */
export const BINDING_METADATA = 'frontier-review-binding';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const text = new TextDecoder();
const encodingOf = (p: Payload): string | undefined => {
  const e = p.metadata?.[METADATA_ENCODING_KEY];
  return e === undefined || e === null ? undefined : text.decode(e);
};

/**
 * The place a serialization context names, as one string: the namespace and workflow, and for an activity's
 * payloads the activity too (an activity's result cannot stand in for a workflow's input, nor for another
 * activity's result). Undefined when the context names no workflow.
 */
export function bindingOf(context: SerializationContext | undefined): string | undefined {
  if (context === undefined || context.workflowId === undefined) return undefined;
  return JSON.stringify(
    context.type === 'workflow'
      ? [context.namespace, context.workflowId]
      : [context.namespace, context.workflowId, 'activity', context.activityId ?? ''],
  );
}

/** The additional authenticated data: the key id alone for an unbound payload (as releases 1 to 6 sealed). */
const aadOf = (keyId: string, binding: string | undefined): Buffer =>
  Buffer.from(binding === undefined ? keyId : `${keyId}\n${binding}`, 'utf8');

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

/** Seals a payload with the ring's current key, bound to `binding` (see `bindingOf`) when there is one. */
export function seal(ring: KeyRing, payload: Payload, binding?: string): Payload {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.currentKey, iv);
  // The key id (and the binding) are authenticated too: a payload moved to another key id, or another place,
  // does not open.
  cipher.setAAD(aadOf(ring.current, binding));
  const plain = temporal.api.common.v1.Payload.encode(payload).finish();
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      [METADATA_ENCODING_KEY]: utf8.encode(SEALED_ENCODING),
      [KEY_ID_METADATA]: utf8.encode(ring.current),
      ...(binding === undefined ? {} : { [BINDING_METADATA]: utf8.encode(binding) }),
    },
    data: sealed,
  };
}

/** The binding a sealed payload names, if any. */
export function recordedBinding(payload: Payload): string | undefined {
  const b = payload.metadata?.[BINDING_METADATA];
  return b === undefined || b === null ? undefined : text.decode(b);
}

/**
 * Opens a sealed payload. With `expected` (the place it arrived at, from the SDK's context), a payload bound
 * to another place decodes to MISBOUND, its value withheld; without it (the codec server, which has no
 * context), a bound payload opens under the binding it names, which the seal authenticates.
 */
export function open(ring: KeyRing, payload: Payload, expected?: string): Payload {
  if (encodingOf(payload) !== SEALED_ENCODING) return marker('PLAINTEXT', payload);
  const idBytes = payload.metadata?.[KEY_ID_METADATA];
  const keyId = idBytes ? text.decode(idBytes) : '';
  const key = ring.key(keyId);
  const data = Buffer.from(payload.data ?? new Uint8Array());
  const binding = recordedBinding(payload);
  if (key === undefined) return marker('UNKNOWN_KEY');
  if (data.length < IV_BYTES + TAG_BYTES) return marker('TAMPERED');
  let opened: Payload;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, IV_BYTES));
    decipher.setAAD(aadOf(keyId, binding));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
    opened = temporal.api.common.v1.Payload.decode(plain);
  } catch {
    return marker('TAMPERED');
  }
  // Authentic, but sealed for another place: nothing of it reaches the workflow.
  if (binding !== undefined && expected !== undefined && binding !== expected) return marker('MISBOUND');
  return opened;
}

export interface PayloadCodecOptions {
  /**
   * Open bound payloads under the binding they name, whatever the context says. Only for replaying recorded
   * histories offline: the SDK's replayer runs them in its own namespace (`default`) and under the workflow id
   * it is given, not the ones they were recorded under. Never for a worker or a client of a deployment.
   */
  trustRecordedBinding?: boolean;
}

export function createPayloadCodec(ring: KeyRing, opts: PayloadCodecOptions = {}): PayloadCodec {
  return {
    encode: async (payloads, context) => {
      const binding = bindingOf(context);
      return payloads.map((p) => seal(ring, p, binding));
    },
    decode: async (payloads, context) => {
      const expected = opts.trustRecordedBinding === true ? undefined : bindingOf(context);
      return payloads.map((p) => open(ring, p, expected));
    },
  };
}
