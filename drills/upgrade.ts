import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Worker,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { SA } from '../shared/domain/search-attributes';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../shared/domain/review/workflow';
import { loadConfig } from '../shared/node/config';
import { createLogger, type Logger } from '../shared/node/logger';
import { payloadKeyRing, replayDataConverter, sealedDataConverter } from '../shared/node/sealing';
import { bundleOptions } from '../workers/workflow-bundle';
import { installTemporalRuntime } from '../shared/node/temporal-runtime';
import { PROJECT_ROOT } from '../shared/node/tools';
import { createReviewWorker } from '../workers/create-worker';
import { Ledger } from './ledger';
import { FaultyReceiver } from './receiver';
import { exitOnSignals, System } from './system';

/**
 * The upgrade drill (issue 16): cases opened and moved to mid-review by an earlier release (its committed
 * workflow bundle; release 1 with its plain payloads, releases 2 and 3 with sealed ones, release 3 with NSA
 * designating each model covered; its messages as its gateway sent them), then the deploy of today's code on
 * the same task queue, then every case finished through today's gateway. Each must reach the determination its
 * decisions call for, keep the rules it was opened under, tell the lab every event once and in order, close,
 * and replay on today's code with the history both releases wrote.
 *
 * The strategy it proves is `patched()` with replay tests (docs/operations.md "Upgrades"): today's code runs
 * every history, old and new, so a deploy replaces the workers and nothing waits for old cases to drain.
 */

/** The releases the drill deploys today's code over, each as its committed bundle. */
export type FromRelease = 'release-1' | 'release-2' | 'release-3' | 'release-4' | 'release-5';
const bundleOf = (release: FromRelease) => path.join(PROJECT_ROOT, `test/fixtures/bundles/${release}.js`);
/** The rules each release opens its cases under, which they keep on today's code. */
const RULES_OF: Record<FromRelease, number> = {
  'release-1': 1,
  'release-2': 2,
  'release-3': 3,
  'release-4': 4,
  'release-5': 5,
};
const LAB = 'acme';
/** A release's cases go through each step this many at a time. */
const CASES_AT_ONCE = 8;
const quiet = new DefaultLogger('WARN');
const DAY_MS = 86_400_000;
const NS = ['agency:NSA', 'agency:CISA', 'agency:DOW'];
const CIVILIAN = ['agency:CAISI', 'agency:DOE', 'agency:TREASURY'];

/** Where release 1 leaves a case at the deploy, and what must follow. */
interface Mix {
  name: string;
  before: { update: string; args: Record<string, unknown> }[];
  /** The stage release 1 must have reached before the deploy. */
  stage: string;
  /** The agency whose decision after the deploy carries a commitment, if any. */
  mitigatedBy?: string;
  outcome: string;
}

const decide = (actor: string) => ({
  update: 'recordDecision',
  args: { actor, decision: { kind: 'NO_CONCERNS', summary: `${actor}: no concerns` } },
});

const MIXES: Mix[] = [
  { name: 'accepted', before: [], stage: 'NATIONAL_SECURITY', outcome: 'NO_CONCERNS_IDENTIFIED' },
  {
    name: 'one decision in',
    before: [decide('agency:NSA')],
    stage: 'NATIONAL_SECURITY',
    outcome: 'NO_CONCERNS_IDENTIFIED',
  },
  {
    name: 'information request open',
    before: [
      { update: 'requestInformation', args: { actor: 'agency:CISA', questions: ['Which evals ran?'] } },
    ],
    stage: 'NATIONAL_SECURITY',
    mitigatedBy: 'agency:DOW',
    outcome: 'PROCEED_WITH_COMMITMENTS',
  },
  {
    name: 'civilian review, one extension',
    before: [
      ...NS.map(decide),
      { update: 'requestExtension', args: { actor: 'agency:CAISI', days: 5, reason: 'more red-teaming' } },
    ],
    stage: 'CIVILIAN',
    outcome: 'NO_CONCERNS_IDENTIFIED',
  },
];

export interface ReleaseReport {
  from: FromRelease;
  cases: { caseId: string; mix: string; outcome?: string; closedReason?: string; events: number }[];
  problems: string[];
}

export interface UpgradeReport {
  /** One per release the drill deployed today's code over, in the order asked. */
  releases: ReleaseReport[];
  dir: string;
}

interface View {
  stage: string;
  rules: number;
  closedReason?: string;
  determination?: { outcome: string };
  informationRequests: { id: string; status: string }[];
  timeline: { seq: number }[];
  callbacks: { events: number; pending: number };
}

/** What every release's part of the drill shares: the system, the lab's receiver and today's API. */
interface Deployment {
  system: System;
  receiver: FaultyReceiver;
  connection: Connection;
  ledger: Ledger;
  /** The deployment's sealing, as today's workers and gateway seal. */
  sealed: DataConverter;
  cases: number;
  logger: Logger;
}

