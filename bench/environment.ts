import type { Client } from '@temporalio/client';
import type { Logger } from '../shared/node/logger';
import type { BenchOptions } from './options';
import type { BenchReceiver } from './receiver';
import type { BenchServer } from './server';
import type { WorkerProcess } from './worker-handle';

/** What every phase of a bench run shares: its options, servers, worker and clean-up. */
export interface BenchEnvironment {
  opts: BenchOptions;
  logger: Logger;
  server: BenchServer;
  receiver: BenchReceiver;
  worker: WorkerProcess;
  taskQueue: string;
  /** The same worker without the payload codec, and a client without it, for the codec's cost. */
  plaintext: { worker: WorkerProcess; taskQueue: string; client: Client };
  runTag: string;
  signal: AbortSignal;
  /** Registers something to undo when the bench stops, however it stops. */
  defer(name: string, stop: () => Promise<unknown>): void;
}
