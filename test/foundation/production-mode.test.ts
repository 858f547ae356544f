import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newApiKey } from '../../shared/node/api-keys';
import { checkListeningAddresses, ConfigError, loadConfig } from '../../shared/node/config';
import { freePort } from '../../shared/node/dev-server';
import { writeKeyPair } from '../../shared/node/record-keys';
import { close, isFree, occupy, startMain } from '../helpers/main-job';
import { testServers } from '../setup/servers';

/**
 * Issue 34, item 6: development mode only when asked. With NODE_ENV=production the main job still runs its
 * embedded Temporal server (a small deployment on local disk) but makes no development key, prints no key, runs
 * no development identity provider, and refuses to start when configured to allow unsafe callbacks.
 * Development mode refuses to listen beyond loopback unless told so in words (`--listen-publicly`).
 */

/** What a key looks like when printed: an API key, a callback secret. */
const KEY_TEXT = /frk_[A-Za-z0-9_-]{20,}|whsec_[A-Za-z0-9+/=]{20,}/;
const DEVELOPMENT_TEXT = [
  'Development API keys',
  'development identity provider',
  'Callback secret of',
  'created development key rings',
  'callback development mode is on',
];

describe('development mode only when asked (issue 34)', function () {
  this.timeout(120_000);
  let dir: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'frontier-review-production-'));
    // The embedded default, on ports of this test's own; no runtime metrics (one port fewer to meet).
    env = {
      DATA_DIR: dir,
      HTTP_PORT: String(await freePort()),
      TEMPORAL_RUNTIME_METRICS_PORT: '0',
      OIDC_DEV_PROVIDER_PORT: String(await freePort()),
      EMBEDDED_TEMPORAL_PORT: String(await freePort()),
      EMBEDDED_TEMPORAL_UI_PORT: String(await freePort()),
    };
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const printsNothingOfDevelopment = (output: string) => {
    assert.doesNotMatch(output, KEY_TEXT, 'no key is printed');
    for (const text of DEVELOPMENT_TEXT) assert.ok(!output.includes(text), `"${text}" in:\n${output}`);
  };

  it('in production, makes no development key: the first administrator key comes from `admin bootstrap`', async () => {
    const exit = await startMain({ ...env, NODE_ENV: 'production' });
    assert.equal(exit.code, 1, exit.output);
    assert.match(
      exit.lastLine.msg,
      /^start-up failed: API keys: no file at .*api-keys\.json; create the first administrator key with `npx frontier-review admin bootstrap/,
    );
    printsNothingOfDevelopment(exit.output);
    for (const file of ['api-keys.json', 'callback-secrets.json', 'keys'])
      assert.ok(!existsSync(path.join(dir, file)), `${file} was not created`);
    assert.ok(
      await isFree(Number(env.EMBEDDED_TEMPORAL_PORT)),
      'it failed before starting the embedded server',
    );
  });

  it('in production, runs the embedded server with the keys it is given, and no development identity provider', async () => {
    const admin = newApiKey('admin', 'first administrator');
    const keysFile = path.join(dir, 'api-keys.json');
    await writeFile(keysFile, JSON.stringify({ version: 2, keys: [admin.record] }), { mode: 0o600 });
    await writeFile(path.join(dir, 'callback-secrets.json'), '{}', { mode: 0o600 });
    writeKeyPair({
      RECORD_SIGNING_KEY_FILE: path.join(dir, 'keys', 'record-signing-key.pem'),
      RECORD_VERIFYING_KEY_FILE: path.join(dir, 'keys', 'record-verifying-key.pem'),
    });
    const ring = () => JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    const exit = await startMain(
      { ...env, NODE_ENV: 'production', PAYLOAD_KEYS: ring(), NOTE_KEYS: ring() },
      'SIGINT',
      {
        whenUp: async () => {
          const me = await fetch(`http://127.0.0.1:${env.HTTP_PORT}/v1/me`, {
            headers: { authorization: `Bearer ${admin.key}` },
          });
          assert.equal(me.status, 200, 'the gateway answers the deployment’s own key');
          assert.ok(
            await isFree(Number(env.OIDC_DEV_PROVIDER_PORT)),
            'no development identity provider listens',
          );
        },
      },
    );
    assert.match(exit.output, /dev server ready/, 'the embedded server ran');
    assert.match(exit.output, /"msg":"stopped"/, exit.output);
    assert.ok(exit.code === 0 || exit.signal === 'SIGINT', `exit ${exit.code} ${exit.signal}`);
    printsNothingOfDevelopment(exit.output);
    const stored = JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: { principal: string }[] };
    assert.deepEqual(
      stored.keys.map((k) => k.principal),
      ['admin'],
      'no development key was added',
    );
  });

  it('in production, refuses to start when callbacks may go to http or non-public addresses', async () => {
    // On an existing cluster too: the refusal is the configuration's, before anything starts.
    const exit = await startMain({
      ...env,
      NODE_ENV: 'production',
      CALLBACK_ALLOW_INSECURE: 'true',
      TEMPORAL_ADDRESS: testServers().dev.address,
    });
    assert.equal(exit.code, 2, exit.output);
    assert.match(
      exit.output,
      /Invalid configuration:\n {2}- CALLBACK_ALLOW_INSECURE: callbacks to http and non-public addresses are refused with NODE_ENV=production/,
    );
  });

  it('in development, listens beyond loopback only when told so in words', async () => {
    // The embedded port is taken, so a start that got past the address check fails there at once.
    const blocker = await occupy(Number(env.EMBEDDED_TEMPORAL_PORT));
    try {
      const exit = await startMain({ ...env, HTTP_HOST: '0.0.0.0', EMBEDDED_TEMPORAL_IP: '::' });
      assert.equal(exit.code, 1, exit.output);
      assert.match(
        exit.lastLine.msg,
        /^start-up failed: listening address: development mode listens on loopback only, and HTTP_HOST=0\.0\.0\.0, EMBEDDED_TEMPORAL_IP=:: is beyond it: .* start with --listen-publicly \(LISTEN_PUBLICLY=true\)/,
      );
      printsNothingOfDevelopment(exit.output);
    } finally {
      await close(blocker);
    }
    // Told so in words, it goes on to its next step (here: a port that is taken). LISTEN_PUBLICLY=true is the
    // same (below).
    const http = await occupy(Number(env.HTTP_PORT), '0.0.0.0');
    try {
      const exit = await startMain({ ...env, HTTP_HOST: '0.0.0.0' }, undefined, {
        args: ['--listen-publicly'],
      });
      assert.equal(exit.code, 1, exit.output);
      assert.match(exit.lastLine.msg, /^start-up failed: HTTP port: 0\.0\.0\.0:\d+ is already in use/);
    } finally {
      await close(http);
    }
  });
});

