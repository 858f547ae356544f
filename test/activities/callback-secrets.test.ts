import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addLabSecret, CallbackSecrets } from '../../shared/node/callback-secrets';

describe('callback secrets (the store the delivery activity signs with)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'callback-secrets-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is an error, never an empty store, when its file is missing', () => {
    const secrets = CallbackSecrets.fromFile(path.join(dir, 'missing.json'));
    assert.throws(() => secrets.secretsFor('acme'), /no callback secrets file at .*missing\.json/);
  });

  it('signs for a lab added after it was opened, without a restart, and adds each lab once', async () => {
    const file = path.join(dir, 'secrets.json');
    const first = await addLabSecret(file, 'acme');
    const secrets = CallbackSecrets.fromFile(file);
    assert.deepEqual(secrets.secretsFor('acme'), [first]);
    assert.deepEqual(secrets.secretsFor('globex'), []);
    const second = await addLabSecret(file, 'globex');
    assert.deepEqual(secrets.secretsFor('globex'), [second]);
    assert.equal(await addLabSecret(file, 'acme'), undefined, 'a lab that has a secret keeps it');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { acme: [first], globex: [second] });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });
});
