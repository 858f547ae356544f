import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { testServers } from '../setup/servers';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/**
 * Replays a finished case's history with the current workflow code (a non-determinism fails the test) and,
 * when RECORD_HISTORIES=1, saves it as a fixture that test/workflows/replay.test.ts replays on every run
 * from then on, so a change that breaks histories already in flight fails CI.
 */
export async function replayAndRecord(handle: WorkflowHandle, name: string): Promise<void> {
  // Through JSON, exactly as a fixture is read back.
  const json = historyToJSON(await handle.fetchHistory());
  await Worker.runReplayHistory(
    { workflowBundle: testServers().workflowBundle },
    JSON.parse(json),
    handle.workflowId,
  );
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(HISTORIES_DIR, { recursive: true });
    writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
  }
}
