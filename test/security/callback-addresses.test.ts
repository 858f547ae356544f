import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import ipaddr from 'ipaddr.js';
import { caseIdOf, reviewWorkflowId } from '../../shared/domain/review/workflow';
import {
  checkCallbackUrlSyntax,
  isPublicAddress,
  nonPublicReason,
  type CallbackUrlOptions,
} from '../../shared/node/callback-url';
import ipv4Registry from '../../shared/node/iana/ipv4-special-registry.json';
import ipv6Registry from '../../shared/node/iana/ipv6-special-registry.json';
import { assertProblem, file, filing, read, withGateway, type Gateway } from '../gateway/support';
import { uniqueId } from '../helpers/workers';

/**
 * Issue 34, items 8 and 11: callback addresses are checked at the door against IANA's special-purpose address
 * registries (checked in as data), every form that reaches a non-public address included, and an unsafe URL
 * is refused at filing and at endpoint change with 422 CALLBACK_URL_UNSAFE naming the field, changing nothing.
 */

const production: CallbackUrlOptions = { allowInsecure: false };
const PRIVATE = 'CALLBACK_URL_PRIVATE_ADDRESS';

/** Every unsafe form, with the rule that refuses it; the address forms each reach a non-public address. */
const UNSAFE: [url: string, rule: string][] = [
  ['http://callbacks.acme.example/x', 'CALLBACK_URL_INSECURE'],
  ['https://callbacks.acme.example:8443/x', 'CALLBACK_URL_PORT_NOT_ALLOWED'],
  ['https://user:secret@callbacks.acme.example/x', 'CALLBACK_URL_INVALID'],
  ['https://127.0.0.1/x', PRIVATE],
  ['https://0x7f.1/x', PRIVATE], // 127.0.0.1 in hexadecimal and short form
  ['https://2130706433/x', PRIVATE], // 127.0.0.1 as one number
  ['https://10.0.0.5/x', PRIVATE],
  ['https://100.64.0.1/x', PRIVATE], // shared address space (carrier-grade NAT)
  ['https://169.254.169.254/latest/meta-data', PRIVATE], // cloud metadata
  ['https://224.0.0.1/x', PRIVATE], // multicast
  ['https://[::1]/x', PRIVATE],
  ['https://[::ffff:127.0.0.1]/x', PRIVATE], // IPv4-mapped
  ['https://[::7f00:1]/x', PRIVATE], // IPv4-compatible ::/96, embeds 127.0.0.1
  ['https://[64:ff9b::a00:5]/x', PRIVATE], // well-known NAT64, embeds 10.0.0.5
  ['https://[64:ff9b:1::a00:5]/x', PRIVATE], // local-use NAT64 64:ff9b:1::/48
  ['https://[2002:a00:5::1]/x', PRIVATE], // 6to4 of 10.0.0.5
  ['https://[2001:0:a00:5::1]/x', PRIVATE], // Teredo
  ['https://[fd00::1]/x', PRIVATE], // unique-local
  ['https://[fe80::1]/x', PRIVATE], // link-local
  ['https://[fec0::1]/x', PRIVATE], // site-local, deprecated
  ['https://[3fff::1]/x', PRIVATE], // documentation, RFC 9637
  ['https://[5f00::1]/x', PRIVATE], // SRv6 SIDs, RFC 9602
  ['https://localhost/x', PRIVATE], // a name that resolves to loopback
];

describe('the IANA special-purpose address registries, as data (issue 34)', () => {
  for (const [name, registry] of [
    ['IPv4', ipv4Registry],
    ['IPv6', ipv6Registry],
  ] as const) {
    it(`names the ${name} registry, where it is published and its date, and every block parses`, () => {
      assert.equal(registry.registry, `IANA ${name} Special-Purpose Address Registry`);
      assert.match(registry.url, /^https:\/\/www\.iana\.org\/assignments\/iana-ipv[46]-special-registry\/$/);
      assert.match(registry.lastUpdated, /^\d{4}-\d{2}-\d{2}$/);
      const blocks = [...registry.entries, ...registry.alsoRefused].map((e) => e.block);
      assert.ok(blocks.length > 20, `${blocks.length} blocks`);
      for (const block of blocks) assert.doesNotThrow(() => ipaddr.parseCIDR(block), block);
    });
  }

  it('holds the blocks ipaddr.js 2.2 does not know, and the transition forms', () => {
    const v6 = [...ipv6Registry.entries, ...ipv6Registry.alsoRefused].map((e) => e.block);
    for (const block of [
      '64:ff9b:1::/48',
      '::/96',
      '64:ff9b::/96',
      '::ffff:0:0/96',
      '2002::/16',
      '2001::/32',
    ])
      assert.ok(v6.includes(block), block);
  });
});

