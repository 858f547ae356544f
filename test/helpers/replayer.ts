import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';

/** One history to replay, and where its result goes. */
interface Job {
  workflowId: string;
  history: unknown;
  settle: (error: Error | undefined) => void;
  fail: (error: unknown) => void;
}

/**
 * One replay worker that replays histories one after another for as long as it is open (the SDK's batch
 * replay, fed as histories arrive).
 *
 * Why not `Worker.runReplayHistory` per history: each replay worker runs the workflow code in this process
 * (debug mode), and the SDK's worker (1.24) parses the bundle's source map into the `source-map` library's
 * WebAssembly memory and never frees it (`removeWorkflowBundle` drops the consumer without `destroy()`). That
 * is about 9 MB per replay worker, so a run that replays a few hundred histories, one worker each, grows the
 * process by gigabytes until the WebAssembly allocator traps (`RuntimeError: unreachable`). One worker parses
 * the source map once.
 */
export class Replayer {
  private readonly queue: Job[] = [];
  private readonly inFlight: Job[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  private readonly done: Promise<void>;

  constructor(options: ReplayWorkerOptions) {
    this.done = this.run(options);
  }

  /** Whether it takes no more histories (closed, or its worker failed). */
  get closed(): boolean {
    return this.closing;
  }

  /** Replays `history` as `workflowId`; resolves with its replay error (a non-determinism), if any. */
  replay(workflowId: string, history: unknown): Promise<Error | undefined> {
    if (this.closing) return Promise.reject(new Error('the replayer is closed'));
    return new Promise((settle, fail) => {
      this.queue.push({ workflowId, history, settle, fail });
      this.wake?.();
    });
  }

  /** Replays what is queued, then shuts the replay worker down. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.done;
  }

  private async *histories(): AsyncGenerator<{ workflowId: string; history: unknown }> {
    for (;;) {
      while (this.queue.length === 0 && !this.closing) await new Promise<void>((r) => (this.wake = r));
      const job = this.queue.shift();
      if (job === undefined) return;
      this.inFlight.push(job);
      yield { workflowId: job.workflowId, history: job.history };
    }
  }

  private async run(options: ReplayWorkerOptions): Promise<void> {
    try {
      const histories = this.histories() as Parameters<typeof Worker.runReplayHistories>[1];
      for await (const result of Worker.runReplayHistories(options, histories)) {
        this.inFlight.shift()?.settle(result.error);
      }
    } catch (err) {
      // The replay worker itself failed: every history not yet replayed fails with it.
      this.closing = true;
      for (const job of [...this.inFlight.splice(0), ...this.queue.splice(0)]) job.fail(err);
    }
  }
}
