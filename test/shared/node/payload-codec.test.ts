import assert from 'node:assert/strict';
import type { Payload, SerializationContext } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  BINDING_METADATA,
  createPayloadCodec,
  open,
  recordedBinding,
  seal,
} from '../../../shared/node/payload-codec';
import { UNSEALED } from '../../../shared/domain/sealed';
import { TEST_PAYLOAD_RING } from '../../helpers/sealing';

const codec = createPayloadCodec(TEST_PAYLOAD_RING);
const replayCodec = createPayloadCodec(TEST_PAYLOAD_RING, { trustRecordedBinding: true });

const inCase = (workflowId: string, namespace = 'default'): SerializationContext => ({
  type: 'workflow',
  namespace,
  workflowId,
});
const inActivity = (workflowId: string, activityId: string): SerializationContext => ({
  type: 'activity',
  namespace: 'default',
  workflowId,
  activityId,
  isLocal: false,
});

const MESSAGE = { actor: 'agency:NSA', covered: false, reason: 'below the bar' };
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const valueOf = (p: Payload): unknown => defaultPayloadConverter.fromPayload(p);

async function sealedIn(
  context: SerializationContext | undefined,
  value: unknown = MESSAGE,
): Promise<Payload> {
  const [sealed] = await codec.encode([payloadOf(value)], context);
  return sealed;
}

describe('the payload codec: every payload bound to where it belongs (issue 34)', () => {
  it('opens a payload in the workflow it was sealed for', async () => {
    const sealed = await sealedIn(inCase('review-lab-a:case-a'));
    assert.equal(recordedBinding(sealed), JSON.stringify(['default', 'review-lab-a:case-a']));
    const [opened] = await codec.decode([sealed], inCase('review-lab-a:case-a'));
    assert.deepEqual(valueOf(opened), MESSAGE);
  });

  it('decodes a payload copied into another workflow, namespace or activity to MISBOUND, with no value', async () => {
    const sealed = await sealedIn(inCase('review-lab-a:case-a'));
    for (const elsewhere of [
      inCase('review-lab-a:case-b'),
      inCase('review-lab-b:case-c'),
      inCase('review-lab-a:case-a', 'another-namespace'),
      inActivity('review-lab-a:case-a', '1'),
    ]) {
      const [opened] = await codec.decode([sealed], elsewhere);
      assert.deepEqual(valueOf(opened), { [UNSEALED]: { reason: 'MISBOUND' } }, JSON.stringify(elsewhere));
    }
    // An activity's result does not stand in for another activity's of the same workflow.
    const result = await sealedIn(inActivity('review-lab-a:case-a', '3'), { delivered: true });
    const [asOther] = await codec.decode([result], inActivity('review-lab-a:case-a', '4'));
    assert.deepEqual(valueOf(asOther), { [UNSEALED]: { reason: 'MISBOUND' } });
    const [asItself] = await codec.decode([result], inActivity('review-lab-a:case-a', '3'));
    assert.deepEqual(valueOf(asItself), { delivered: true });
  });

  it('refuses a binding changed, removed or added as TAMPERED: it is authenticated with the key id', async () => {
    const sealed = await sealedIn(inCase('review-lab-a:case-a'));
    const rebound: Payload = {
      ...sealed,
      metadata: {
        ...sealed.metadata,
        [BINDING_METADATA]: Buffer.from(JSON.stringify(['default', 'review-lab-a:case-b'])),
      },
    };
    const { [BINDING_METADATA]: _dropped, ...unboundMetadata } = sealed.metadata!;
    const unbound: Payload = { ...sealed, metadata: unboundMetadata };
    const legacy = seal(TEST_PAYLOAD_RING, payloadOf(MESSAGE));
    const bound: Payload = {
      ...legacy,
      metadata: { ...legacy.metadata, [BINDING_METADATA]: Buffer.from(JSON.stringify(['default', 'x'])) },
    };
    const cases: [string, Payload, SerializationContext][] = [
      ['rebound to case B, read in case B', rebound, inCase('review-lab-a:case-b')],
      ['its binding removed', unbound, inCase('review-lab-a:case-a')],
      ['an unbound payload given a binding', bound, inCase('x')],
    ];
    for (const [what, payload, context] of cases) {
      const [opened] = await codec.decode([payload], context);
      assert.deepEqual(valueOf(opened), { [UNSEALED]: { reason: 'TAMPERED' } }, what);
    }
  });

  it('still opens a payload sealed before this release (no binding) anywhere, as recorded histories need', async () => {
    const legacy = seal(TEST_PAYLOAD_RING, payloadOf(MESSAGE));
    assert.equal(recordedBinding(legacy), undefined);
    for (const context of [inCase('review-lab-a:case-a'), inCase('anything'), undefined]) {
      const [opened] = await codec.decode([legacy], context);
      assert.deepEqual(valueOf(opened), MESSAGE);
    }
  });

  it('opens a bound payload under its own binding where there is no context to check (the codec server)', async () => {
    const sealed = await sealedIn(inCase('review-lab-a:case-a'));
    assert.deepEqual(valueOf(open(TEST_PAYLOAD_RING, sealed)), MESSAGE);
    const [opened] = await codec.decode([sealed], undefined);
    assert.deepEqual(valueOf(opened), MESSAGE);
  });

  it('replays recorded histories under their recorded bindings only with the replay codec', async () => {
    const sealed = await sealedIn(inCase('review-lab-a:case-a', 'test-ns-1'));
    const [replayed] = await replayCodec.decode([sealed], inCase('a-file-name', 'default'));
    assert.deepEqual(valueOf(replayed), MESSAGE);
    const [live] = await codec.decode([sealed], inCase('a-file-name', 'default'));
    assert.deepEqual(valueOf(live), { [UNSEALED]: { reason: 'MISBOUND' } });
  });

  it('seals without a binding where the context names no workflow', async () => {
    const sealed = await sealedIn(undefined);
    assert.equal(recordedBinding(sealed), undefined);
    const [opened] = await codec.decode([sealed], inCase('review-lab-a:case-a'));
    assert.deepEqual(valueOf(opened), MESSAGE);
  });
});