describe('which addresses development mode listens on (issue 34)', () => {
  const development = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'development', ...env });

  it('refuses any address beyond loopback, naming the setting', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'frontier.internal'])
      assert.throws(
        () => checkListeningAddresses(development({ HTTP_HOST: host })),
        new RegExp(
          `^Error: development mode listens on loopback only, and HTTP_HOST=${host.replace(/\./g, '\\.')} is beyond it`,
        ),
        host,
      );
  });

  it('listens on loopback by any of its names, or beyond it when told so, or outside development mode', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1'])
      assert.doesNotThrow(() =>
        checkListeningAddresses(development({ HTTP_HOST: host, EMBEDDED_TEMPORAL_IP: host })),
      );
    const told: Record<string, string>[] = [
      { HTTP_HOST: '0.0.0.0', LISTEN_PUBLICLY: 'true' },
      { HTTP_HOST: '0.0.0.0', NODE_ENV: 'production' },
      { HTTP_HOST: '0.0.0.0', TEMPORAL_ADDRESS: 'temporal.internal:7233' },
    ];
    for (const env of told)
      assert.doesNotThrow(() => checkListeningAddresses(development(env)), JSON.stringify(env));
  });

  it('refuses insecure callbacks in production as a configuration error, and allows them in development', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', CALLBACK_ALLOW_INSECURE: 'true' }),
      (err: unknown) =>
        err instanceof ConfigError && err.problems.some((p) => p.startsWith('CALLBACK_ALLOW_INSECURE: ')),
    );
    assert.equal(
      loadConfig({ NODE_ENV: 'development', CALLBACK_ALLOW_INSECURE: 'true' }).CALLBACK_ALLOW_INSECURE,
      true,
    );
  });
});
