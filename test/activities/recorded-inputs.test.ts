import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { UNSEALED } from '../../shared/domain/sealed';
import { createTestActivities } from '../helpers/activities';
import { testServers } from '../setup/servers';

/**
 * Issue 16: an activity that release 1's workers scheduled (release 1 sealed nothing) and that today's worker
 * picks up after a deploy, on a retry or after the old worker stopped mid-attempt, arrives through today's codec
 * as the unsealed marker. Found by running a case opened by release 1's frozen bundle on today's workers: its
 * callbacks failed with "Cannot read properties of undefined (reading 'submissionId')" on every retry.
 */
describe('activity inputs written by release 1', () => {
  it('are read as recorded: a callback release 1 scheduled is delivered by today’s worker', async () => {
    const activities = createTestActivities();
    const submissionId = `sub-${randomUUID()}`;
    const input = {
      labId: 'acme',
      url: testServers().labReceiver.url,
      event: {
        id: `${submissionId}:1`,
        submissionId,
        sequence: 1,
        type: 'RECEIVED',
        occurredAt: '2026-11-30T12:00:00.000Z',
        payload: { receivedAt: '2026-11-30T12:00:00.000Z', model: { name: 'Frontier-1', version: '1.0' } },
      },
    };
    // What today's codec makes of release 1's plain payload (shared/node/payload-codec.ts).
    const asDecoded = { [UNSEALED]: { reason: 'PLAINTEXT', original: input } } as unknown as typeof input;
    const result = await new MockActivityEnvironment().run<
      [typeof input],
      { status: number },
      typeof activities.deliverCallback
    >((i) => activities.deliverCallback(i), asDecoded);
    assert.equal(result.status >= 200 && result.status < 300, true, JSON.stringify(result));
    assert.deepEqual(
      testServers()
        .labReceiver.eventsFor(submissionId)
        .map((e) => e.id),
      [`${submissionId}:1`],
    );
  });
});
