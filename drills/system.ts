import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ApiKeys, newApiKey, type KeyPrincipal } from '../shared/node/api-keys';
import { addLabSecret } from '../shared/node/callback-secrets';
import { loadConfig } from '../shared/node/config';
import { freePort, startDevServer, type DevServer } from '../shared/node/dev-server';
import type { Logger } from '../shared/node/logger';
import { noteKeyRing, payloadKeyRing } from '../shared/node/sealing';
import { recordSigner } from '../shared/node/record-keys';
import { ManagedProcess } from '../shared/node/managed-process';
import { resolveTemporalCli } from '../shared/node/tools';

/**
 * The whole product as real processes, for the drills: a Temporal dev server on a data file, review worker
 * processes and a gateway process (the project's own entry points), configured as a deployment on an
 * existing cluster would be. Every part can be killed outright and started again on the same data.
 */

export const GOVERNMENT = [
  'agency:NSA',
  'agency:CISA',
  'agency:DOW',
  'agency:CAISI',
  'agency:DOE',
  'agency:TREASURY',
  'chair',
  'ops',
] as const;
export type GovernmentParty = (typeof GOVERNMENT)[number];

export interface SystemOptions {
  dir: string;
  /** The Temporal CLI; by default the project's own build (scripts/install-temporal-cli.sh). */
  cliPath?: string;
  labs: string[];
  logger: Logger;
  /** Review worker processes to start with. */
  workers: number;
  /** Whether to start the gateway with them (default: yes). */
  gateway?: boolean;
  /** Environment for every product process (beside what the system sets). */
  env?: Record<string, string>;
}

export class System {
  readonly workers: ManagedProcess[] = [];
  private temporal!: DevServer;
  private gatewayProcess!: ManagedProcess;
  private started = 0;

  private constructor(
    private readonly opts: SystemOptions,
    readonly temporalPort: number,
    readonly httpPort: number,
    /** API keys by party: each lab (`lab:<id>`) and each government party. */
    readonly keys: Record<string, string>,
    /** Each lab's callback secret. */
    readonly callbackSecrets: Record<string, string>,
  ) {}

  static async start(opts: SystemOptions): Promise<System> {
    mkdirSync(path.join(opts.dir, 'logs'), { recursive: true });
    const dataDir = path.join(opts.dir, 'data');
    const config = loadConfig({ DATA_DIR: dataDir });
    payloadKeyRing(config, true);
    noteKeyRing(config, true);
    // The workers sign closed cases' records; off the embedded default they will not start without the key.
    recordSigner(config, true);
    const principals: KeyPrincipal[] = [...opts.labs.map((l): KeyPrincipal => `lab:${l}`), ...GOVERNMENT];
    const issued = principals.map((p) => ({ p, ...newApiKey(p, `drill ${p}`) }));
    await ApiKeys.create(
      config.API_KEYS_FILE,
      issued.map((i) => i.record),
    );
    const secrets: Record<string, string> = {};
    for (const lab of opts.labs) secrets[lab] = (await addLabSecret(config.CALLBACK_SECRETS_FILE, lab))!;
    const system = new System(
      opts,
      await freePort(),
      await freePort(),
      Object.fromEntries(issued.map((i) => [i.p, i.key])),
      secrets,
    );
    await system.startTemporal();
    const starts = await Promise.allSettled([
      ...Array.from({ length: opts.workers }, () => system.startWorker()),
      ...((opts.gateway ?? true) ? [system.startGateway()] : []),
    ]);
    const failed = starts.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      // What did start stops again: a failed start leaves nothing running.
      await system.stop();
      throw failed.reason;
    }
    return system;
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  /** What every product process is given: a deployment on an existing cluster (this dev server). */
  productEnv(): Record<string, string> {
    return {
      TEMPORAL_ADDRESS: this.temporalAddress,
      DATA_DIR: path.join(this.opts.dir, 'data'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      TEMPORAL_RUNTIME_METRICS_PORT: '0',
      OIDC_DEV_PROVIDER_PORT: '0',
      CALLBACK_ALLOW_INSECURE: 'true',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...this.opts.env,
    };
  }

  private logFile(name: string): string {
    return path.join(this.opts.dir, 'logs', `${name}.log`);
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startDevServer({
      cliPath: this.opts.cliPath ?? (await resolveTemporalCli()),
      ip: '127.0.0.1',
      port: this.temporalPort,
      namespace: 'default',
      dbFile: path.join(this.opts.dir, 'data', 'temporal.sqlite'),
      logger: this.opts.logger,
    });
  }

  /** SIGKILL the Temporal server, then start it again on the same data file and port. */
  async crashTemporal(): Promise<void> {
    process.kill(this.temporal.pid, 'SIGKILL');
    await this.temporal.exited;
    await this.startTemporal();
  }

  /** Starts a review worker process; `env` adds to the product's environment (another task queue, say). */
  async startWorker(env: Record<string, string> = {}): Promise<ManagedProcess> {
    const name = `worker-${++this.started}`;
    const worker = await ManagedProcess.node(
      name,
      'workers/review-worker.ts',
      { ...this.productEnv(), ...env },
      this.logFile(name),
      (line) => line.includes('review worker polling'),
    );
    this.workers.push(worker);
    return worker;
  }

  /** SIGKILL one running worker (the oldest). */
  async crashWorker(): Promise<string> {
    const worker = this.workers.find((w) => w.running);
    if (worker === undefined) throw new Error('no worker is running');
    await worker.kill();
    this.workers.splice(this.workers.indexOf(worker), 1);
    return worker.name;
  }

  async startGateway(): Promise<void> {
    this.gatewayProcess = await ManagedProcess.node(
      'gateway',
      'workers/gateway.ts',
      { ...this.productEnv(), HTTP_PORT: String(this.httpPort) },
      this.logFile('gateway'),
      (line) => line.includes('"msg":"Server listening at'),
    );
  }

  /** Stops the gateway as a deploy does (SIGTERM) and starts it again on the same port. */
  async restartGateway(): Promise<void> {
    await this.gatewayProcess.stop();
    await this.startGateway();
  }

  async stop(): Promise<void> {
    await Promise.all([this.gatewayProcess?.stop(), ...this.workers.map((w) => w.stop())]);
    await this.temporal?.stop();
  }
}

/**
 * For a drill run from the command line: a SIGINT or SIGTERM to the driver ends it through process.exit, so the
 * exit hooks of its processes (shared/node/managed-process.ts) stop the gateway and workers it started instead
 * of leaving them running.
 */
export function exitOnSignals(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}
