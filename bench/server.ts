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

/** The pid of the process whose command line names our private database file (Linux /proc only). */
function findPid(marker: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return Number(entry);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc on this platform
  }
  return undefined;
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
export async function startBenchServer(logger: Logger, dataConverter: DataConverter): Promise<BenchServer> {
  if (process.env.TEMPORAL_ADDRESS !== undefined && process.env.TEMPORAL_ADDRESS !== '') {
    const config = loadConfig();
    const target = temporalTarget(config);
    const connection = await connectClient(target);
    await registerSearchAttributes(connection, target.namespace);
    return {
      address: target.address,
      namespace: target.namespace,
      kind: 'existing cluster (TEMPORAL_ADDRESS)',
      client: new Client({ connection, namespace: target.namespace, dataConverter }),
      dataBytes: () => undefined,
      rssBytes: () => undefined,
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
    client: new Client({ connection, namespace: 'default', dataConverter }),
    dbFile,
    dataBytes: () => fileSize(dbFile) + fileSize(`${dbFile}-wal`) + fileSize(`${dbFile}-shm`),
    rssBytes: () => rssOf(pid),
    stop,
  };
}
