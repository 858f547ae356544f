import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createReceiver } from '../examples/callback-receiver';
import type { CallbackEventBody } from '../shared/node/callback-signature';

/** One callback as the lab received it: `at` is performance.now() in the driver's process. */
export interface Arrival {
  type: string;
  sequence: number;
  at: number;
  payload: Record<string, unknown>;
}

interface Waiter {
  match: (a: Arrival) => boolean;
  resolve: (a: Arrival) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface BenchReceiver {
  url: string;
  arrivals(submissionId: string): Arrival[];
  /** Resolves with the first arrival (past or future) that matches; rejects after timeoutMs. */
  waitFor(submissionId: string, match: (a: Arrival) => boolean, timeoutMs: number): Promise<Arrival>;
  /** Total callbacks accepted, or those of one event type. */
  count(type?: string): number;
  forget(submissionId: string): void;
  close(): Promise<void>;
}

/**
 * The lab's endpoint: the product's example receiver (it verifies every signature and de-duplicates by event
 * id) on 127.0.0.1, recording when each event arrived and waking the drivers waiting for it.
 */
export async function startBenchReceiver(secret: string): Promise<BenchReceiver> {
  const byCase = new Map<string, Arrival[]>();
  const waiters = new Map<string, Set<Waiter>>();
  let total = 0;
  const byType = new Map<string, number>();
  const onEvent = (e: CallbackEventBody): void => {
    const arrival: Arrival = {
      type: e.type,
      sequence: e.sequence,
      at: performance.now(),
      payload: (e as { payload?: Record<string, unknown> }).payload ?? {},
    };
    total += 1;
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    const list = byCase.get(e.submissionId) ?? [];
    list.push(arrival);
    byCase.set(e.submissionId, list);
    for (const w of waiters.get(e.submissionId) ?? []) {
      if (w.match(arrival)) {
        clearTimeout(w.timer);
        waiters.get(e.submissionId)?.delete(w);
        w.resolve(arrival);
      }
    }
  };
  const server = createReceiver({ secrets: [secret], onEvent });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    arrivals: (id) => byCase.get(id) ?? [],
    count: (type) => (type === undefined ? total : (byType.get(type) ?? 0)),
    waitFor(id, match, timeoutMs) {
      const seen = byCase.get(id)?.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<Arrival>((resolve, reject) => {
        const set = waiters.get(id) ?? new Set<Waiter>();
        waiters.set(id, set);
        const w: Waiter = {
          match,
          resolve,
          reject,
          timer: setTimeout(() => {
            set.delete(w);
            reject(new Error(`no matching callback for ${id} within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        set.add(w);
      });
    },
    forget(id) {
      byCase.delete(id);
      waiters.delete(id);
    },
    close() {
      for (const set of waiters.values()) {
        for (const w of set) {
          clearTimeout(w.timer);
          w.reject(new Error('receiver closed'));
        }
      }
      waiters.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
