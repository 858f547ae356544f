import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { request } from 'undici';
import { buildApp } from '../gateway/app';
import { gatewayApiKeys, gatewayFiles, gatewaySignIn, workbenchSettings } from '../gateway/keys';
import { listPage } from '../gateway/visibility';
import { DEFAULT_POLICY_ID } from '../shared/domain/policy-names';
import { reviewWorkflowId, REVIEW_WORKFLOW_TYPE } from '../shared/domain/review/workflow';
import { SA } from '../shared/domain/search-attributes';
import { callbackUrlOptions } from '../shared/node/callback-url';
import { loadConfig } from '../shared/node/config';
import { createLogger } from '../shared/node/logger';
import { noteKeyRing, payloadKeyRing, sealedClientOptions } from '../shared/node/sealing';
import { casesWhere, literal } from '../shared/node/visibility-query';
import { freePort } from '../shared/node/dev-server';
import { startBenchServer } from './server';
import { table, writeJson } from './report';
import { pool, seededRandom, summarize } from './stats';

/**
 * `npm run bench:inbox`: how fast an agency's inbox renders with many open cases (issue 37: with 10,000 open
 * cases, 1,000 of them awaiting the agency, at most 200 ms at the 95th percentile on the embedded dev server).
 *
 * The cases are review workflows as visibility lists them (their search attributes and the memo the inbox sorts
 * by), started on a task queue no worker polls: the inbox reads visibility only, so this is what it reads. An
 * NSA reviewer signs in through the development identity provider in Chromium; then the inbox page is fetched
 * `--repeats` times with the session's cookie. The baseline, in the same run, is the bare visibility read of
 * the same set (its pages of 100, straight from Temporal): the inbox's own cost is the difference.
 *
 *   npm run bench:inbox                         # 10,000 cases, 1,000 awaiting NSA, 50 timed renders
 *   npm run bench:inbox -- --cases 2000 --awaiting 200 --repeats 20
 */
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};

