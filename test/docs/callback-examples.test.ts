import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import {
  createCallbackActivities,
  type DeliverCallbackInput,
  type DeliverCallbackResult,
} from '../../activities/callbacks';
import { DEFAULT_POLICY } from '../../shared/domain/policy-presets';
import { EVENTS } from '../../shared/domain/review/events';
import { accept, openCase } from '../../shared/domain/review/intake';
import { CURRENT_RULES } from '../../shared/domain/review/rules';
import { Submission } from '../../shared/domain/submission';
import { freePort } from '../../shared/node/dev-server';
import {
  newCallbackSecret,
  signCallback,
  type CallbackEventBody,
} from '../../shared/node/callback-signature';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { waitFor } from '../helpers/wait';
import { blocksUnder, readDoc } from './guides';

/**
 * Issue 41: the labs' guide verifies callbacks with a Standard Webhooks library in TypeScript
 * (examples/callback-receiver.ts, `standardwebhooks` from npm) and in Python (examples/callback_receiver.py,
 * `standardwebhooks` from PyPI, installed by scripts/install-standardwebhooks.sh). Each receiver is started with
 * the guide's own command (its secret and port filled in) and sent callbacks by the product's own delivery code
 * (activities/callbacks.ts, which signs with shared/node/callback-signature.ts), with the guide's example event.
 */

const GUIDE = 'docs/labs.md';
const doc = readDoc(GUIDE);
const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The guide's example callback body. */
const guideEvent = JSON.parse(
  blocksUnder(doc, 'Receive status callbacks', 'json')[0].content,
) as CallbackEventBody;