/** A case the old release opened, and the history it had once it closed. */
interface Opened {
  submissionId: string;
  mix: Mix;
  workflowId: string;
  history: History;
}

export async function runUpgradeDrill(opts: {
  /** Cases each release opens. */
  cases: number;
  logger: Logger;
  dir?: string;
  /** The releases that open cases (release 1 by default), each on a task queue of its own. */
  from?: readonly FromRelease[];
  /** How many releases go through the drill at once (default 2). */
  concurrency?: number;
}): Promise<UpgradeReport> {
  const releases = opts.from ?? ['release-1'];
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'frontier-review-upgrade-'));
  // The old releases' workers and the replays run in this process: their runtime logs go through ours.
  installTemporalRuntime(opts.logger);
  // Today's gateway serves every release's cases once their release is replaced. Nothing reaches it before:
  // an old release's messages go to Temporal as its own gateway sent them.
  const system = await System.start({ dir, labs: [LAB], logger: opts.logger, workers: 0 });
  const receiver = await FaultyReceiver.start(Object.values(system.callbackSecrets), 0);
  const connection = await Connection.connect({ address: system.temporalAddress });
  // Today's code for the replays at the end: the deployment's prebuilt bundle (WORKFLOW_BUNDLE_PATH, which its
  // workers run too), else bundled while the old releases open their cases.
  const prebuilt = loadConfig({
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH,
  }).WORKFLOW_BUNDLE_PATH;
  const today: Promise<WorkflowBundleOption> =
    prebuilt !== undefined
      ? Promise.resolve({ codePath: prebuilt })
      : bundleWorkflowCode({ ...bundleOptions(), logger: quiet });
  today.catch(() => undefined); // awaited below; a failed build is the drill's failure, not an unhandled one
  try {
    const deployment: Deployment = {
      system,
      receiver,
      connection,
      ledger: new Ledger(() => system.gatewayUrl, system.keys, 2 * 60_000),
      sealed: sealedDataConverter(payloadKeyRing(loadConfig(system.productEnv()), false).ring),
      cases: opts.cases,
      logger: opts.logger,
    };
    const runs = await inLanes(
      opts.concurrency ?? 2,
      releases.map((from) => () => upgradeFrom(from, deployment)),
    );

    // One replay worker for every history: each replay worker parses the bundle's source map into memory the
    // SDK never frees (about 9 MB a worker), so a worker per case would grow the drill with its size.
    const owner = new Map(
      runs.flatMap(({ report, closed }) =>
        closed.map((c): [string, [ReleaseReport, Opened]] => [c.workflowId, [report, c]]),
      ),
    );
    for await (const { workflowId, error } of Worker.runReplayHistories(
      // Opened under the bindings they were recorded with (the replayer runs them in a namespace of its own).
      {
        workflowBundle: await today,
        dataConverter: replayDataConverter(payloadKeyRing(loadConfig(system.productEnv()), false).ring),
      },
      runs.flatMap(({ closed }) => closed.map(({ workflowId, history }) => ({ workflowId, history }))),
    )) {
      const [report, c] = owner.get(workflowId)!;
      if (error) report.problems.push(`${nameOf(c)}: does not replay on today's code: ${error.message}`);
    }
    const report: UpgradeReport = { releases: runs.map((r) => r.report), dir };
    writeFileSync(path.join(dir, 'upgrade-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    await today.catch(() => undefined);
    await connection.close();
    await receiver.close().catch(() => undefined);
    await system.stop();
  }
}

const nameOf = (c: Pick<Opened, 'submissionId' | 'mix'>): string => `${c.submissionId} (${c.mix.name})`;

/**
 * One release's part: its committed bundle opens cases on a task queue of the release's own and moves each to
 * mid-review; then today's worker is deployed on that queue, and each case is finished through today's API
 * and checked. A failure is the release's problem, so the other releases still report.
 */
async function upgradeFrom(
  from: FromRelease,
  d: Deployment,
): Promise<{ report: ReleaseReport; closed: Opened[] }> {
  const report: ReleaseReport = { from, cases: [], problems: [] };
  const closed: Opened[] = [];
  try {
    await openAndFinish(from, d, report, closed);
  } catch (err) {
    report.problems.push(
      `the drill from ${from} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { report, closed };
}

async function openAndFinish(
  from: FromRelease,
  { system, receiver, connection, ledger, sealed, cases: count, logger }: Deployment,
  report: ReleaseReport,
  closed: Opened[],
): Promise<void> {
  const { problems } = report;
  const log = logger.child({ drill: 'upgrade', from });
  const base = loadConfig(system.productEnv());
  const taskQueue = `${base.TEMPORAL_TASK_QUEUE}-${from}`;
  const config = loadConfig({ ...system.productEnv(), TEMPORAL_TASK_QUEUE: taskQueue });
  // The old release: its workflow code and messages carrying their actor as its gateway sent them; release 1
  // sealed nothing, release 2 seals every payload with the deployment's key ring, as today.
  const converter = from === 'release-1' ? {} : sealed;
  const before = new Client({ connection, dataConverter: converter });
  const native = await NativeConnection.connect({ address: system.temporalAddress });
  const cases = Array.from({ length: count }, (_v, i) => ({
    submissionId: `upgrade-${from.replace('release-', 'r')}-${i}`,
    mix: MIXES[i % MIXES.length],
  }));
  // Release 1 named a case by its submission id; release 2 by the lab's and the submission's.
  const caseIdOf = (submissionId: string) => (from === 'release-1' ? submissionId : `${LAB}:${submissionId}`);
  try {
    const old = await createReviewWorker({
      connection: native,
      config,
      logger,
      policies: new PolicyRegistry(),
      dataConverter: converter,
      workflowBundle: { code: readFileSync(bundleOf(from), 'utf8') },
    });
    await old.runUntil(async () => {
      await inLanes(
        CASES_AT_ONCE,
        cases.map(({ submissionId, mix }) => async () => {
          const submission = {
            submissionId,
            labId: LAB,
            model: { name: `Model-${submissionId}`, version: '1.0', trainingComputeFlop: 3e26 },
            access: { kind: 'API', details: 'gated endpoint with evaluator keys' },
            callbackUrl: receiver.url,
            plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
            policyId: 'draft-2026-90d',
          };
          const h = await before.workflow.start(REVIEW_WORKFLOW_TYPE, {
            taskQueue,
            workflowId: reviewWorkflowId(caseIdOf(submissionId)),
            args: [{ submission }],
            memo: {
              labId: LAB,
              fingerprint: createHash('sha256').update(JSON.stringify(submission)).digest('hex'),
            },
            typedSearchAttributes: [
              { key: SA.lab, value: LAB },
              ...(from === 'release-1' ? [] : [{ key: SA.submission, value: submissionId }]),
            ],
          });
          // From release 3, NSA designates the model covered before acceptance, as its gateway sent it.
          const screened = await until(
            () => h.query<View>('status'),
            (s) => s.stage !== 'INTAKE',
            'screened',
          );
          if (screened.stage === 'DESIGNATION') {
            await h.executeUpdate('designateCoverage', {
              args: [{ actor: 'agency:NSA', covered: true, reason: 'covered: upgrade drill' }],
            });
          }
          await until(
            () => h.query<View>('status'),
            (s) => s.stage === 'NATIONAL_SECURITY',
            'accepted',
          );
          for (const m of mix.before) await h.executeUpdate(m.update, { args: [m.args] });
          await until(
            () => h.query<View>('status'),
            (s) => s.stage === mix.stage,
            `${mix.name} on ${from}`,
          );
        }),
      );
      // The deploy waits for nothing in flight: the old release's callbacks are allowed to be mid-delivery.
    });
  } finally {
    await native.close();
  }
  log.info({ cases: cases.length, taskQueue }, 'the old release stopped; deploying today’s code');

  // The deploy: today's review worker on the same task queue and the same cases.
  await system.startWorker({ TEMPORAL_TASK_QUEUE: taskQueue });
  log.info({ taskQueue }, 'today’s worker polling');
  const lab = `lab:${LAB}`;
  await inLanes(
    CASES_AT_ONCE,
    cases.map(({ submissionId, mix }) => async () => {
      const at = `/v1/submissions/${caseIdOf(submissionId)}`;
      const view = async () => (await ledger.read('chair', at)) as unknown as View | undefined;
      const open = (await view())?.informationRequests.find((r) => r.status === 'OPEN');
      if (open !== undefined) {
        const a = await ledger.act({
          kind: 'answer',
          caseId: submissionId,
          party: lab,
          method: 'POST',
          path: `${at}/information-requests/${open.id}/answer`,
          body: { answer: 'The full evaluation suite.' },
        });
        if (a.status !== 200)
          problems.push(`${submissionId}: answer after the deploy was ${a.status} ${a.code}`);
      }
      for (const stage of [NS, CIVILIAN]) {
        for (const agency of stage) {
          const decided = mix.before.some((m) => m.update === 'recordDecision' && m.args.actor === agency);
          if (decided) continue;
          const decision =
            agency === mix.mitigatedBy
              ? { kind: 'CONCERNS_MITIGATED', summary: 'mitigated', commitments: ['staged rollout'] }
              : { kind: 'NO_CONCERNS', summary: `${agency}: no concerns` };
          const a = await ledger.act({
            kind: 'decision',
            caseId: submissionId,
            party: agency,
            method: 'POST',
            path: `${at}/decisions`,
            body: { decision },
          });
          if (a.status !== 200)
            problems.push(`${submissionId}: ${agency}'s decision was ${a.status} ${a.code}`);
        }
      }
      await until(view, (s) => s?.determination !== undefined, `${submissionId} determined`).catch(
        (e: Error) => problems.push(e.message),
      );
      const released = await ledger.act({
        kind: 'release',
        caseId: submissionId,
        party: lab,
        method: 'POST',
        path: `${at}/release`,
        body: { releasedAt: new Date().toISOString() },
      });
      if (released.status !== 200) problems.push(`${submissionId}: release report was ${released.status}`);
    }),
  );

  log.info({ cases: cases.length }, 'every case decided and released through today’s API');

  // Every case closes once its callbacks are delivered; then its record is checked (its history is replayed
  // with every release's at the end).
  const client = new Client({ connection, dataConverter: sealed });
  const checked = await inLanes(
    CASES_AT_ONCE,
    cases.map(({ submissionId, mix }) => async () => {
      const h = client.workflow.getHandle(reviewWorkflowId(caseIdOf(submissionId)));
      const status = await until(
        async () => (await h.describe()).status.name,
        (st) => st === 'COMPLETED',
        `${submissionId} completed`,
      ).catch((e: Error) => problems.push(e.message));
      if (status !== 'COMPLETED') return undefined;
      const s = await h.query<View>('status');
      const name = nameOf({ submissionId, mix });
      if (s.rules !== RULES_OF[from]) {
        problems.push(`${name}: runs rules ${s.rules}, not the rules ${RULES_OF[from]} it was opened under`);
      }
      if (s.determination?.outcome !== mix.outcome) {
        problems.push(`${name}: determination ${s.determination?.outcome}, expected ${mix.outcome}`);
      }
      if (s.closedReason !== 'RELEASED')
        problems.push(`${name}: closed ${s.closedReason}, expected RELEASED`);
      if (s.timeline.some((e, i) => e.seq !== i + 1)) problems.push(`${name}: the timeline has a gap`);
      const events = receiver.processed.get(submissionId) ?? [];
      const got = events.map((p) => p.sequence);
      if (got.join(',') !== Array.from({ length: s.callbacks.events }, (_v, i) => i + 1).join(',')) {
        problems.push(`${name}: the lab processed [${got.join(',')}] of ${s.callbacks.events} events`);
      }
      const duplicates = events.filter((p) => (receiver.processedCount.get(p.id) ?? 0) > 1).length;
      if (duplicates > 0) problems.push(`${name}: ${duplicates} events were processed more than once`);
      return {
        opened: { submissionId, mix, workflowId: h.workflowId, history: await h.fetchHistory() },
        reported: {
          caseId: submissionId,
          mix: mix.name,
          outcome: s.determination?.outcome,
          closedReason: s.closedReason,
          events: s.callbacks.events,
        },
      };
    }),
  );
  for (const c of checked) {
    if (c === undefined) continue;
    closed.push(c.opened);
    report.cases.push(c.reported);
  }
  log.info({ closed: closed.length }, 'the cases closed and checked');
}

