import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import vm from 'node:vm';
import pino from 'pino';
import { TemporalPinoLogger } from '../../../shared/node/logger';

/** What one log call writes, parsed. */
function written(meta: Record<string, unknown>): { msg: string; activityType?: string; error: unknown } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  new TemporalPinoLogger(pino({ level: 'warn' }, sink)).warn('Activity failed', meta);
  return JSON.parse(lines[0]) as { msg: string; activityType?: string; error: unknown };
}

describe('TemporalPinoLogger', () => {
  it("writes an error from another realm (a workflow's sandbox) with its message", () => {
    const error = vm.runInNewContext('new TypeError("no such stage")') as unknown;
    assert.equal(error instanceof Error, false);
    const line = written({ error });
    assert.deepEqual((line.error as Record<string, unknown>).message, 'no such stage');
  });

  it('leaves an `error` that is not an error as it is', () => {
    assert.equal(written({ error: 'timed out' }).error, 'timed out');
  });

  it("writes the SDK's `error` with its message and stack, not as {}", () => {
    const line = written({
      activityType: 'archiveCase',
      error: new Error('record signing key: none at keys/record-signing.pem'),
    }) as { msg: string; activityType: string; error: Record<string, string> };
    assert.equal(line.msg, 'Activity failed');
    assert.equal(line.activityType, 'archiveCase');
    assert.equal(line.error.message, 'record signing key: none at keys/record-signing.pem');
    assert.equal(line.error.type, 'Error');
    assert.match(line.error.stack, /logger\.test\.ts/);
  });
});
