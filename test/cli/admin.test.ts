import assert from 'node:assert/strict';
import { tokenOf } from '../helpers/sign-in';
import { registerPasskey } from '../gateway/software-passkey';
import { generateKeyPairSync } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { publicJwkOf } from '../../shared/node/act-statement';
import { ApiKeys } from '../../shared/node/api-keys';
import { uniqueId } from '../helpers/workers';
import { openLiveApi, rowOf, runCli, scratch, succeeded, type LiveApi, exited } from './support';

describe('cli: administration', () => {
  let api: LiveApi;
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('bootstraps the first administrator key into a 0600 file, never on the screen, and only once', async () => {
    const store = path.join(scratch, `${uniqueId('store')}.json`);
    const out = path.join(scratch, `${uniqueId('admin')}.key`);
    const env = { API_KEYS_FILE: store };
    const first = succeeded(await runCli(['admin', 'bootstrap', '--out', out, '--holder', 'Jane Doe'], env));
    const key = (await readFile(out, 'utf8')).trim();
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    assert.ok(!first.includes(key), 'the key is never printed');
    const record = ApiKeys.open(store).find(key)!;
    assert.match(
      first,
      new RegExp(`^Administrator key ${record.id} written to ${out} \\(mode 0600\\)\\.\\n`),
    );
    const again = await runCli(['admin', 'bootstrap', '--out', `${out}.2`], env);
    exited(again, 2, again.stderr);
    assert.match(again.stderr, /already has an active administrator key/);
  });

  it('creates the key rings and a lab’s callback secret on the host, each once', async () => {
    const dataDir = path.join(scratch, uniqueId('data'));
    const secrets = path.join(scratch, `${uniqueId('secrets')}.json`);
    const env = { DATA_DIR: dataDir, CALLBACK_SECRETS_FILE: secrets };
    assert.equal(
      succeeded(await runCli(['admin', 'encryption', 'init'], env)),
      'payload key ring: created (1 key(s))\nnote key ring: created (1 key(s))\n',
    );
    assert.equal((await stat(path.join(dataDir, 'keys', 'payload-keys.json'))).mode & 0o777, 0o600);
    assert.match(succeeded(await runCli(['admin', 'encryption', 'init'], env)), /^payload key ring: kept/);

    const made = succeeded(await runCli(['admin', 'lab-secret', 'acme'], env));
    const secret = /\n {2}(\S+)\n$/.exec(made)![1];
    assert.deepEqual(JSON.parse(await readFile(secrets, 'utf8')), { acme: [secret] });
    const again = await runCli(['admin', 'lab-secret', 'acme'], env);
    exited(again, 2);
    assert.match(again.stderr, /lab acme already has a callback secret/);
  });

  it('issues, lists, rotates and revokes keys, adds a lab, and reads the access log', async () => {
    const { admin } = api.gw.parties;
    const issued = succeeded(await api.as(admin, 'keys', 'issue', 'agency:DOE', '--holder', 'DOE pipeline'));
    const [, id] = /^Issued (key_\w+) to DOE pipeline as agency:DOE\./.exec(issued)!;
    const key = /\n {2}(frk_\S+)\n/.exec(issued)![1];
    assert.equal(api.gw.files.apiKeys.find(key)?.id, id);

    // DOE's system signs its acts with a key of its own (issue 36); a rotation carries it to the new API key.
    const pem = path.join(scratch, 'doe-desk.pub.pem');
    const pair = generateKeyPairSync('ed25519');
    await writeFile(pem, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const { id: signingKeyId } = await publicJwkOf(pair.publicKey);
    const registered = succeeded(await api.as(admin, 'keys', 'add-signing-key', id, '--public-key', pem));
    assert.equal(registered, `Signing key ${signingKeyId} registered for ${id} (DOE pipeline, agency:DOE)\n`);
    const notAKey = await api.as(
      admin,
      'keys',
      'add-signing-key',
      id,
      '--public-key',
      path.join(scratch, 'none.pem'),
    );
    exited(notAKey, 2);
    assert.match(notAKey.stderr, /--public-key: not an Ed25519 public key/);

    const rotated = succeeded(await api.as(admin, 'keys', 'rotate', id, '--overlap-hours', '2'));
    assert.match(rotated, new RegExp(`The previous key ${id} stays valid until `));
    const carriers = () =>
      api.gw.files.apiKeys
        .list()
        .filter((k) => k.signingKeys?.some((s) => s.id === signingKeyId && s.revokedAt === undefined))
        .map((k) => k.holder);
    assert.deepEqual(carriers(), ['DOE pipeline', 'DOE pipeline']);
    assert.equal(
      succeeded(await api.as(admin, 'keys', 'revoke-signing-key', signingKeyId)).startsWith(
        `Signing key ${signingKeyId} revoked (on ${id}, key_`,
      ),
      true,
    );
    assert.deepEqual(carriers(), []);

    // A reviewer's passkey, listed and revoked by the administrator (a person who left).
    const { device } = await registerPasskey(api.gw, await tokenOf('nsa'));
    const passkeys = succeeded(await api.as(admin, 'keys', 'passkeys'));
    assert.ok(passkeys.includes(`${device.id}  NSA reviewer (`), passkeys);
    assert.equal(
      succeeded(await api.as(admin, 'keys', 'revoke-passkey', device.id)).startsWith(
        `Passkey ${device.id} of NSA reviewer revoked at `,
      ),
      true,
    );
    assert.match(succeeded(await api.as(admin, 'keys', 'passkeys')), /, revoked /);
    // A credential id may begin with '-' (base64url): it is the passkey's id, never an option (a random one did
    // once, and the command refused it as an unknown option).
    const dashed = await api.as(admin, 'keys', 'revoke-passkey', '-tWxztS5T7_FToL_Y26fQg');
    exited(dashed, 1);
    assert.match(dashed.stderr, /PASSKEY_NOT_FOUND/);
    const listed = succeeded(await api.as(admin, 'keys', 'list'));
    assert.deepEqual(rowOf(listed, id).slice(0, 4), [id, 'agency:DOE', 'DOE pipeline', 'ACTIVE']);
    succeeded(await api.as(admin, 'keys', 'revoke', id));
    assert.deepEqual(rowOf(succeeded(await api.as(admin, 'keys', 'list')), id)[3], 'REVOKED');

    const labId = uniqueId('lab');
    const added = succeeded(await api.as(admin, 'labs', 'add', labId, '--holder', 'lab CI'));
    const secret = /Callback secret .*\n {2}(\S+)\n/.exec(added)![1];
    const secrets = JSON.parse(await readFile(api.gw.files.callbackSecretsFile, 'utf8')) as Record<
      string,
      string[]
    >;
    assert.deepEqual(secrets[labId], [secret]);

    // The lab's people, as the identity provider names them (issue 38).
    const issuer = 'https://secure.login.gov';
    const as = ['--as', `lab:${labId}`];
    const enrol = ['people', 'enrol', issuer, 'person-1', ...as, '--name', 'Ada Filer', '--security-contact'];
    assert.equal(
      succeeded(await api.as(admin, ...enrol)),
      `Enrolled person-1 at ${issuer} as lab:${labId}\n`,
    );
    const person = rowOf(succeeded(await api.as(admin, 'people', 'list')), `lab:${labId}`);
    assert.deepEqual([person[1], person[2], person[3], person[4]], ['Ada Filer', issuer, 'person-1', 'yes']);
    assert.equal(
      succeeded(await api.as(admin, 'people', 'remove', issuer, 'person-1', ...as)),
      `Removed person-1 at ${issuer} from lab:${labId}\n`,
    );

    const log = succeeded(await api.as(admin, 'access-log'));
    for (const action of [
      'KEY_ISSUED',
      'KEY_ROTATED',
      'KEY_REVOKED',
      'LAB_ADDED',
      'SIGNING_KEY_REGISTERED',
      'SIGNING_KEY_REVOKED',
      'PERSON_ENROLLED',
      'PERSON_REMOVED',
    ]) {
      assert.match(log, new RegExp(`admin +key_\\w+ +${action}`), action);
    }
  });
});
