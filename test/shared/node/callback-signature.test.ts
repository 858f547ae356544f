import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  newCallbackSecret,
  signCallback,
  standardSecret,
  verifyCallback,
} from '../../../shared/node/callback-signature';

/**
 * Callbacks are Standard Webhooks v1 (issue 17): checked here against an independent HMAC of the spec's signed
 * content and against the reference library (`standardwebhooks` from npm), as a lab would verify them.
 */
describe('callback signatures (Standard Webhooks v1)', () => {
  const id = 'sub-1:3';
  const body = JSON.stringify({ id, submissionId: 'sub-1', sequence: 3, type: 'ACCEPTED' });
  const oldSecret = newCallbackSecret();
  const newSecret = newCallbackSecret();
  const now = () => Math.floor(Date.now() / 1000);

  /** The spec's signature, computed here without the library: base64 HMAC-SHA256 of id.timestamp.body. */
  const expected = (secret: string, ts: number) =>
    createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`${id}.${ts}.${body}`)
      .digest('base64');

  it('sends webhook-id, webhook-timestamp and one v1 signature per active secret, space-separated', () => {
    const ts = now();
    assert.match(oldSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(signCallback(id, body, [oldSecret, newSecret], ts), {
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${expected(oldSecret, ts)} v1,${expected(newSecret, ts)}`,
    });
  });

  it('verifies with the reference library under either secret of a rotation', () => {
    const headers = signCallback(id, body, [oldSecret, newSecret], now());
    for (const secret of [oldSecret, newSecret]) {
      assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
      assert.deepEqual(verifyCallback(body, headers, [secret]), { ok: true });
    }
  });

  it('does not verify a tampered body, a stale timestamp or a wrong secret', () => {
    const headers = signCallback(id, body, [oldSecret], now());
    const tampered = body.replace('ACCEPTED', 'DETERMINATION_ISSUED');
    assert.throws(() => new Webhook(oldSecret).verify(tampered, headers), /No matching signature/);
    assert.deepEqual(verifyCallback(tampered, headers, [oldSecret]), { ok: false, reason: 'BAD_SIGNATURE' });

    const stale = signCallback(id, body, [oldSecret], now() - 301);
    assert.throws(() => new Webhook(oldSecret).verify(body, stale), /timestamp too old/i);
    assert.deepEqual(verifyCallback(body, stale, [oldSecret]), { ok: false, reason: 'STALE_TIMESTAMP' });

    assert.throws(() => new Webhook(newSecret).verify(body, headers), /No matching signature/);
    assert.deepEqual(verifyCallback(body, headers, [newSecret]), { ok: false, reason: 'BAD_SIGNATURE' });
    assert.deepEqual(verifyCallback(body, { ...headers, 'webhook-id': undefined }, [oldSecret]), {
      ok: false,
      reason: 'MALFORMED_HEADER',
    });
  });

  it('signs with a secret kept from before release 2 as the whsec_ secret of its bytes', () => {
    const legacy = 'a-legacy-secret-0123456789';
    assert.equal(standardSecret(legacy), `whsec_${Buffer.from(legacy).toString('base64')}`);
    const headers = signCallback(id, body, [legacy], now());
    assert.deepEqual(new Webhook(standardSecret(legacy)).verify(body, headers), JSON.parse(body));
  });
});