/** The lab events of a case the product accepts at the guide's moment (Wed 2 Sep 2037, 10:00 in Washington). */
function productEvents(): CallbackEventBody[] {
  const at = new Date(guideEvent.occurredAt);
  const c = openCase(
    Submission.parse({
      submissionId: guideEvent.submissionId,
      labId: 'sample-lab',
      model: { name: 'Frontier-2', version: '2.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'gated endpoint; evaluator keys on request' },
      callbackUrl: 'https://callbacks.example.com/frontier-review',
      plannedReleaseDate: '2038-09-01T00:00:00Z',
    }),
    at,
    CURRENT_RULES,
  );
  accept(c, DEFAULT_POLICY, { covered: true, reason: 'designated covered by NSA' }, at);
  return c.labEvents;
}

/** Delivers one event as the product's courier does, signed with these secrets, to the receiver. */
function deliver(url: string, event: CallbackEventBody, secrets: string[]): Promise<DeliverCallbackResult> {
  const { deliverCallback } = createCallbackActivities({
    secretsFor: () => secrets,
    requestTimeoutMs: 10_000,
    userAgent: 'frontier-review-docs-test',
  });
  const env = new MockActivityEnvironment({ attempt: 1 }, { logger: quiet });
  return env.run<[DeliverCallbackInput], DeliverCallbackResult, typeof deliverCallback>(deliverCallback, {
    labId: 'sample-lab',
    url,
    event,
  });
}

/** What a receiver prints for an event it processes. */
const printed = (e: CallbackEventBody): string =>
  `${e.occurredAt} ${e.submissionId} #${e.sequence} ${e.type} ${e.id}`;

interface Receiver {
  url: string;
  lines: string[];
  stop(): Promise<void>;
}

/** Runs the guide's shell block with the secret and port filled in, until it says it listens. */
async function startReceiver(block: string, secret: string): Promise<Receiver> {
  const port = await freePort();
  const script = block.replaceAll('whsec_...', secret).replaceAll('PORT=4000', `PORT=${port}`);
  // A process group of its own (bash and what it starts), ended as one.
  const child: ChildProcess = spawn('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const complete = out.split('\n');
      out = complete.pop()!;
      for (const line of complete) {
        if (line === `callback receiver listening on port ${port}`) resolve();
        else lines.push(line);
      }
    });
    child.on('exit', (code) =>
      reject(new Error(`the receiver exited (${code}) before listening:\n${errors}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    lines,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.on('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      }),
  };
}

/** A refusal the product takes as permanent: the receiver's 401. */
const refusedWith401 = (err: unknown): boolean =>
  err instanceof ApplicationFailure &&
  err.type === 'CallbackRejected' &&
  err.message === 'callback endpoint answered 401';

describe('the labs’ guide: verifying callbacks', function () {
  // The first run may install Python's standardwebhooks into .tools/ (seconds; cached afterwards).
  this.timeout(120_000);

  it('shows the ACCEPTED callback the product sends for a case accepted at that moment', () => {
    const accepted = productEvents().find((e) => e.type === 'ACCEPTED')!;
    assert.equal(guideEvent.type, 'ACCEPTED');
    assert.equal(guideEvent.id, `${guideEvent.submissionId}:${guideEvent.sequence}`);
    assert.equal(guideEvent.occurredAt, accepted.occurredAt);
    assert.deepEqual(guideEvent.payload, accepted.payload);
    EVENTS.ACCEPTED.payload.parse(guideEvent.payload);
  });

  const receivers = [
    {
      language: 'TypeScript',
      heading: 'Verify them in TypeScript',
      example: 'examples/callback-receiver.ts',
    },
    { language: 'Python', heading: 'Verify them in Python', example: 'examples/callback_receiver.py' },
  ];
  for (const { language, heading, example } of receivers) {
    describe(`in ${language} (${example})`, () => {
      const secret = newCallbackSecret();
      let receiver: Receiver;
      before(async () => {
        if (language === 'Python') {
          // As npm test does (scripts/test.sh), unless it already has: STANDARDWEBHOOKS_PYTHON names the Python.
          process.env.STANDARDWEBHOOKS_PYTHON ??= execFileSync(
            'bash',
            ['scripts/install-standardwebhooks.sh'],
            {
              cwd: PROJECT_ROOT,
              encoding: 'utf8',
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          ).trim();
        }
        const [block] = blocksUnder(doc, heading, 'sh');
        assert.ok(block.content.includes(example), `the guide's command runs ${example}`);
        receiver = await startReceiver(block.content, secret);
      });
      after(async () => {
        await receiver?.stop();
      });

      it('processes an event the product delivers once, though it is delivered twice', async () => {
        const stageOpened = productEvents().find((e) => e.type === 'STAGE_OPENED')!;
        // The file's tests share the receiver and run in the seed's order: only what this test sent counts.
        const before = receiver.lines.length;
        for (const event of [guideEvent, guideEvent, stageOpened]) {
          assert.equal((await deliver(receiver.url, event, [secret])).status, 204);
        }
        // The receiver prints before it answers; its output may reach this process a moment after the answer.
        const lines = await waitFor(
          async () => receiver.lines.slice(before),
          (l) => l.length >= 2,
          'the receiver’s lines',
        );
        assert.deepEqual(lines, [printed(guideEvent), printed(stageOpened)]);
      });

      it('refuses an event signed with a secret it does not hold, which the product takes as final', async () => {
        const before = receiver.lines.length;
        const other = { ...guideEvent, id: `${guideEvent.submissionId}:90`, sequence: 90 };
        await assert.rejects(deliver(receiver.url, other, [newCallbackSecret()]), refusedWith401);
        assert.equal(receiver.lines.length, before);
      });

      it('refuses an event signed more than 5 minutes ago', async () => {
        const body = JSON.stringify({ ...guideEvent, id: `${guideEvent.submissionId}:91`, sequence: 91 });
        const headers = signCallback(
          `${guideEvent.submissionId}:91`,
          body,
          [secret],
          Math.floor(Date.now() / 1000) - 600,
        );
        const res = await fetch(receiver.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body,
        });
        assert.equal(res.status, 401);
      });

      it('accepts an event signed with the old and the new secret during a rotation', async () => {
        const rotated = { ...guideEvent, id: `${guideEvent.submissionId}:92`, sequence: 92 };
        assert.equal((await deliver(receiver.url, rotated, [newCallbackSecret(), secret])).status, 204);
        await waitFor(
          async () => receiver.lines.at(-1),
          (l) => l === printed(rotated),
          'the rotated event printed',
        );
      });
    });
  }
});
