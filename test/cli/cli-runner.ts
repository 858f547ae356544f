import path from 'node:path';
import { main } from '../../cli/index';

/**
 * The CLI loaded once, running the commands its parent sends (./support.ts, `runWarm`) one after another,
 * each with its own arguments and environment, as `node bin/frontier-review.js` runs one: the same `main`, its
 * output on stdout and stderr captured, its exit code answered. Loading the CLI takes a second or more; most
 * commands then take milliseconds.
 */
export interface CliRequest {
  id: number;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface CliReply {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = path.join(__dirname, '..', '..', 'bin', 'frontier-review.js');

/** What the running command has printed so far. */
const printed = { stdout: [] as string[], stderr: [] as string[] };

/**
 * A write that keeps what it is given for the running command (and calls back, as a stream does once the
 * chunk is handled). This process's own streams lead nowhere: its output is the commands'.
 */
const capture =
  (stream: 'stdout' | 'stderr') =>
  (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    printed[stream].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (done !== undefined) process.nextTick(done);
    return true;
  };
process.stdout.write = capture('stdout');
process.stderr.write = capture('stderr');

async function run({ id, args, env }: CliRequest): Promise<CliReply> {
  printed.stdout = [];
  printed.stderr = [];
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  process.exitCode = undefined;
  try {
    const code = await main([process.execPath, BIN, ...args]);
    return { id, code, stdout: printed.stdout.join(''), stderr: printed.stderr.join('') };
  } finally {
    process.exitCode = undefined;
  }
}

// One command at a time: each owns the process's output and environment while it runs.
let queue: Promise<void> = Promise.resolve();
process.on('message', (request: CliRequest) => {
  queue = queue.then(async () => {
    const reply = await run(request).catch((err: unknown): CliReply => ({
      id: request.id,
      code: 70,
      stdout: '',
      stderr: `the CLI runner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    }));
    process.send?.(reply);
  });
});
