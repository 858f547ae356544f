import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { clusterSettings, startClusterProfile, type ClusterProfile } from '../../cluster/profile';
import { freePort } from '../../shared/node/dev-server';

const DAY_MS = 86_400_000;
const NS = ['NSA', 'CISA', 'DOW'];
const CIVILIAN = ['CAISI', 'DOE', 'TREASURY'];

const isFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A frontend port whose services' ports beside it (membership -300..-294, gRPC +1..+6, HTTP +10) are free: the
 * lowest such block from 20,300 up, each port checked with the operating system. It must lie below 32768 (the
 * server keeps membership ports in a smallint), where the system hands out no port of its own for port 0, so
 * no other test's port can take one between this check and the start.
 */
async function clusterPort(): Promise<number> {
  for (let base = 20_300; base <= 32_757; base += 20) {
    const ports = [0, 1, 2, 6, 10, -300, -299, -298, -294].map((o) => base + o);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no free block of ports for the cluster below 32768');
}

/**
 * Issue 13: the cluster profile on this machine, short. PostgreSQL on a data directory of its own, the Temporal
 * server built by the project's script with its services as separate processes, two review workers and the
 * gateway, configured as on any existing cluster. One case goes from filing to determination while a worker
 * process is killed and the history service is killed and started again.
 */
describe('the cluster profile (PostgreSQL, Temporal services as processes, two workers)', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let profile: ClusterProfile;
  let url: string;
  const keys = new Map<string, string>();

  before(async () => {
    // Under /var/tmp: the postgres user must reach it (the checkout may be under /root).
    dir = mkdtempSync(path.join('/var/tmp', 'frontier-review-cluster-test-'));
    const settings = clusterSettings({
      CLUSTER_DIR: dir,
      CLUSTER_POSTGRES_PORT: String(await freePort()),
      CLUSTER_TEMPORAL_PORT: String(await clusterPort()),
      CLUSTER_HTTP_PORT: String(await freePort()),
    });
    profile = await startClusterProfile(settings, pino({ level: 'silent' }));
    url = `http://127.0.0.1:${settings.CLUSTER_HTTP_PORT}`;
    for (const k of profile.createdKeys) keys.set(k.principal, k.key);
  });
  after(async () => {
    await profile?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (principal: string, method: string, at: string, body?: unknown, key?: string) => {
    const res = await fetch(`${url}${at}`, {
      method,
      headers: {
        authorization: `Bearer ${keys.get(principal)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** A decision as a careful client sends it: asked again with the same Idempotency-Key while the answer is 503. */
  const decide = async (agency: string, caseId: string) => {
    const key = randomUUID();
    for (let tries = 0; ; tries++) {
      const r = await call(
        `agency:${agency}`,
        'POST',
        `/v1/submissions/${caseId}/decisions`,
        { decision: { kind: 'NO_CONCERNS', summary: `${agency}: no concerns` } },
        key,
      );
      if (r.status === 200) return tries;
      assert.ok(r.status === 503 && tries < 120, JSON.stringify(r.body));
      await new Promise((res) => setTimeout(res, 500));
    }
  };
  const read = async (caseId: string) => (await call('chair', 'GET', `/v1/submissions/${caseId}`)).body;
  const until = async (caseId: string, check: (v: Record<string, unknown>) => boolean, what: string) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const v = await read(caseId);
      if (check(v)) return v;
      assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(v).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('takes a case from filing to determination through a worker crash and a history service crash', async () => {
    const filed = await call('lab:sample-lab', 'POST', '/v1/submissions', {
      submissionId: 'cluster-smoke',
      model: { name: 'Frontier-C', version: '1.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'gated endpoint with evaluator keys' },
      // Nothing listens there: callbacks retry beside the review, which never waits for them.
      callbackUrl: 'http://127.0.0.1:9/callbacks',
      plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const caseId = String(filed.body.caseId);
    // NSA designates the model covered (the screen only proposes); acceptance follows.
    await until(caseId, (v) => v.stage === 'DESIGNATION', 'screened');
    const designated = await call('agency:NSA', 'POST', `/v1/submissions/${caseId}/designation`, {
      covered: true,
      reason: 'covered: cluster smoke test',
    });
    assert.equal(designated.status, 200, JSON.stringify(designated.body));
    await until(caseId, (v) => v.stage === 'NATIONAL_SECURITY', 'accepted');

    // A worker process is killed outright; the other one carries the case on.
    await profile.workers[0].kill();
    for (const agency of NS) await decide(agency, caseId);
    await until(caseId, (v) => v.stage === 'CIVILIAN', 'national-security review closed by the other worker');

    // The history service is killed and started again: nothing it had accepted is lost.
    await profile.temporal.killService('history');
    await profile.temporal.startService('history');
    // The gateway answers 503 until history owns its shards again; the client asks again.
    for (const agency of CIVILIAN) await decide(agency, caseId);
    const done = await until(caseId, (v) => v.determination !== undefined, 'determination');
    assert.equal((done.determination as { outcome: string }).outcome, 'NO_CONCERNS_IDENTIFIED');
    const agencies = done.agencies as { agency: string; decision?: { kind: string } }[];
    assert.deepEqual(
      agencies.map((a) => [a.agency, a.decision?.kind]),
      [...NS, ...CIVILIAN].map((a) => [a, 'NO_CONCERNS']),
      'every decision kept',
    );
    const timeline = done.timeline as { seq: number }[];
    assert.deepEqual(
      timeline.map((e) => e.seq),
      timeline.map((_e, i) => i + 1),
    );
  });
});
