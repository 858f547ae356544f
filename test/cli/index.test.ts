import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Me } from '../../shared/api/responses';
import { freePort } from '../../shared/node/dev-server';
import { jsonOf, openLiveApi, runCli, scratch, succeeded, type LiveApi, exited } from './support';

/** An HTTP server answering every request with one status and body, as a proxy or a failing gateway would. */
async function answering(status: number, body: object): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res
      .writeHead(status, { 'content-type': 'application/problem+json', 'retry-after': '5' })
      .end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('cli: help, usage errors, reaching the API, configuration', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('prints help for a subcommand, with its options and the global ones', async () => {
    const out = succeeded(await runCli(['decide', '--help']));
    const lines = out.split('\n');
    assert.equal(lines[0], 'Usage: frontier-review decide [options] <case>');
    for (const option of [
      '--kind <kind>',
      '--summary <text>',
      '--commitment <text>',
      '--idempotency-key <key>',
    ]) {
      assert.ok(
        lines.some((l) => l.trimStart().startsWith(option)),
        `${option} in\n${out}`,
      );
    }
    assert.ok(lines.includes('Global Options:'), out);
    assert.ok(
      lines.some((l) => l.trimStart().startsWith('--json')),
      out,
    );
  });

  it('exits 2 on an unknown command, a missing option or a bad value, and sends nothing', async () => {
    // No API is listening and no key is set: a usage error must be found before either is needed.
    const [unknown, missing, badChoice, badDate] = await Promise.all([
      runCli(['frobnicate']),
      runCli(['decide', 'case-1', '--summary', 'fine']),
      runCli(['decide', 'case-1', '--kind', 'MAYBE', '--summary', 'fine']),
      runCli(['amend-release', 'case-1', 'next tuesday']),
    ]);
    assert.deepEqual(unknown, {
      code: 2,
      stdout: '',
      stderr: "error: unknown command 'frobnicate'\n(add --help for usage)\n",
    });
    assert.deepEqual(missing, {
      code: 2,
      stdout: '',
      stderr: "error: required option '--kind <kind>' not specified\n(add --help for usage)\n",
    });
    exited(badChoice, 2);
    assert.match(
      badChoice.stderr,
      /^error: option '--kind <kind>' argument 'MAYBE' is invalid\. Allowed choices are NO_CONCERNS, /,
    );
    assert.deepEqual(badDate, {
      code: 2,
      stdout: '',
      stderr:
        "error: command-argument value 'next tuesday' is invalid for argument 'date'. not a date-time " +
        '(e.g. 2027-09-01 or 2027-09-01T12:00:00Z)\n(add --help for usage)\n',
    });
  });

  it('exits 2 without an API key, naming where to put one', async () => {
    const run = await runCli(['whoami'], { FRONTIER_REVIEW_API: api.url });
    exited(run, 2);
    assert.equal(
      run.stderr,
      `error: no API key: set FRONTIER_REVIEW_API_KEY, or "apiKey" in ${path.join(scratch, 'no-config', 'frontier-review', 'config.json')} (see docs/operations.md, Command-line interface)\n`,
    );
  });

  it('exits 3 when the API cannot be reached, and names the key that makes a retried write apply once', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const env = { FRONTIER_REVIEW_API_KEY: 'frk_unused' };
    const [read, write] = await Promise.all([
      runCli(['whoami', '--api', url], env),
      runCli(['withdraw', 'case-1', '--idempotency-key', 'withdraw-case-1', '--api', url], env),
    ]);
    assert.deepEqual(read, {
      code: 3,
      stdout: '',
      stderr: `error: cannot reach the API: ECONNREFUSED (GET ${url}/v1/me)\n`,
    });
    assert.deepEqual(write, {
      code: 3,
      stdout: '',
      stderr:
        `error: cannot reach the API: ECONNREFUSED (POST ${url}/v1/submissions/case-1/withdrawal)\n` +
        '  the write may or may not have been applied: retry with --idempotency-key withdraw-case-1\n',
    });
  });

  it('exits 3 when the API answers 503, with the problem on stderr', async () => {
    const problem = {
      type: 'urn:frontier-review:error:TEMPORAL_UNAVAILABLE',
      title: 'The workflow service is unavailable; retry later',
      status: 503,
      code: 'TEMPORAL_UNAVAILABLE',
      detail: 'Temporal did not answer in time',
    };
    const { url, server } = await answering(503, problem);
    try {
      const env = { FRONTIER_REVIEW_API: url, FRONTIER_REVIEW_API_KEY: 'frk_unused' };
      const [text, json] = await Promise.all([runCli(['whoami'], env), runCli(['whoami', '--json'], env)]);
      assert.deepEqual(text, {
        code: 3,
        stdout: '',
        stderr: `error: the API is unavailable (TEMPORAL_UNAVAILABLE: Temporal did not answer in time) (GET ${url}/v1/me)\n`,
      });
      exited(json, 3);
      assert.deepEqual(JSON.parse(json.stderr), problem);
    } finally {
      server.close();
    }
  });

  it('exits 70 when the CLI itself fails, saying where, for an answer it cannot read', async () => {
    // Something answers 200 with a body that is no case view: the CLI's own rendering is what breaks.
    const { url, server } = await answering(200, { view: 'ops' });
    try {
      const env = { FRONTIER_REVIEW_API: url, FRONTIER_REVIEW_API_KEY: 'frk_unused' };
      const run = await runCli(['cases', 'show', 'case-1'], env);
      exited(run, 70);
      assert.equal(run.stdout, '');
      assert.match(
        run.stderr,
        /^error: unexpected failure in the CLI: TypeError: .+\n {4}at .+case-view\.ts/,
      );
    } finally {
      server.close();
    }
  });

  it('reads the API and the key from the config file, and never prints the key', async () => {
    const key = api.gw.keys[api.gw.parties.lab];
    const file = path.join(scratch, 'config.json');
    writeFileSync(file, JSON.stringify({ api: api.url, apiKey: key }), { mode: 0o600 });
    const me = jsonOf(await runCli(['whoami', '--json'], { FRONTIER_REVIEW_CONFIG: file }), Me);
    assert.deepEqual(
      { principal: me.principal, role: me.role },
      { principal: api.gw.parties.lab, role: 'lab' },
    );

    const text = await runCli(['whoami'], { FRONTIER_REVIEW_CONFIG: file });
    assert.deepEqual(text, { code: 0, stdout: `${api.gw.parties.lab} (lab, key ${me.keyId})\n`, stderr: '' });
    assert.ok(!text.stdout.includes(key) && !me.keyId.includes(key));

    const shared = path.join(scratch, 'shared-config.json');
    writeFileSync(shared, JSON.stringify({ api: api.url, apiKey: key }));
    chmodSync(shared, 0o644);
    const warned = await runCli(['whoami'], { FRONTIER_REVIEW_CONFIG: shared });
    assert.deepEqual(warned, {
      code: 0,
      stdout: text.stdout,
      stderr: `warning: ${shared} holds an API key and others may read it; chmod 600 it\n`,
    });
  });

  it('exits 1 on a key the API does not know, without printing it', async () => {
    const key = 'frk_not-a-real-key-0123456789';
    const run = await runCli(['whoami'], { FRONTIER_REVIEW_API: api.url, FRONTIER_REVIEW_API_KEY: key });
    exited(run, 1);
    const [first, ...rest] = run.stderr.split('\n');
    assert.equal(first, 'error: 401 UNAUTHENTICATED: the API key is not known');
    assert.match(rest.join('\n'), /^ {2}request id: [0-9a-f-]{36}\n$/);
    assert.ok(!run.stderr.includes(key));
  });
});