/** Runs the tasks, at most `n` at once; answers their results in the tasks' order. */
async function inLanes<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, lane));
  return results;
}

/** Polls `read` (real time, 3 minutes at most) until `check` holds; returns the last value. */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached in 3 minutes: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

if (require.main === module) {
  exitOnSignals();
  const logger = createLogger(loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }));
  const from = (process.env.UPGRADE_FROM ?? 'release-1').split(',') as FromRelease[];
  const unknown = from.filter((r) => !(r in RULES_OF));
  if (unknown.length > 0) {
    throw new Error(`UPGRADE_FROM: one or more of ${Object.keys(RULES_OF).join(', ')}, comma-separated`);
  }
  runUpgradeDrill({ cases: Number(process.env.UPGRADE_CASES ?? 40), logger, from }).then(
    (r) => {
      let problems = 0;
      for (const release of r.releases) {
        for (const c of release.cases)
          process.stdout.write(
            `${release.from}  ${c.caseId.padEnd(16)} ${c.mix.padEnd(32)} ${c.outcome} ${c.closedReason} ${c.events} events\n`,
          );
        for (const p of release.problems) process.stdout.write(`problem (${release.from}): ${p}\n`);
        problems += release.problems.length;
      }
      const cases = r.releases.reduce((n, release) => n + release.cases.length, 0);
      process.stdout.write(`${cases} cases, ${problems} problems; report: ${r.dir}/upgrade-report.json\n`);
      process.exit(problems === 0 ? 0 : 1);
    },
    (err: unknown) => {
      logger.fatal({ err }, 'the upgrade drill failed');
      process.exit(1);
    },
  );
}
