import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadClientKey } from '../../../shared/node/client-key';

/** Issue 38: the workbench's private key for `private_key_jwt` (WORKBENCH_CLIENT_KEY_FILE). */
describe('the workbench’s client key (private_key_jwt)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'client-key-'));
  const pemFile = (name: string, pem: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, pem);
    return file;
  };
  const pkcs8 = (type: 'rsa' | 'ec' | 'ed25519') => {
    const opts =
      type === 'rsa' ? { modulusLength: 2048 } : type === 'ec' ? { namedCurve: 'prime256v1' } : undefined;
    const { privateKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  };

  it('reads an RSA key to sign with RS256 (Login.gov’s) and an EC P-256 key with ES256, with its id', async () => {
    const rsa = await loadClientKey(pemFile('rsa.pem', pkcs8('rsa')), 'login-gov-1');
    assert.deepEqual([rsa.key.algorithm.name, rsa.kid], ['RSASSA-PKCS1-v1_5', 'login-gov-1']);
    const ec = await loadClientKey(pemFile('ec.pem', pkcs8('ec')));
    assert.deepEqual([ec.key.algorithm.name, ec.kid], ['ECDSA', undefined]);
  });

  it('refuses a key of another kind, and a file that holds no key, naming the file', async () => {
    const ed = pemFile('ed.pem', pkcs8('ed25519'));
    await assert.rejects(
      loadClientKey(ed),
      (err: Error) => err.message.includes(ed) && /RSA or EC P-256/.test(err.message),
    );
    const junk = pemFile('junk.pem', 'not a key');
    await assert.rejects(loadClientKey(junk), (err: Error) =>
      err.message.startsWith(`WORKBENCH_CLIENT_KEY_FILE ${junk}:`),
    );
    await assert.rejects(loadClientKey(path.join(dir, 'absent.pem')), /ENOENT/);
  });
});
