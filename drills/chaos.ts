import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededRandom } from '../scripts/shuffle';
import { loadConfig } from '../shared/node/config';
import { createLogger, type Logger } from '../shared/node/logger';
import { checkSettled, type ChaosFigures } from './chaos-checks';
import { Ledger } from './ledger';
import { FaultyReceiver } from './receiver';
import { exitOnSignals, GOVERNMENT, System } from './system';

/**
 * The chaos run (issue 16): the real system (dev server, review worker processes, gateway, a lab's receiver)
 * under a seeded load of open cases, while faults are injected; then it settles, and every record is checked
 * (./chaos-checks.ts). `npm run chaos` runs it full size; the suite runs it small (test/drills/chaos.test.ts).
 */

export interface ChaosOptions {
  cases: number;
  /** Rounds of the fault schedule; each round injects every kind of fault once. */
  rounds: number;
  seed: number;
  /** Concurrent clients sending actions. */
  clients: number;
  /** How long a slow receiver takes to answer, and the sender's per-attempt timeout (below it). */
  slowMs: number;
  callbackTimeoutMs: number;
  /** How long receiver outages last. */
  outageMs: number;
  /** How long a killed worker or Temporal server stays down before it is started again. */
  downMs: number;
  /**
   * Whether the only worker is killed while the end of a funding lapse is still reaching the cases (the full
   * run): the killed attempt of that fan-out's activity is retried only once its heartbeat times out (two
   * minutes). Otherwise the lapse's end is sent while no worker runs, and reaches the cases once one is back.
   */
  killDuringFanOut: boolean;
  /** How long the system may take to settle once the faults stop. */
  settleMs: number;
  logger: Logger;
  dir?: string;
}

export const FULL_SIZE = {
  cases: 200,
  rounds: 3,
  clients: 8,
  slowMs: 40_000,
  callbackTimeoutMs: 10_000,
  outageMs: 30_000,
  downMs: 3_000,
  killDuringFanOut: true,
  settleMs: 15 * 60_000,
};

const LABS = ['acme', 'borealis'];
const AGENCIES = GOVERNMENT.filter((p) => p.startsWith('agency:'));
const DAY_MS = 86_400_000;

