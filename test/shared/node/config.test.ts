import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../../shared/node/config';

describe('configuration', () => {
  it('keeps everything the product writes in DATA_DIR unless a file is configured elsewhere', () => {
    const moved = loadConfig({ DATA_DIR: '/var/lib/frontier-review' });
    assert.deepEqual(
      [moved.API_KEYS_FILE, moved.CALLBACK_SECRETS_FILE, moved.ACCESS_LOG_FILE],
      [
        '/var/lib/frontier-review/api-keys.json',
        '/var/lib/frontier-review/callback-secrets.json',
        '/var/lib/frontier-review/access-log.jsonl',
      ],
    );
    const defaults = loadConfig({});
    assert.equal(defaults.API_KEYS_FILE, '.data/api-keys.json');
    const own = loadConfig({ DATA_DIR: '/srv/data', API_KEYS_FILE: '/etc/frontier-review/keys.json' });
    assert.equal(own.API_KEYS_FILE, '/etc/frontier-review/keys.json');
    assert.equal(own.CALLBACK_SECRETS_FILE, '/srv/data/callback-secrets.json');
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => loadConfig({ HTTP_PORT: 'eighty', CALLBACK_TIMEOUT_MS: '-1' }),
      (err: unknown) => err instanceof ConfigError && err.problems.length === 2,
    );
  });
});
