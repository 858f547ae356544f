import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../shared/node/logger';

const run = promisify(execFile);

/** Four Temporal services with pools of 20 + 10, the SQL tool and an operator's psql, with room to spare. */
const MAX_CONNECTIONS = 200;

/**
 * The machine's Debian PostgreSQL, as the cluster profile's database: a data directory of its own, initialised
 * on first start and started and stopped with the profile. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user, and its data directory must be where that user can write (by default outside
 * the checkout, which may be under /root).
 */
export interface PostgresOptions {
  dataDir: string;
  port: number;
  logger: Logger;
}

export interface Postgres {
  port: number;
  stop(): Promise<void>;
}

/** The newest PostgreSQL server installed by Debian's packages. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL is not installed: Debian's package is expected (apt-get install postgresql; " +
        'scripts/install-postgres.sh does it)',
    );
  }
  return path.join(root, versions[0], 'bin');
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program as the user that owns the data (postgres, when we are root). */
async function pg(bin: string, program: string, args: string[]): Promise<string> {
  const command = path.join(bin, program);
  const { stdout } = asRoot
    ? await run('runuser', ['-u', 'postgres', '--', command, ...args])
    : await run(command, args);
  return stdout;
}

export async function startPostgres(opts: PostgresOptions): Promise<Postgres> {
  const bin = postgresBinDir();
  const log = opts.logger.child({ component: 'postgres' });
  if (!existsSync(opts.dataDir)) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(opts.dataDir, Number(stdout.trim()), Number(gid.trim()));
    }
  }
  if (asRoot) {
    try {
      await run('runuser', ['-u', 'postgres', '--', 'test', '-w', opts.dataDir]);
    } catch {
      throw new Error(
        `the postgres user cannot reach ${opts.dataDir}: set CLUSTER_DIR to a folder it can reach ` +
          '(the default is /var/tmp/frontier-review-cluster; a checkout under /root is not reachable)',
      );
    }
  }
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    log.info({ dataDir: opts.dataDir }, 'initialising the PostgreSQL data directory (first start)');
    // Only loopback connections, trusted: the profile is one machine's, like the embedded dev server.
    await pg(bin, 'initdb', ['-D', opts.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  }
  const logFile = path.join(opts.dataDir, 'postgres.log');
  // Every Temporal service may open its two pools in full (cluster/temporal.ts: 20 + 10 connections, four
  // services), more than PostgreSQL's default of 100; a loaded start-up that reached it would kill a service.
  const serverOptions =
    `-p ${opts.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${opts.dataDir}` +
    ` -c max_connections=${MAX_CONNECTIONS}`;
  await pg(bin, 'pg_ctl', [
    '-D',
    opts.dataDir,
    '-l',
    logFile,
    '-o',
    serverOptions,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  log.info({ port: opts.port, dataDir: opts.dataDir, log: logFile }, 'PostgreSQL ready');
  return {
    port: opts.port,
    stop: async () => {
      await pg(bin, 'pg_ctl', ['-D', opts.dataDir, '-m', 'fast', '-w', 'stop']);
      log.info('PostgreSQL stopped');
    },
  };
}

/** Stops a PostgreSQL a killed run left on this data directory, if any (its postmaster.pid says so). */
export async function stopLeftoverPostgres(dataDir: string, logger: Logger): Promise<void> {
  if (!existsSync(path.join(dataDir, 'postmaster.pid'))) return;
  const bin = postgresBinDir();
  try {
    await pg(bin, 'pg_ctl', ['-D', dataDir, 'status']);
  } catch {
    return; // not running: a stale pid file, which PostgreSQL itself handles
  }
  logger.warn({ dataDir }, 'a PostgreSQL a previous run left is running on this data: stopping it');
  await pg(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
}
