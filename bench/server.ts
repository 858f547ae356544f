import type { DataConverter } from '@temporalio/common';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from '../shared/node/logger';
import { loadConfig } from '../shared/node/config';
import { freePort, startDevServer, type DevServer } from '../shared/node/dev-server';
import { registerSearchAttributes } from '../shared/node/search-attributes';
import { connectClient, temporalTarget } from '../shared/node/temporal-connection';
import { resolveTemporalCli } from '../shared/node/tools';
import { productClientInterceptors } from '../shared/node/message-binding';

export interface BenchServer {
  /** How the worker process reaches it: an address, or undefined for TEMPORAL_ADDRESS and its TLS settings. */
  workerAddress?: string;
  address: string;
  namespace: string;
  kind: string;
  client: Client;
  dbFile?: string;
  /** The SQLite file with its WAL and shared-memory files, in bytes; undefined for an existing cluster. */
  dataBytes(): number | undefined;
  /** Resident memory of the dev server process, when the bench started it. */
  rssBytes(): number | undefined;
  stop(): Promise<void>;
}

const fileSize = (f: string): number => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

/** The pids of the processes whose command lines hold every marker (Linux /proc only). */
function findPids(...markers: string[]): number[] {
  const pids: number[] = [];
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        if (markers.every((m) => cmdline.includes(m))) pids.push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc on this platform
  }
  return pids;
}

/** The pid of the process whose command line names our private database file. */
const findPid = (marker: string): number | undefined => findPids(marker)[0];

/** Bytes under a directory (files only; what the user running the bench may read). */
function treeSize(dir: string): number {
  let total = 0;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) total += fileSize(path.join(entry.parentPath, entry.name));
    }
  } catch {
    return total;
  }
  return total;
}

/**
 * The cluster profile's own figures (`npm run cluster` on this machine, CLUSTER_DIR): its PostgreSQL data
 * directory's size, and the resident memory of its Temporal services (each started with `--root
 * CLUSTER_DIR/temporal`), summed.
 */
export function clusterProfileFigures(
  clusterDir: string,
): Pick<BenchServer, 'dataBytes' | 'rssBytes' | 'kind'> {
  const root = path.join(clusterDir, 'temporal');
  return {
    kind: `the cluster profile (PostgreSQL and Temporal services in ${clusterDir})`,
    dataBytes: () => treeSize(path.join(clusterDir, 'postgres')),
    rssBytes: () => {
      const pids = findPids(`--root\0${root}\0`, '--service');
      return pids.length === 0 ? undefined : pids.reduce((sum, pid) => sum + (rssOf(pid) ?? 0), 0);
    },
  };
}

function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server the benchmark runs against: with TEMPORAL_ADDRESS, that cluster (search attributes registered if
 * missing); otherwise a dev server started here on 127.0.0.1 with a private SQLite file (WAL journal, as
 * `npm start` runs it) in a temporary folder that stop() deletes.
 */
export async function startBenchServer(
  logger: Logger,
  dataConverter: DataConverter,
  clusterDir?: string,
): Promise<BenchServer> {
  if (process.env.TEMPORAL_ADDRESS !== undefined && process.env.TEMPORAL_ADDRESS !== '') {
    const config = loadConfig();
    const target = temporalTarget(config);
    const connection = await connectClient(target);
    await registerSearchAttributes(connection, target.namespace);
    return {
      address: target.address,
      namespace: target.namespace,
      kind: 'existing cluster (TEMPORAL_ADDRESS)',
      client: new Client({
        connection,
        namespace: target.namespace,
        dataConverter,
        interceptors: productClientInterceptors(),
      }),
      dataBytes: () => undefined,
      rssBytes: () => undefined,
      ...(clusterDir === undefined ? {} : clusterProfileFigures(clusterDir)),
      stop: () => connection.close(),
    };
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-bench-'));
  const dbFile = path.join(dir, 'temporal.db');
  let dev: DevServer | undefined;
  let connection: Connection | undefined;
  const stop = async () => {
    await connection?.close().catch(() => undefined);
    await dev?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cliPath = await resolveTemporalCli();
    const port = await freePort();
    dev = await startDevServer({ cliPath, ip: '127.0.0.1', port, namespace: 'default', dbFile, logger });
    connection = await Connection.connect({ address: dev.address });
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = findPid(dbFile);
  return {
    workerAddress: dev.address,
    address: dev.address,
    namespace: 'default',
    kind: 'temporal server start-dev (SQLite file, WAL), started by the bench',
    client: new Client({
      connection,
      namespace: 'default',
      dataConverter,
      interceptors: productClientInterceptors(),
    }),
    dbFile,
    dataBytes: () => fileSize(dbFile) + fileSize(`${dbFile}-wal`) + fileSize(`${dbFile}-shm`),
    rssBytes: () => rssOf(pid),
    stop,
  };
}
