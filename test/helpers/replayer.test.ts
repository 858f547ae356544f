import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { testServers } from '../setup/servers';
import { HISTORIES_DIR } from './replay';
import { Replayer } from './replayer';
import { testReplayDataConverter } from './sealing';

// The suite replays every workflow its tests ran, a few hundred histories. One replay worker per history made
// the mocha process grow by about 9 MB each (the SDK parses the bundle's source map into WebAssembly memory
// and never frees it) until the WebAssembly allocator trapped, about 400 replays in.
describe('the suite’s replayer: one replay worker for many histories', function () {
  this.timeout(120_000);
  const dir = path.join(HISTORIES_DIR, 'release-6');
  const histories = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, 8)
    .map((f) => ({
      id: path.basename(f, '.json'),
      history: JSON.parse(readFileSync(path.join(dir, f), 'utf8')),
    }));

  it('replays history after history, reports a failed replay and goes on, without growing per history', async () => {
    const replayer = new Replayer({
      workflowBundle: testServers().workflowBundle,
      dataConverter: testReplayDataConverter,
    });
    try {
      const [first, ...rest] = histories;
      // The first replay parses the source map (on the first workflow error it formats).
      assert.equal(await replayer.replay(first.id, first.history), undefined);
      const before = process.memoryUsage().external;
      for (const { id, history } of rest) assert.equal(await replayer.replay(id, history), undefined, id);
      const grown = process.memoryUsage().external - before;
      // A worker per history grows this by about 9 MB each (7 × 9 = 63 MB); one worker by far less.
      assert.ok(
        grown < 20e6,
        `external memory grew ${(grown / 1e6).toFixed(0)} MB over ${rest.length} replays`,
      );

      // A history whose workflow type the bundle does not have fails, and the next one still replays.
      const alien = structuredClone(first.history) as {
        events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name: string } } }[];
      };
      const started = alien.events[0].workflowExecutionStartedEventAttributes;
      assert.ok(started?.workflowType !== undefined, 'the first event starts the workflow');
      started.workflowType.name = 'noSuchWorkflow';
      assert.ok(
        (await replayer.replay('alien', alien)) instanceof Error,
        'an unknown workflow type replayed',
      );
      assert.equal(await replayer.replay(rest[0].id, rest[0].history), undefined);
    } finally {
      await replayer.close();
    }
    await assert.rejects(replayer.replay(histories[0].id, histories[0].history), /closed/);
  });
});