describe('which addresses are public (issue 34)', () => {
  const notPublic: [ip: string, reason: RegExp][] = [
    ['::7f00:1', /IPv4-compatible Address \(deprecated\), ::\/96/],
    ['64:ff9b:1::a00:5', /IPv4-IPv6 Translat\., 64:ff9b:1::\/48/],
    [
      '64:ff9b::a00:5',
      /^10\.0\.0\.5 \(Private-Use, 10\.0\.0\.0\/8\) in IPv4-IPv6 Translat\., 64:ff9b::\/96$/,
    ],
    ['2002:a00:5::1', /^6to4, 2002::\/16$/],
    ['2001:0:a00:5::1', /^TEREDO, 2001::\/32$/],
    ['::ffff:a9fe:a9fe', /^169\.254\.169\.254 \(Link Local, 169\.254\.0\.0\/16\) in IPv4-mapped Address/],
    ['3fff::1', /^Documentation, 3fff::\/20$/],
    ['5f00::1', /^Segment Routing \(SRv6\) SIDs, 5f00::\/16$/],
    ['4000::1', /^outside global unicast 2000::\/3$/],
    ['192.0.0.9', /^Port Control Protocol Anycast, 192\.0\.0\.9\/32$/],
    ['224.0.0.1', /^Multicast, 224\.0\.0\.0\/4$/],
  ];
  for (const [ip, reason] of notPublic) {
    it(`refuses ${ip}, naming the block it lies in`, () => {
      assert.match(nonPublicReason(ip) ?? 'public', reason);
      assert.equal(isPublicAddress(ip), false);
    });
  }

  it('judges an address a connection takes to IPv4 (mapped, well-known NAT64) by that IPv4 address', () => {
    for (const ip of ['::ffff:8.8.8.8', '64:ff9b::808:808', '2606:4700::1111', '8.8.8.8'])
      assert.equal(nonPublicReason(ip), undefined, ip);
  });
});

describe('every unsafe callback URL form is refused by the check (issue 34)', () => {
  for (const [url, rule] of UNSAFE.filter(([u]) => !u.includes('localhost'))) {
    it(`refuses ${url} as ${rule}`, () => {
      const result = checkCallbackUrlSyntax(url, production);
      assert.equal(result.ok ? 'accepted' : result.code, rule);
    });
  }
});

describe('callback addresses checked at the door (issue 34)', function () {
  this.timeout(120_000);

  /** The gateway's rules, read at each request: permissive while the case is filed, then production's. */
  const rules: CallbackUrlOptions = { allowInsecure: true };
  afterEach(() => {
    rules.allowInsecure = true;
  });

  const refusedAsUnsafe = (
    res: Awaited<ReturnType<Gateway['call']>>,
    rule: string,
    url: string,
    field = '/callbackUrl',
  ) => {
    const problem = assertProblem(res, 422, 'CALLBACK_URL_UNSAFE');
    assert.deepEqual(
      problem.issues?.map((i) => [i.in, i.path, i.code]),
      [['body', field, rule]],
      url,
    );
  };

  it('refuses a filing with any unsafe callback URL, 422 naming the field, and starts no case', async () => {
    await withGateway(
      async (gw) => {
        rules.allowInsecure = false;
        const labId = gw.parties.lab.slice(4);
        for (const [url, rule] of UNSAFE) {
          const submissionId = uniqueId('unsafe');
          const res = await gw.call(
            gw.parties.lab,
            'POST',
            '/v1/submissions',
            filing({ submissionId, callbackUrl: url }),
          );
          refusedAsUnsafe(res, rule, url);
          await assert.rejects(
            gw.client.workflow.getHandle(reviewWorkflowId(caseIdOf(labId, submissionId))).describe(),
            WorkflowNotFoundError,
            `no case for ${url}`,
          );
        }
      },
      { callbackUrls: rules },
    );
  });

  it('refuses an endpoint change or a supplement to any unsafe URL, and the case keeps its endpoint', async () => {
    await withGateway(
      async (gw) => {
        const { lab } = gw.parties;
        const id = await file(gw);
        const before = await read(gw, lab, id);
        rules.allowInsecure = false;
        const at = `/v1/submissions/${id}`;
        for (const [url, rule] of UNSAFE) {
          const changed = await gw.call(lab, 'POST', `${at}/callback-endpoint`, { callbackUrl: url });
          refusedAsUnsafe(changed, rule, `callback-endpoint ${url}`);
          const supplemented = await gw.call(lab, 'POST', `${at}/supplement`, {
            fields: { callbackUrl: url },
          });
          refusedAsUnsafe(supplemented, rule, `supplement ${url}`, '/fields/callbackUrl');
        }
        const after = await read(gw, lab, id);
        assert.equal(after.callbackUrl, before.callbackUrl);
        assert.deepEqual(
          after.timeline.filter((e) => e.type === 'CALLBACK_ENDPOINT_CHANGED'),
          [],
          'nothing changed',
        );
        // A public https endpoint passes the door, and reaches the case (which takes no supplement now; no
        // callback is ever sent to it).
        assertProblem(
          await gw.call(lab, 'POST', `${at}/supplement`, { fields: { callbackUrl: 'https://8.8.8.8/cb' } }),
          409,
          'NOT_DEFICIENT',
        );
      },
      { callbackUrls: rules },
    );
  });
});
