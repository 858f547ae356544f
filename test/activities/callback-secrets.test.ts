import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  addLabSecret,
  CallbackSecrets,
  completeLabSecretRotation,
  labSecretState,
  rotateLabSecret,
} from '../../shared/node/callback-secrets';

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

  it("rotates one lab's secret: both sign until the rotation completes, and a second rotation replaces the new one", async () => {
    const file = path.join(dir, 'secrets.json');
    const old = await addLabSecret(file, 'acme');
    const other = await addLabSecret(file, 'globex');
    const secrets = CallbackSecrets.fromFile(file);
    assert.equal(await completeLabSecretRotation(file, 'acme'), false, 'no rotation under way');
    const lost = await rotateLabSecret(file, 'acme');
    const next = await rotateLabSecret(file, 'acme');
    assert.ok(lost !== undefined && next !== undefined && lost !== next && next !== old);
    assert.deepEqual(secrets.secretsFor('acme'), [old, next]);
    assert.deepEqual(labSecretState(file, 'acme'), { secrets: 2, rotating: true });
    assert.deepEqual(secrets.secretsFor('globex'), [other], "another lab's secret is untouched");
    assert.equal(await completeLabSecretRotation(file, 'acme'), true);
    assert.deepEqual(secrets.secretsFor('acme'), [next]);
    assert.deepEqual(labSecretState(file, 'acme'), { secrets: 1, rotating: false });
    assert.equal(
      await rotateLabSecret(file, 'initech'),
      undefined,
      'a lab without a secret is not given one',
    );
    assert.deepEqual(labSecretState(file, 'initech'), { secrets: 0, rotating: false });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });
});
