import assert from 'node:assert/strict';
import {
  checkCallbackUrlSyntax,
  isPublicAddress,
  pinnedLookup,
  validateCallbackUrl,
} from '../../../shared/node/callback-url';

const production = { allowInsecure: false };
const development = { allowInsecure: true };

describe('isPublicAddress', () => {
  const nonPublic = [
    '127.0.0.1',
    '127.255.255.254',
    '::1',
    '169.254.169.254',
    'fe80::1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    'fc00::1',
    'fd12:3456::1',
    '0.0.0.0',
    '::',
    '100.64.0.1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '2002:7f00:1::1', // 6to4
    '2001::1', // Teredo
    'fec0::1', // site-local
    '100::1', // discard
    '2001:db8::1', // documentation
    '192.0.2.1', // TEST-NET-1
    '198.51.100.7', // TEST-NET-2
    '203.0.113.9', // TEST-NET-3
    '198.18.0.1', // benchmarking
    'not-an-ip',
  ];
  for (const ip of nonPublic) {
    it(`treats ${ip} as not public`, () => {
      assert.equal(isPublicAddress(ip), false);
    });
  }

  for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    it(`treats ${ip} as public`, () => {
      assert.equal(isPublicAddress(ip), true);
    });
  }
});

describe('checkCallbackUrlSyntax', () => {
  it('rejects a string that is not an absolute URL', () => {
    assert.deepEqual(checkCallbackUrlSyntax('/callbacks', production), {
      ok: false,
      code: 'CALLBACK_URL_INVALID',
      message: 'callback URL is not a valid absolute URL',
    });
  });

  it('requires https outside development', () => {
    assert.deepEqual(checkCallbackUrlSyntax('http://lab.example/callbacks', production), {
      ok: false,
      code: 'CALLBACK_URL_INSECURE',
      message: 'callback URL must use https',
    });
  });

  it('rejects schemes other than http and https even in development', () => {
    assert.deepEqual(checkCallbackUrlSyntax('ftp://lab.example/', development), {
      ok: false,
      code: 'CALLBACK_URL_INVALID',
      message: 'callback URL scheme must be https, got ftp:',
    });
  });

  it('rejects credentials in the URL', () => {
    assert.deepEqual(checkCallbackUrlSyntax('https://user:pass@lab.example/callbacks', production), {
      ok: false,
      code: 'CALLBACK_URL_INVALID',
      message: 'callback URL must not contain credentials',
    });
  });

  it('accepts a subdomain of a wildcard allow-list entry', () => {
    const result = checkCallbackUrlSyntax('https://hooks.lab.example/cb', {
      ...production,
      allowedHosts: ['*.lab.example'],
    });
    assert.equal(result.ok && result.url.href, 'https://hooks.lab.example/cb');
  });

  it('does not let a wildcard entry match the bare suffix', () => {
    const result = checkCallbackUrlSyntax('https://lab.example/cb', {
      ...production,
      allowedHosts: ['*.lab.example'],
    });
    assert.deepEqual(result, {
      ok: false,
      code: 'CALLBACK_URL_HOST_NOT_ALLOWED',
      message: 'callback host lab.example is not on the allow-list',
    });
  });

  it('does not let a wildcard entry match a host that merely ends with the same letters', () => {
    const result = checkCallbackUrlSyntax('https://evillab.example/cb', {
      ...production,
      allowedHosts: ['*.lab.example'],
    });
    assert.equal(!result.ok && result.code, 'CALLBACK_URL_HOST_NOT_ALLOWED');
  });

  it('matches an exact allow-list entry regardless of case', () => {
    const result = checkCallbackUrlSyntax('https://Hooks.Lab.Example/cb', {
      ...production,
      allowedHosts: ['hooks.lab.example'],
    });
    assert.equal(result.ok && result.url.href, 'https://hooks.lab.example/cb');
  });

  it('rejects a private IP literal outside development', () => {
    assert.deepEqual(checkCallbackUrlSyntax('https://10.0.0.5/cb', production), {
      ok: false,
      code: 'CALLBACK_URL_PRIVATE_ADDRESS',
      message: 'callback host 10.0.0.5 is not a public address (Private-Use, 10.0.0.0/8)',
    });
  });

  it('rejects loopback written as a single decimal number', () => {
    const result = checkCallbackUrlSyntax('https://2130706433/cb', production);
    assert.equal(!result.ok && result.code, 'CALLBACK_URL_PRIVATE_ADDRESS');
  });

  it('rejects an IPv4-mapped IPv6 loopback literal', () => {
    const result = checkCallbackUrlSyntax('https://[::ffff:127.0.0.1]/cb', production);
    assert.equal(!result.ok && result.code, 'CALLBACK_URL_PRIVATE_ADDRESS');
  });
});

describe('validateCallbackUrl', () => {
  it('accepts a public IP literal over https', async () => {
    const result = await validateCallbackUrl('https://8.8.8.8/cb', production);
    assert.equal(result.ok && result.url.href, 'https://8.8.8.8/cb');
  });

  it('allows http to a loopback address in development', async () => {
    const result = await validateCallbackUrl('http://127.0.0.1:4000/cb', development);
    assert.equal(result.ok && result.url.href, 'http://127.0.0.1:4000/cb');
  });

  it('rejects the link-local metadata address', async () => {
    const result = await validateCallbackUrl('https://169.254.169.254/latest', production);
    assert.equal(!result.ok && result.code, 'CALLBACK_URL_PRIVATE_ADDRESS');
  });

  it('rejects the IPv6 loopback literal', async () => {
    const result = await validateCallbackUrl('https://[::1]/cb', production);
    assert.equal(!result.ok && result.code, 'CALLBACK_URL_PRIVATE_ADDRESS');
  });

  it('rejects a host name that resolves to loopback', async () => {
    assert.deepEqual(await validateCallbackUrl('https://localhost/cb', production), {
      ok: false,
      code: 'CALLBACK_URL_PRIVATE_ADDRESS',
      message: 'callback host localhost does not resolve to a public address',
    });
  });
});

describe('allowed ports and the pinned connection', () => {
  it('refuses a port outside the allowed list unless in development', () => {
    assert.deepEqual(checkCallbackUrlSyntax('https://lab.example:8443/hook', production), {
      ok: false,
      code: 'CALLBACK_URL_PORT_NOT_ALLOWED',
      message: 'callback port 8443 is not allowed',
    });
    assert.equal(
      checkCallbackUrlSyntax('https://lab.example:8443/hook', { ...production, allowedPorts: [443, 8443] })
        .ok,
      true,
    );
    assert.equal(checkCallbackUrlSyntax('http://127.0.0.1:4000/hook', development).ok, true);
  });

  it('connects only to a public address, checked as the connection is made (no DNS rebinding)', async () => {
    const lookup = pinnedLookup(false);
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('localhost', {}, (err) => resolve(err)),
    );
    assert.equal(error?.code, 'ENOTPUBLIC');
    assert.equal(error?.message, 'callback host localhost does not resolve to a public address');
    const allowed = await new Promise<string>((resolve, reject) =>
      pinnedLookup(true)('localhost', {}, (err, address) => (err ? reject(err) : resolve(address as string))),
    );
    assert.match(allowed, /^(127\.0\.0\.1|::1)$/);
  });
});
