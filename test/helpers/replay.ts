import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { RELEASE } from '../../workflows/release';
import { testServers } from '../setup/servers';
import { Replayer } from './replayer';
import { testReplayDataConverter } from './sealing';

/** Recorded histories, one folder per release of the workflow code (test/fixtures/histories/<release>). */
export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');
/** Each release's frozen workflow bundle (scripts/freeze-release.ts). */
export const BUNDLES_DIR = path.resolve(__dirname, '..', 'fixtures', 'bundles');

let replayer: Replayer | undefined;

/** The run's one replay worker on today's bundle (see Replayer for why one). */
function todaysReplayer(): Replayer {
  if (replayer === undefined || replayer.closed) {
    replayer = new Replayer({
      workflowBundle: testServers().workflowBundle,
      // Recorded in namespaces of their own, replayed in the replayer's: opened under their recorded bindings.
      dataConverter: testReplayDataConverter,
    });
  }
  return replayer;
}

/** Shuts the run's replay worker down (the root hooks' afterAll). */
export async function closeReplayer(): Promise<void> {
  await replayer?.close();
  replayer = undefined;
}

/**
 * Replays a finished case's history with the current workflow code (a non-determinism fails the test) and,
 * when RECORD_HISTORIES=1, saves it into this release's folder, which test/workflows/replay.test.ts replays on
 * every run from then on. A recorded history is never overwritten: it is what cases of its release did, and
 * cases of that release may still be in flight.
 */
export async function replayAndRecord(handle: WorkflowHandle, name: string): Promise<void> {
  // Through JSON, exactly as a fixture is read back.
  const json = historyToJSON(await handle.fetchHistory());
  const error = await todaysReplayer().replay(handle.workflowId, JSON.parse(json));
  if (error !== undefined) throw error;
  if (process.env.RECORD_HISTORIES === '1') {
    const dir = path.join(HISTORIES_DIR, RELEASE);
    const file = path.join(dir, `${name}.json`);
    if (existsSync(file)) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, json);
  }
}
