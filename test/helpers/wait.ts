import assert from 'node:assert/strict';

/**
 * How long a test waits, in real time, for something that happens on its own (an activity, visibility
 * catching up). Generous, because the machine may be busy with servers, a JVM and a browser: a wait ends as
 * soon as its condition holds, so the ceiling costs nothing when things go well. Tests never assert how long
 * anything took; timings belong in the benchmark.
 */
export const WAIT_CEILING_MS = 30_000;
const INTERVAL_MS = 25;

/** Reads until `done` accepts what it read, or fails with the last reading after the ceiling. */
export async function waitFor<T>(read: () => Promise<T>, done: (x: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_CEILING_MS;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
    last = await read();
  }
  return last;
}
