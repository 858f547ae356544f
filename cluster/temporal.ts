import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { Logger } from '../shared/node/logger';
import { ManagedProcess } from '../shared/node/managed-process';
import { registerSearchAttributes } from '../shared/node/search-attributes';

const run = promisify(execFile);

/** The Temporal services, each a process of its own, in the order they start (and stop in reverse). */
export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type Service = (typeof SERVICES)[number];

export interface TemporalClusterOptions {
  /** Where the server and temporal-sql-tool are, with the module's schema/ (scripts/install-temporal-server.sh). */
  serverDir: string;
  /** Where the profile keeps its server config and logs. */
  dir: string;
  postgresPort: number;
  frontendPort: number;
  historyShards: number;
  namespace: string;
  logger: Logger;
}

const DATABASES = [
  { name: 'temporal', schema: 'schema/postgresql/v12/temporal/versioned' },
  { name: 'temporal_visibility', schema: 'schema/postgresql/v12/visibility/versioned' },
] as const;

/**
 * Creates both databases on first start and brings their schemas up to the server's version, with the server
 * module's own SQL tool (idempotent: an up-to-date schema is left as it is).
 */
export async function migrateSchemas(opts: TemporalClusterOptions): Promise<void> {
  const tool = path.join(opts.serverDir, 'temporal-sql-tool');
  for (const db of DATABASES) {
    const base = [
      '--plugin',
      'postgres12',
      '--ep',
      '127.0.0.1',
      '-p',
      String(opts.postgresPort),
      '-u',
      'postgres',
    ];
    const sql = (...args: string[]) => run(tool, [...base, '--db', db.name, ...args]);
    let created = true;
    try {
      await sql('create-database');
    } catch (err) {
      if (!/already exists/.test(String((err as { stderr?: string }).stderr ?? err))) throw err;
      created = false;
    }
    if (created) await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(opts.serverDir, db.schema));
    opts.logger.info({ database: db.name, created }, 'Temporal schema up to date');
  }
}

/** The server's configuration: PostgreSQL for persistence and visibility, each service on its own ports. */
function writeConfig(opts: TemporalClusterOptions): void {
  const configDir = path.join(opts.dir, 'config');
  mkdirSync(path.join(configDir, 'dynamicconfig'), { recursive: true });
  const port = (offset: number) => opts.frontendPort + offset;
  const sql = (database: string, conns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `127.0.0.1:${opts.postgresPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: '',
      maxConns: conns,
      maxIdleConns: conns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpc: number, membership: number, http?: number) => ({
    rpc: {
      grpcPort: grpc,
      membershipPort: membership,
      bindOnLocalHost: true,
      ...(http === undefined ? {} : { httpPort: http }),
    },
  });
  const config = {
    log: { stdout: true, level: 'warn', format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: opts.historyShards,
      datastores: {
        'postgres-default': sql('temporal', 20),
        'postgres-visibility': sql('temporal_visibility', 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: rpc(port(0), port(-300), port(10)),
      history: rpc(port(1), port(-299)),
      matching: rpc(port(2), port(-298)),
      worker: rpc(port(6), port(-294)),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${port(0)}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: {
      filepath: path.join(configDir, 'dynamicconfig', 'cluster.yaml'),
      pollInterval: '10s',
    },
  };
  // JSON is YAML: the server reads this file as its "cluster" environment.
  writeFileSync(path.join(configDir, 'cluster.yaml'), `${JSON.stringify(config, null, 2)}\n`);
  const dynamic = {
    'frontend.enableUpdateWorkflowExecution': [{ value: true }],
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted': [{ value: true }],
    'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
  };
  writeFileSync(
    path.join(configDir, 'dynamicconfig', 'cluster.yaml'),
    `${JSON.stringify(dynamic, null, 2)}\n`,
  );
}

export class TemporalCluster {
  readonly services = new Map<Service, ManagedProcess>();

  constructor(private readonly opts: TemporalClusterOptions) {}

  get address(): string {
    return `127.0.0.1:${this.opts.frontendPort}`;
  }

  async start(): Promise<void> {
    await migrateSchemas(this.opts);
    writeConfig(this.opts);
    mkdirSync(path.join(this.opts.dir, 'logs'), { recursive: true });
    // On a fresh database each service writes the cluster's metadata record as it starts; started together, all
    // but one die on the duplicate key (seen in CI). The frontend goes first, the others once it answers.
    await this.startService('frontend');
    await this.untilServing('frontend');
    for (const service of SERVICES) if (service !== 'frontend') await this.startService(service);
    await this.untilServing('all');
    await this.registerNamespace();
    const connection = await Connection.connect({ address: this.address });
    try {
      // A namespace just registered reaches every service's cache within seconds (10 s at most).
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await registerSearchAttributes(connection, this.opts.namespace);
          break;
        } catch (err) {
          if (Date.now() > deadline || !/not found/i.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    } finally {
      await connection.close();
    }
  }

  async startService(service: Service): Promise<void> {
    const process = await ManagedProcess.start({
      name: `temporal ${service}`,
      command: path.join(this.opts.serverDir, 'server'),
      args: [
        '--root',
        this.opts.dir,
        '--config',
        'config',
        '--env',
        'cluster',
        'start',
        '--service',
        service,
      ],
      logFile: path.join(this.opts.dir, 'logs', `${service}.log`),
    });
    this.services.set(service, process);
    this.opts.logger.info({ service }, 'Temporal service started');
  }

  /** SIGKILL one service, as a crash. */
  async killService(service: Service): Promise<void> {
    await this.services.get(service)?.kill();
    this.services.delete(service);
  }

  private async untilServing(what: 'frontend' | 'all'): Promise<void> {
    const deadline = Date.now() + 120_000;
    let last: unknown;
    while (Date.now() < deadline) {
      const dead = [...this.services].filter(([, p]) => !p.running).map(([name]) => name);
      if (dead.length > 0) {
        const logs = path.join(this.opts.dir, 'logs');
        const why = dead.map((name) => `${name}: ${lastLines(path.join(logs, `${name}.log`))}`).join('\n');
        throw new Error(`Temporal ${dead.join(', ')} exited while starting (logs: ${logs})\n${why}`);
      }
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.getSystemInfo({});
          // The frontend answers before history owns its shards; a namespace read shows both are up.
          if (what === 'all') await connection.workflowService.listNamespaces({});
          return;
        } finally {
          await connection.close();
        }
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    throw new Error(`the Temporal cluster at ${this.address} did not answer within 2 minutes`, {
      cause: last,
    });
  }

  private async registerNamespace(): Promise<void> {
    const connection = await Connection.connect({ address: this.address });
    try {
      try {
        await connection.workflowService.describeNamespace({ namespace: this.opts.namespace });
        return;
      } catch {
        // not registered yet
      }
      await connection.workflowService.registerNamespace({
        namespace: this.opts.namespace,
        workflowExecutionRetentionPeriod: msToTs('30 days'),
      });
      this.opts.logger.info({ namespace: this.opts.namespace }, 'namespace registered');
    } finally {
      await connection.close();
    }
  }

  /** Stops the services, last started first. */
  async stop(): Promise<void> {
    for (const service of [...SERVICES].reverse()) {
      await this.services.get(service)?.stop();
      this.services.delete(service);
    }
  }
}

/** The end of a service's log, for the error that says it died (the folder may be gone when it is read). */
function lastLines(file: string, count = 3): string {
  if (!existsSync(file)) return '(no log)';
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count);
  return lines.map((l) => (l.length > 600 ? `${l.slice(0, 600)}…` : l)).join('\n');
}