async function main(): Promise<void> {
  const cases = arg('cases', 10_000);
  const awaiting = arg('awaiting', 1_000);
  const repeats = arg('repeats', 50);
  const random = seededRandom(arg('seed', 42));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-inbox-bench-'));
  const [httpPort, idpPort] = [await freePort(), await freePort()];
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dir,
    HTTP_PORT: String(httpPort),
    OIDC_DEV_PROVIDER_PORT: String(idpPort),
    // The bench's one reviewer renders the inbox some fifty times a minute, each ten pages of the API.
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  });
  const logger = createLogger(config);
  const payloads = payloadKeyRing(config, true).ring;
  const notes = noteKeyRing(config, true).ring;
  const sealed = sealedClientOptions(payloads);
  const server = await startBenchServer(logger, sealed.dataConverter);
  const stops: (() => Promise<unknown>)[] = [
    () => server.stop(),
    async () => rmSync(dir, { recursive: true, force: true }),
  ];
  try {
    const client = new Client({
      connection: server.client.connection,
      namespace: server.namespace,
      ...sealed,
    });
    // The open cases: every one awaits agencies of its stage, `awaiting` of them NSA, each with its deadline.
    const now = Date.now();
    const started = performance.now();
    await pool(cases, 50, async (i) => {
      const agencies = i < awaiting ? ['NSA', 'CISA', 'DOW'] : ['CAISI', 'DOE', 'TREASURY'];
      const due = Object.fromEntries(
        agencies.map((a) => [a, new Date(now + (1 + random() * 60) * 86_400_000).toISOString()]),
      );
      const caseId = `bench-lab:inbox-${i}`;
      await client.workflow.start(REVIEW_WORKFLOW_TYPE, {
        workflowId: reviewWorkflowId(caseId),
        taskQueue: 'inbox-bench-unpolled',
        args: [],
        memo: { model: `Model ${i}`, awaitingDue: due },
        typedSearchAttributes: [
          { key: SA.stage, value: i < awaiting ? 'NATIONAL_SECURITY' : 'CIVILIAN' },
          { key: SA.lab, value: 'bench-lab' },
          { key: SA.policy, value: DEFAULT_POLICY_ID },
          { key: SA.awaiting, value: agencies },
          { key: SA.nextDeadline, value: new Date(Math.min(...Object.values(due).map(Date.parse))) },
          { key: SA.atRisk, value: random() < 0.1 },
          { key: SA.overdue, value: false },
          { key: SA.flags, value: [] },
        ],
      });
    });
    process.stderr.write(
      `bench: ${cases} cases started in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
    const query = casesWhere("ExecutionStatus = 'Running'", `${SA.awaiting.name} = ${literal('NSA')}`);
    for (let seen = 0; seen < awaiting;) {
      seen = (await client.workflow.count(query)).count;
      await new Promise((r) => setTimeout(r, 500));
    }

    // The gateway as the embedded default runs it, with its workbench and the development identity provider.
    const people = await gatewaySignIn(config, true);
    stops.unshift(() => people.devProvider?.close() ?? Promise.resolve());
    const app = buildApp({
      logger,
      temporal: client,
      apiKeys: await gatewayApiKeys(config, logger, true, () => undefined),
      config,
      callbackUrls: callbackUrlOptions(config),
      notes,
      payloads,
      policyInForce: () => DEFAULT_POLICY_ID,
      oidc: people.oidc,
      signIn: people.signIn,
      workbench: workbenchSettings(config, people),
      ...gatewayFiles(config),
    });
    await app.listen({ host: '127.0.0.1', port: httpPort });
    stops.unshift(() => app.close());
    const origin = `http://localhost:${httpPort}`;

    // An NSA reviewer signs in, as in the browser; the session's cookie then fetches the inbox.
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    let cookie: string;
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(`${origin}/workbench`);
      await page.locator('input[name="login"]').fill('nsa');
      await page.locator('input[name="password"]').fill('bench');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: /continue/i }).click();
      await page.waitForURL((u) => u.pathname === '/workbench/inbox');
      cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    } finally {
      await browser.close();
    }

    const inbox = async () => {
      const res = await request(`${origin}/workbench/inbox`, { headers: { cookie } });
      const html = await res.body.text();
      if (res.statusCode !== 200 || !html.includes('Cases awaiting NSA'))
        throw new Error(`the inbox answered ${res.statusCode}`);
      return html;
    };
    const baseline = (pageSize: number) => async () => {
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await listPage(client, query, pageSize, cursor, 10_000, (e) => e);
        n += page.items.length;
        cursor = page.nextCursor;
      } while (cursor !== undefined && n < 1000);
      return n;
    };
    const timed = async (call: () => Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await call();
      const ms: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t = performance.now();
        await call();
        ms.push(performance.now() - t);
      }
      return summarize(ms)!;
    };
    const rows =
      (await inbox()).match(/<tr>\s*<th scope="row"><a class="usa-link" href="\/workbench\/cases\//g)
        ?.length ?? 0;
    const base = await timed(baseline(100));
    const whole = await timed(baseline(1000));
    const page = await timed(inbox);
    const figures = {
      cases,
      awaiting,
      listed: rows,
      repeats,
      baselineMs: base,
      onePageMs: whole,
      inboxMs: page,
      ratioP50: page.p50 / base.p50,
      ratioP95: page.p95 / base.p95,
      targetP95Ms: 200,
      withinTarget: page.p95 <= 200,
    };
    process.stdout.write(
      `${table([
        ['inbox, NSA', 'p50 ms', 'p95 ms'],
        ['visibility read of the set, pages of 100 (baseline)', base.p50.toFixed(1), base.p95.toFixed(1)],
        ['visibility read of the set, one page of 1000', whole.p50.toFixed(1), whole.p95.toFixed(1)],
        [`the inbox page (${rows} rows)`, page.p50.toFixed(1), page.p95.toFixed(1)],
        ['ratio', figures.ratioP50.toFixed(2), figures.ratioP95.toFixed(2)],
      ])}\n` +
        `${cases} open cases, ${awaiting} awaiting NSA; target: p95 at most 200 ms (${figures.withinTarget ? 'met' : 'NOT met'})\n` +
        `written to ${writeJson(path.join('bench-results', 'latest-inbox.json'), figures)}\n`,
    );
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
