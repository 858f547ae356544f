import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { gatewayApiKeys } from '../../gateway/keys';
import {
  ApiKeys,
  bootstrapAdmin,
  DEVELOPMENT_PRINCIPALS,
  hashApiKey,
  loadApiKeys,
  newApiKey,
} from '../../shared/node/api-keys';

/** The key store as files on one host: each ApiKeys is a gateway (or the CLI) reading the same file. */
describe('gateway: the API key store', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'api-keys-'));
    file = path.join(dir, 'keys.json');
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('creates one development key per principal on first start, an administrator too, storing only hashes', async () => {
    const { keys, created } = await loadApiKeys(file, true);
    assert.deepEqual(
      created.map((c) => c.principal),
      DEVELOPMENT_PRINCIPALS,
    );
    assert.ok(DEVELOPMENT_PRINCIPALS.includes('admin'));
    const text = await readFile(file, 'utf8');
    for (const c of created) {
      assert.ok(!text.includes(c.key), 'no plaintext key in the file');
      assert.ok(text.includes(hashApiKey(c.key)));
      assert.equal(keys.find(c.key)?.principal, c.principal);
    }
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(keys.lookup('frk_unknown'), { ok: false, reason: 'UNKNOWN' });

    const again = await loadApiKeys(file, true);
    assert.deepEqual(again.created, [], 'keys are created once');
    assert.equal(again.keys.size, DEVELOPMENT_PRINCIPALS.length);
  });

  it('refuses to start without a key store outside the embedded default, naming the bootstrap command', async () => {
    await assert.rejects(
      loadApiKeys(file, false),
      /API keys: no file at .*keys\.json; create the first administrator key with `npx frontier-review admin bootstrap`/,
    );
    await writeFile(file, JSON.stringify({ version: 2, keys: [{ principal: 'root' }] }));
    await assert.rejects(loadApiKeys(file, false), /is not valid/);
  });

  it('reads release 1’s key file: its keys keep working, held by their label', async () => {
    const { key, record } = newApiKey('lab:acme', 'x');
    const v1 = {
      id: record.id,
      principal: 'lab:acme',
      sha256: record.sha256,
      label: 'acme CI',
      createdAt: record.createdAt,
    };
    await writeFile(file, JSON.stringify({ version: 1, keys: [v1] }));
    const keys = ApiKeys.open(file);
    assert.deepEqual([keys.find(key)?.principal, keys.find(key)?.holder], ['lab:acme', 'acme CI']);
  });

  it('refuses a revoked key on the first lookup after the revocation, in every reader of the file', async () => {
    const gateway = await ApiKeys.create(file, []);
    const cli = ApiKeys.open(file);
    const { key, record } = await cli.issue('lab:acme', 'acme CI', 'admin');
    assert.equal(gateway.find(key)?.id, record.id, 'a new key works at once, without a restart');
    const revoked = await cli.revoke(record.id, 'admin');
    assert.ok(revoked.revokedAt !== undefined);
    assert.deepEqual(gateway.lookup(key), { ok: false, reason: 'REVOKED' });
    await assert.rejects(cli.revoke(record.id, 'admin'), { code: 'KEY_NOT_ACTIVE' });
    await assert.rejects(cli.revoke('key_doesnotexist', 'admin'), { code: 'KEY_NOT_FOUND' });
  });

  it('rotates a key with both valid for the overlap, then only the new one', async () => {
    const keys = await ApiKeys.create(file, []);
    const old = await keys.issue('agency:NSA', 'NSA pipeline', 'admin');
    const rotated = await keys.rotate(old.record.id, 'admin', 60_000);
    assert.equal(rotated.record.replaces, old.record.id);
    assert.deepEqual([rotated.record.principal, rotated.record.holder], ['agency:NSA', 'NSA pipeline']);
    assert.equal(keys.find(old.key)?.id, old.record.id, 'the old key still works in the overlap');
    assert.equal(keys.find(rotated.key)?.id, rotated.record.id);
    const end = Date.parse(rotated.previous.expiresAt!);
    assert.deepEqual(keys.lookup(old.key, end + 1), { ok: false, reason: 'EXPIRED' });
    assert.equal(keys.lookup(rotated.key, end + 1).ok, true);
  });

  it('expires a key at the time set, and refuses an expiry in the past', async () => {
    const keys = await ApiKeys.create(file, []);
    const { key, record } = await keys.issue('ops', 'night shift', 'admin');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    assert.equal((await keys.expire(record.id, at)).expiresAt, at);
    assert.equal(keys.lookup(key).ok, true);
    assert.deepEqual(keys.lookup(key, Date.parse(at)), { ok: false, reason: 'EXPIRED' });
    await assert.rejects(keys.expire(record.id, '2020-01-01T00:00:00.000Z'), { code: 'EXPIRY_IN_THE_PAST' });
  });

  it('bootstraps the first administrator key into a 0600 file, once', async () => {
    const out = path.join(dir, 'admin.key');
    const { id } = await bootstrapAdmin(file, out, 'Jane Doe');
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const key = (await readFile(out, 'utf8')).trim();
    const found = ApiKeys.open(file).find(key);
    assert.deepEqual([found?.id, found?.principal, found?.holder], [id, 'admin', 'Jane Doe']);
    await assert.rejects(
      bootstrapAdmin(file, path.join(dir, 'second.key'), 'x'),
      /already has an active administrator key/,
    );
  });

  it('prints the development keys once, with how to use them', async () => {
    const out: string[] = [];
    const config = { API_KEYS_FILE: file, HTTP_HOST: '127.0.0.1', HTTP_PORT: 3000 };
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
