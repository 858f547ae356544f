import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../helpers/replay';
import { testServers } from '../setup/servers';

// Recorded histories of every review path (see test/helpers/replay.ts); cases live 90 days and more, so the
// current code must replay each of them exactly.
const fixtures = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded review histories', () => {
  it('has recorded histories to replay', () => {
    assert.ok(fixtures.length > 0, `no fixtures in ${HISTORIES_DIR}`);
  });

  for (const file of fixtures) {
    it(`replays ${file} with the current workflow code`, async () => {
      const history = JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as unknown;
      await Worker.runReplayHistory(
        { workflowBundle: testServers().workflowBundle },
        history,
        path.basename(file, '.json'),
      );
    });
  }
});
