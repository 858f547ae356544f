import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signCallback,
  verifyCallback,
} from '../../../shared/node/callback-signature';

const body = JSON.stringify({ id: 'evt-1', submissionId: 'sub-1', sequence: 1, type: 'RECEIVED' });
const ts = 1_700_000_000;

function verify(
  headers: Record<string, string>,
  overrides: { rawBody?: string; secrets?: string[]; now?: number },
) {
  return verifyCallback({
    rawBody: overrides.rawBody ?? body,
    signatureHeader: headers[SIGNATURE_HEADER],
    timestampHeader: headers[TIMESTAMP_HEADER],
    secrets: overrides.secrets ?? ['s1'],
    nowSeconds: overrides.now ?? ts,
  });
}

describe('callback signature', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<body>" as a v1 hex entry', () => {
    const expected = createHmac('sha256', 's1').update(`${ts}.${body}`).digest('hex');
    assert.deepEqual(signCallback(body, ['s1'], ts), {
      'Frontier-Review-Timestamp': '1700000000',
      'Frontier-Review-Signature': `v1=${expected}`,
    });
  });

  it('verifies what it signed', () => {
    assert.deepEqual(verify(signCallback(body, ['s1'], ts), {}), { ok: true });
  });

  it('signs with every active secret during rotation, one v1 entry each', () => {
    const header = signCallback(body, ['old', 'new'], ts)[SIGNATURE_HEADER];
    assert.match(header, /^v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
  });

  it('accepts a rotation signature with only the old secret', () => {
    assert.deepEqual(verify(signCallback(body, ['old', 'new'], ts), { secrets: ['old'] }), { ok: true });
  });

  it('accepts a rotation signature with only the new secret', () => {
    assert.deepEqual(verify(signCallback(body, ['old', 'new'], ts), { secrets: ['new'] }), { ok: true });
  });

  it('rejects a tampered body as BAD_SIGNATURE', () => {
    const tampered = body.replace('RECEIVED', 'ACCEPTED');
    assert.deepEqual(verify(signCallback(body, ['s1'], ts), { rawBody: tampered }), {
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('rejects a signature made with another secret as BAD_SIGNATURE', () => {
    assert.deepEqual(verify(signCallback(body, ['other'], ts), {}), { ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a timestamp altered after signing as BAD_SIGNATURE', () => {
    const headers = { ...signCallback(body, ['s1'], ts), [TIMESTAMP_HEADER]: String(ts + 1) };
    assert.deepEqual(verify(headers, {}), { ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('accepts a timestamp exactly 300 seconds old', () => {
    assert.deepEqual(verify(signCallback(body, ['s1'], ts), { now: ts + 300 }), { ok: true });
  });

  it('rejects a timestamp 301 seconds old as STALE_TIMESTAMP', () => {
    assert.deepEqual(verify(signCallback(body, ['s1'], ts), { now: ts + 301 }), {
      ok: false,
      reason: 'STALE_TIMESTAMP',
    });
  });

  it('rejects a timestamp 301 seconds in the future as STALE_TIMESTAMP', () => {
    assert.deepEqual(verify(signCallback(body, ['s1'], ts), { now: ts - 301 }), {
      ok: false,
      reason: 'STALE_TIMESTAMP',
    });
  });

  it('rejects a missing signature header as MALFORMED_HEADER', () => {
    const headers = signCallback(body, ['s1'], ts);
    assert.deepEqual(verify({ [TIMESTAMP_HEADER]: headers[TIMESTAMP_HEADER] }, {}), {
      ok: false,
      reason: 'MALFORMED_HEADER',
    });
  });

  it('rejects a signature that is not 64 hex digits as MALFORMED_HEADER', () => {
    const headers = { ...signCallback(body, ['s1'], ts), [SIGNATURE_HEADER]: 'v1=abc' };
    assert.deepEqual(verify(headers, {}), { ok: false, reason: 'MALFORMED_HEADER' });
  });

  it('rejects a non-numeric timestamp as MALFORMED_HEADER', () => {
    const headers = { ...signCallback(body, ['s1'], ts), [TIMESTAMP_HEADER]: '2023-11-14T22:13:20Z' };
    assert.deepEqual(verify(headers, {}), { ok: false, reason: 'MALFORMED_HEADER' });
  });

  it('ignores entries of an unknown scheme next to a valid v1 entry', () => {
    const headers = signCallback(body, ['s1'], ts);
    const withV2 = { ...headers, [SIGNATURE_HEADER]: `v2=future,${headers[SIGNATURE_HEADER]}` };
    assert.deepEqual(verify(withV2, {}), { ok: true });
  });
});