export interface ChaosReport extends ChaosFigures {
  seed: number;
  faults: { kind: string; at: number; detail?: string }[];
  dir: string;
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'frontier-review-chaos-'));
  const random = seededRandom(opts.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const log = opts.logger.child({ drill: 'chaos' });

  const system = await System.start({
    dir,
    labs: LABS,
    logger: opts.logger,
    workers: 2,
    env: { CALLBACK_TIMEOUT_MS: String(opts.callbackTimeoutMs) },
  });
  const receiver = await FaultyReceiver.start(Object.values(system.callbackSecrets), opts.slowMs);
  const ledger = new Ledger(() => system.gatewayUrl, system.keys, 5 * 60_000);
  const faults: ChaosReport['faults'] = [];
  const started = Date.now();
  const fault = (kind: string, detail?: string) => {
    faults.push({ kind, at: Date.now() - started, detail });
    log.info({ fault: kind, detail }, 'fault injected');
  };

  try {
    // The load: cases filed by two labs, each accepted into national-security review.
    const cases: string[] = [];
    for (let i = 0; i < opts.cases; i++) {
      const lab = LABS[i % LABS.length];
      const a = await ledger.act({
        kind: 'file',
        caseId: '',
        party: `lab:${lab}`,
        method: 'POST',
        path: '/v1/submissions',
        body: {
          submissionId: `chaos-${opts.seed}-${i}`,
          model: { name: `Model-${i}`, version: '1.0', trainingComputeFlop: 3e26 },
          access: { kind: 'API', details: 'gated endpoint with evaluator keys' },
          callbackUrl: receiver.url,
          plannedReleaseDate: new Date(Date.now() + (300 + i) * DAY_MS).toISOString(),
        },
      });
      if (a.status !== 201) throw new Error(`filing ${i} was answered ${a.status} ${a.code ?? ''}`);
      a.caseId = `${lab}:chaos-${opts.seed}-${i}`;
      cases.push(a.caseId);
    }

    // Every case through intake before the faults: a worker killed during a case's intake checks leaves the
    // case waiting out the checks' one-minute timeout, a wait no fault here is about.
    await until(async () => {
      const stages = await Promise.all(cases.map((id) => ledger.read('chair', `/v1/submissions/${id}`)));
      return stages.every((v) => v !== undefined && v.stage !== 'INTAKE');
    }, 'every case through intake');
    const filed = ledger.actions.length;

    // The faults, one after another, while the clients act.
    let faulting = true;
    const schedule = (async () => {
      const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // The load first: the clients have had answers before the first fault.
      await until(
        async () => ledger.actions.slice(filed).filter((a) => a.status !== undefined).length >= opts.clients,
        'the clients’ first answers',
      );
      for (let round = 0; round < opts.rounds; round++) {
        fault('worker SIGKILL (two running)', await system.crashWorker());
        await pause(opts.downMs);
        await system.startWorker();
        fault('receiver answers 5xx');
        await receiver.setMode('ERROR_5XX');
        await pause(opts.outageMs);
        await receiver.setMode('UP');
        fault('Temporal server SIGKILL, restarted on its data');
        await system.crashTemporal();
        await pause(opts.downMs);
        fault('receiver down');
        await receiver.setMode('DOWN');
        const lapse = `chaos-lapse-${opts.seed}-${round}`;
        fault('ops fan-out: funding lapse', lapse);
        const toll = fanOut(ledger, 'fan-out: toll', '/v1/ops/funding-lapses', {
          lapseId: lapse,
          reason: 'chaos drill',
        });
        fault('gateway restart');
        await system.restartGateway();
        await pause(opts.outageMs);
        await receiver.setMode('UP');
        await toll;
        const endLapse = () => {
          fault('ops fan-out: lapse ends', lapse);
          return fanOut(ledger, 'fan-out: resume', `/v1/ops/funding-lapses/${lapse}/resume`, {});
        };
        const resume = opts.killDuringFanOut ? endLapse() : undefined;
        fault('worker SIGKILL (the only one)');
        await system.workers[0].stop();
        system.workers.splice(0, 1);
        await system.crashWorker();
        const resumeWhileDown = resume ?? endLapse();
        await pause(opts.downMs);
        await Promise.all([system.startWorker(), system.startWorker()]);
        await resumeWhileDown;
        fault('receiver answers after the sender gave up', `${opts.slowMs} ms`);
        await receiver.setMode('SLOW');
        await pause(opts.slowMs + opts.callbackTimeoutMs);
        await receiver.setMode('UP');
      }
    })().finally(() => {
      // The clients stop with the faults, however the schedule ended.
      faulting = false;
    });

    // The clients: designations, decisions, information requests and answers, extensions, amendments, a few
    // withdrawals.
    const client = async () => {
      while (faulting) {
        await oneAction(ledger, pick(cases), pick, random);
        await new Promise((r) => setTimeout(r, Math.floor(random() * 100)));
      }
    };
    await Promise.all([schedule, ...Array.from({ length: opts.clients }, client)]);
    log.info(
      { actions: ledger.actions.length, unresolved: ledger.unresolved.length },
      'faults over; settling',
    );

    const figures = await checkSettled({ receiver, ledger, cases, settleMs: opts.settleMs });
    const report: ChaosReport = { seed: opts.seed, faults, dir, ...figures };
    writeFileSync(path.join(dir, 'chaos-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    await receiver.close().catch(() => undefined);
    await system.stop();
  }
}

/** Polls `check` (real time, a minute at most) until it holds. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within a minute: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An ops fan-out as the CLI's documented contract has it: a report with unavailable cases is asked again (a
 * case that was out of reach may still apply the first message later, and then answers with that receipt),
 * until every open case answered. Each request is an action of its own in the ledger.
 */
async function fanOut(ledger: Ledger, kind: string, path: string, body: object): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const a = await ledger.act({
      kind: round === 0 ? kind : `${kind} (again)`,
      caseId: '*',
      party: 'ops',
      method: 'POST',
      path,
      body,
    });
    if (a.status !== 200 || a.answer?.unavailable === 0) return;
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** One action on a case, chosen at random among what its parties may try (refusals are expected). */
async function oneAction(
  ledger: Ledger,
  caseId: string,
  pick: <T>(items: readonly T[]) => T,
  random: () => number,
): Promise<void> {
  const lab = `lab:${caseId.split(':')[0]}`;
  const at = `/v1/submissions/${caseId}`;
  const roll = random();
  if (roll < 0.08) {
    // NSA designates (the presets wait for it before acceptance); after the first, each is refused.
    await ledger.act({
      kind: 'designation',
      caseId,
      party: 'agency:NSA',
      method: 'POST',
      path: `${at}/designation`,
      body: { covered: true, reason: 'covered: chaos drill', benchmarkScore: 0.8 },
    });
  } else if (roll < 0.35) {
    const agency = pick(AGENCIES);
    const mitigated = random() < 0.3;
    await ledger.act({
      kind: 'decision',
      caseId,
      party: agency,
      method: 'POST',
      path: `${at}/decisions`,
      body: {
        decision: mitigated
          ? {
              kind: 'CONCERNS_MITIGATED',
              summary: `${agency} mitigated`,
              commitments: [`${agency} commitment`],
            }
          : { kind: 'NO_CONCERNS', summary: `${agency} has no concerns` },
      },
    });
  } else if (roll < 0.5) {
    await ledger.act({
      kind: 'information request',
      caseId,
      party: pick(AGENCIES),
      method: 'POST',
      path: `${at}/information-requests`,
      body: { questions: ['Which evaluations ran on the release candidate?'] },
    });
  } else if (roll < 0.7) {
    const view = await ledger.read(lab, at);
    const open = (view?.informationRequests as { id: string; status: string }[] | undefined)?.find(
      (r) => r.status === 'OPEN',
    );
    if (open === undefined) return;
    await ledger.act({
      kind: 'answer',
      caseId,
      party: lab,
      method: 'POST',
      path: `${at}/information-requests/${open.id}/answer`,
      body: { answer: 'The full evaluation suite, on the release candidate.' },
    });
  } else if (roll < 0.8) {
    await ledger.act({
      kind: 'extension',
      caseId,
      party: pick(AGENCIES),
      method: 'POST',
      path: `${at}/extensions`,
      body: { days: 3, reason: 'Red-team results arrive late' },
    });
  } else if (roll < 0.995) {
    await ledger.act({
      kind: 'amendment',
      caseId,
      party: lab,
      method: 'POST',
      path: `${at}/release-date`,
      body: {
        plannedReleaseDate: new Date(Date.now() + Math.floor(400 + random() * 200) * DAY_MS).toISOString(),
      },
    });
  } else {
    await ledger.act({
      kind: 'withdrawal',
      caseId,
      party: lab,
      method: 'POST',
      path: `${at}/withdrawal`,
      body: { reason: 'Retraining before release' },
    });
  }
}

/** The report as a table, for people; the same figures are in chaos-report.json. */
export function chaosTable(r: ChaosReport): string {
  const kinds = new Map<string, number>();
  for (const f of r.faults) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const rows: [string, string | number][] = [
    ['seed', r.seed],
    ['cases', r.cases.total],
    ...[...kinds].map(([k, n]): [string, number] => [`fault: ${k}`, n]),
    ['actions sent', r.actions.sent],
    ['actions accepted (2xx)', r.actions.accepted],
    ['actions refused (4xx)', r.actions.refused],
    ['actions without an answer', r.actions.unknown],
    ['requests asked again (same key)', r.actions.retries],
    ['answers of 500', r.actions.internalErrors],
    ['ops fan-out requests (asked again when a case was out of reach)', r.fanOuts.length],
    ['fan-out messages applied to cases', r.actions.fanOutApplied],
    ['lab events sent', r.events.sent],
    ['lab events processed', r.events.processed],
    ['duplicates delivered', r.events.duplicatesDelivered],
    ['duplicates processed', r.events.duplicatesProcessed],
    ['cases closed / open', `${r.cases.closed} / ${r.cases.open}`],
    ['longest wait for an answer (s)', (r.longestStallMs / 1000).toFixed(1)],
    ['longest callback lag (s)', (r.longestCallbackLagMs / 1000).toFixed(1)],
    ['problems', r.problems.length],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), ...r.problems.map((p) => `  - ${p}`)].join(
    '\n',
  );
}

if (require.main === module) {
  exitOnSignals();
  const size = process.env.CHAOS_CASES === undefined ? {} : { cases: Number(process.env.CHAOS_CASES) };
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000_000);
  const logger = createLogger(loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }));
  runChaos({ ...FULL_SIZE, ...size, seed, logger }).then(
    (report) => {
      process.stdout.write(
        `${chaosTable(report)}\n\nreport: ${path.join(report.dir, 'chaos-report.json')}\n`,
      );
      process.exit(report.problems.length === 0 ? 0 : 1);
    },
    (err: unknown) => {
      logger.fatal({ err }, 'the chaos run failed');
      process.exit(1);
    },
  );
}
