import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { newApiKey } from '../../shared/node/api-keys';
import { writeKeyPair } from '../../shared/node/record-keys';
import pino from 'pino';
import { freePort, startDevServer } from '../../shared/node/dev-server';
import { devServerRecordFile, writeDevServerRecord } from '../../shared/node/dev-server-record';
import { resolveTemporalCli } from '../../shared/node/tools';
import { close, isFree, occupy, startMain as start } from '../helpers/main-job';
import { uniqueId } from '../helpers/workers';
import { testServers } from '../setup/servers';

/**
 * Issue 20: `npm start` (workers/main.ts) run as a user runs it, against the suite's dev server as an existing
 * cluster. A start that cannot succeed exits 1 on its own, its last line names the cause that came first
 * with the failing step, and it leaves no process and no port behind.
 */

describe('start-up that fails fast, says why, and leaves nothing running (issue 20)', function () {
  this.timeout(120_000);
  let dir: string;
  let ports: { HTTP_PORT: string; TEMPORAL_RUNTIME_METRICS_PORT: string; OIDC_DEV_PROVIDER_PORT: string };
  let cluster: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'frontier-review-start-'));
    ports = {
      HTTP_PORT: String(await freePort()),
      TEMPORAL_RUNTIME_METRICS_PORT: String(await freePort()),
      OIDC_DEV_PROVIDER_PORT: String(await freePort()),
    };
    // An existing cluster: the suite's dev server, with a key store and callback secrets of this test's own.
    cluster = {
      ...ports,
      TEMPORAL_ADDRESS: testServers().dev.address,
      TEMPORAL_NAMESPACE: 'default',
      DATA_DIR: dir,
      API_KEYS_FILE: path.join(dir, 'api-keys.json'),
      CALLBACK_SECRETS_FILE: path.join(dir, 'callback-secrets.json'),
      ACCESS_LOG_FILE: path.join(dir, 'access-log.jsonl'),
      PAYLOAD_KEYS_FILE: path.join(dir, 'payload-keys.json'),
      NOTE_KEYS_FILE: path.join(dir, 'note-keys.json'),
      RECORD_SIGNING_KEY_FILE: path.join(dir, 'keys', 'record-signing-key.pem'),
      RECORD_VERIFYING_KEY_FILE: path.join(dir, 'keys', 'record-verifying-key.pem'),
    };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const nothingLeft = async () => {
    for (const [name, port] of Object.entries(ports))
      assert.ok(await isFree(Number(port)), `${name} ${port} is free`);
  };

  /** A key store with an administrator and a lab, and the lab's callback secret. */
  const credentials = async (withLabSecret = true, withRecordKey = true) => {
    // An existing cluster's workers hold the deployment's record-signing key (docs/administrators.md "The
    // permanent record").
    if (withRecordKey) writeKeyPair(cluster as Parameters<typeof writeKeyPair>[0]);
    const admin = newApiKey('admin', 'first administrator').record;
    const lab = newApiKey('lab:acme', 'acme CI').record;
    await writeFile(cluster.API_KEYS_FILE, JSON.stringify({ version: 2, keys: [admin, lab] }), {
      mode: 0o600,
    });
    if (withLabSecret) {
      await writeFile(cluster.CALLBACK_SECRETS_FILE, JSON.stringify({ acme: ['a-secret-of-at-least-16'] }));
    }
  };

  it('names the key store and the bootstrap command when there is none', async () => {
    const exit = await start(cluster);
    assert.equal(exit.code, 1, exit.output);
    assert.equal(exit.lastLine.level, 60);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: API keys: no file at .*api-keys\.json; create the first administrator key with `npx frontier-review admin bootstrap`/,
    );
    await nothingLeft();
  });

  it('names the missing record-signing key, and the command that makes it', async () => {
    await credentials(true, false);
    const ring = () => JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    const exit = await start({ ...cluster, PAYLOAD_KEYS: ring(), NOTE_KEYS: ring() });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: record signing key: none at .*record-signing-key\.pem; create the pair with `npx frontier-review admin record-keys init`/,
    );
    await nothingLeft();
  });

  it('names the lab whose callbacks could not be signed, and the command that fixes it', async () => {
    await credentials(false);
    const exit = await start(cluster);
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: API keys: lab\(s\) acme have API keys but no callback secret .*`npx frontier-review admin lab-secret acme`/,
    );
    await nothingLeft();
  });

  it('names a namespace the cluster does not have', async () => {
    await credentials();
    const exit = await start({ ...cluster, TEMPORAL_NAMESPACE: 'no-such-namespace' });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: namespace: namespace no-such-namespace does not exist on /,
    );
    await nothingLeft();
  });

  it('names missing search attributes, and registers them when asked to', async () => {
    await credentials();
    const namespace = uniqueId('bare');
    await testServers().devConnection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const exit = await start({ ...cluster, TEMPORAL_NAMESPACE: namespace });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: search attributes: namespace \S+ lacks the search attributes ReviewStage, .*REGISTER_SEARCH_ATTRIBUTES=true/,
    );
    await nothingLeft();

    // Asked to register them, it registers them and comes up; Ctrl-C then stops it cleanly.
    const ring = () => JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    const again = await start(
      {
        ...cluster,
        TEMPORAL_NAMESPACE: namespace,
        REGISTER_SEARCH_ATTRIBUTES: 'true',
        PAYLOAD_KEYS: ring(),
        NOTE_KEYS: ring(),
      },
      'SIGINT',
    );
    // Stopped after draining, then ended by the signal itself, as a program interrupted by Ctrl-C is.
    // (The runtime may still log a line of its own after "stopped".)
    assert.match(again.output, /"msg":"stopped"/, again.output);
    assert.doesNotMatch(again.output, /"level":60/, 'nothing failed');
    assert.ok(again.code === 0 || again.signal === 'SIGINT', `exit ${again.code} ${again.signal}`);
    const registered = await testServers().devConnection.operatorService.listSearchAttributes({ namespace });
    assert.ok('ReviewStage' in (registered.customAttributes ?? {}));
    await nothingLeft();
  });

  it('names a port that is taken, before anything else starts', async () => {
    await credentials();
    const blocker = await occupy(Number(ports.TEMPORAL_RUNTIME_METRICS_PORT));
    try {
      const exit = await start(cluster);
      assert.equal(exit.code, 1, exit.output);
      assert.match(
        exit.lastLine.msg,
        /^start-up failed: runtime metrics port: 127\.0\.0\.1:\d+ is already in use .*TEMPORAL_RUNTIME_METRICS_PORT/,
      );
    } finally {
      await close(blocker);
    }
    await nothingLeft();
  });

  it('stops the embedded server it started when a later step fails, and says which step', async () => {
    const embeddedPort = await freePort();
    const embeddedUi = await freePort();
    await writeFile(path.join(dir, 'api-keys.json'), '{"version": 2, "keys": [{"principal": "root"}]}');
    const { TEMPORAL_ADDRESS: _cluster, ...local } = cluster;
    const exit = await start({
      ...local,
      EMBEDDED_TEMPORAL_PORT: String(embeddedPort),
      EMBEDDED_TEMPORAL_UI_PORT: String(embeddedUi),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.match(exit.lastLine.msg, /^start-up failed: API keys: API key file .* is not valid/, exit.output);
    assert.match(exit.output, /dev server ready/, 'the embedded server had started');
    assert.ok(await isFree(embeddedPort), 'the embedded server was stopped');
    assert.ok(await isFree(embeddedUi), 'and its UI');
    await nothingLeft();
  });
});

