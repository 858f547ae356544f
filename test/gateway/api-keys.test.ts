import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { gatewayApiKeys } from '../../gateway/keys';
import { addApiKeys, DEVELOPMENT_PRINCIPALS, hashApiKey, loadApiKeys } from '../../shared/node/api-keys';

describe('gateway: API keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'api-keys-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('creates one development key per principal on first start and stores only their hashes', async () => {
    const file = path.join(dir, 'keys.json');
    const { keys, created } = await loadApiKeys(file, true);
    assert.deepEqual(
      created.map((c) => c.principal),
      DEVELOPMENT_PRINCIPALS,
    );
    const text = await readFile(file, 'utf8');
    for (const c of created) {
      assert.ok(!text.includes(c.key), 'no plaintext key in the file');
      assert.ok(text.includes(hashApiKey(c.key)));
      assert.equal(keys.find(c.key)?.principal, c.principal);
    }
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(keys.find('frk_unknown'), undefined);

    const again = await loadApiKeys(file, true);
    assert.deepEqual(again.created, [], 'keys are created once');
    assert.equal(again.keys.size, DEVELOPMENT_PRINCIPALS.length);
  });

  it('refuses to start without a key file unless development keys may be created', async () => {
    const file = path.join(dir, 'missing.json');
    await assert.rejects(
      loadApiKeys(file, false),
      /does not exist: create keys with `npx frontier-review admin keys add/,
    );
    await writeFile(file, JSON.stringify({ version: 1, keys: [{ principal: 'root' }] }));
    await assert.rejects(loadApiKeys(file, false), /is not valid/);
  });

  it('adds a key to an existing file without touching the others', async () => {
    const file = path.join(dir, 'keys.json');
    const [first] = await addApiKeys(file, [{ principal: 'lab:acme', label: 'acme CI' }]);
    const [second] = await addApiKeys(file, [{ principal: 'agency:NSA' }]);
    const { keys } = await loadApiKeys(file, false);
    assert.equal(keys.find(first.key)?.principal, 'lab:acme');
    assert.equal(keys.find(second.key)?.principal, 'agency:NSA');
  });

  it('prints the development keys once, with how to use them', async () => {
    const out: string[] = [];
    const config = { API_KEYS_FILE: path.join(dir, 'keys.json'), HTTP_HOST: '127.0.0.1', HTTP_PORT: 3000 };
    const logger = pino({ level: 'silent' });
    const keys = await gatewayApiKeys(config, logger, true, (t) => out.push(t));
    const printed = out.join('');
    const shown = [...printed.matchAll(/frk_[A-Za-z0-9_-]+/g)].map((m) => m[0]);
    assert.equal(new Set(shown).size, DEVELOPMENT_PRINCIPALS.length);
    for (const k of shown) assert.ok(keys.find(k) !== undefined);
    assert.match(printed, /curl -H "Authorization: Bearer frk_[^"]+" http:\/\/127\.0\.0\.1:3000\/v1\/me/);
    await gatewayApiKeys(config, logger, true, (t) => out.push(t));
    assert.equal(out.length, 1, 'nothing printed on the next start');
  });
});
