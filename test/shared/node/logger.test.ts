import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { TemporalPinoLogger } from '../../../shared/node/logger';

describe('TemporalPinoLogger', () => {
  it("writes the SDK's `error` with its message and stack, not as {}", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    new TemporalPinoLogger(pino({ level: 'warn' }, sink)).warn('Activity failed', {
      activityType: 'archiveCase',
      error: new Error('record signing key: none at keys/record-signing.pem'),
    });
    const line = JSON.parse(lines[0]) as { msg: string; activityType: string; error: Record<string, string> };
    assert.equal(line.msg, 'Activity failed');
    assert.equal(line.activityType, 'archiveCase');
    assert.equal(line.error.message, 'record signing key: none at keys/record-signing.pem');
    assert.equal(line.error.type, 'Error');
    assert.match(line.error.stack, /logger\.test\.ts/);
  });
});