describe('an embedded server outlives no run of the main job (issue 16)', function () {
  this.timeout(180_000);
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'frontier-review-kill-'));
    // No runtime metrics and no identity provider: fewer ports for the dev server's own random one to meet.
    env = {
      DATA_DIR: dir,
      HTTP_PORT: String(await freePort()),
      TEMPORAL_RUNTIME_METRICS_PORT: '0',
      OIDC_DEV_PROVIDER_PORT: '0',
      EMBEDDED_TEMPORAL_PORT: String(await freePort()),
      EMBEDDED_TEMPORAL_UI_PORT: String(await freePort()),
    };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('stops the embedded server when the main job is killed outright, so the next start owns its data', async () => {
    const killed = await start(env, 'SIGKILL');
    assert.equal(killed.signal, 'SIGKILL', killed.output);
    const port = Number(env.EMBEDDED_TEMPORAL_PORT);
    const deadline = Date.now() + 30_000;
    while (!(await isFree(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(await isFree(port), 'the embedded server stopped after its parent was killed');
    assert.ok(await isFree(Number(env.EMBEDDED_TEMPORAL_UI_PORT)), 'and its UI');

    // The next start finds its data directory (keys and all) and a server of its own, and stops cleanly.
    const next = await start(env, 'SIGINT');
    assert.match(next.output, /dev server ready/, next.output);
    assert.match(next.output, /"msg":"stopped"/, next.output);
    assert.ok(next.code === 0 || next.signal === 'SIGINT', `exit ${next.code} ${next.signal}`);
    assert.ok(await isFree(port), 'stopped with the main job');
  });

  it('stops a server a previous run left on its data, says so, and starts a fresh one', async () => {
    // A previous run's server, still serving this data file on the embedded port, as its record says.
    const dbFile = path.join(dir, 'temporal.db');
    const leftover = await startDevServer({
      cliPath: await resolveTemporalCli(),
      ip: '127.0.0.1',
      port: Number(env.EMBEDDED_TEMPORAL_PORT),
      namespace: 'default',
      dbFile,
      logger: pino({ level: 'silent' }),
    });
    writeDevServerRecord(dir, { pid: leftover.pid, address: leftover.address, dbFile });

    const next = await start(env, 'SIGINT');
    assert.match(next.output, /a dev server a previous run left is still serving this data: stopping it/);
    assert.match(next.output, /dev server ready/, next.output);
    assert.ok(next.code === 0 || next.signal === 'SIGINT', `exit ${next.code} ${next.signal}`);
    const ended = await Promise.race([
      leftover.exited.then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('running'), 1_000)),
    ]);
    assert.equal(ended, 'stopped', 'the leftover was stopped');
    assert.ok(!existsSync(devServerRecordFile(dir)), 'a clean stop removes the record');
  });

  it('names a server it did not start on the embedded port instead of using it', async () => {
    const blocker = await occupy(Number(env.EMBEDDED_TEMPORAL_PORT));
    try {
      const exit = await start(env);
      assert.equal(exit.code, 1, exit.output);
      assert.match(
        exit.lastLine.msg,
        /^start-up failed: embedded Temporal ports: 127\.0\.0\.1:\d+ is already in use .*EMBEDDED_TEMPORAL_PORT/,
      );
    } finally {
      await close(blocker);
    }
  });
});
