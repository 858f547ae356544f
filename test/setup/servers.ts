import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pino from 'pino';
import { startDevServer, freePort, type DevServer } from '../../shared/node/dev-server';
import { startDevIdentityProvider, type DevIdentityProvider } from '../../shared/node/dev-identity-provider';
import { TemporalPinoLogger, type Logger } from '../../shared/node/logger';
import { startLabReceiver, type LabReceiver } from '../helpers/lab-receiver';
import { testDataConverter } from '../helpers/sealing';
import { claimRunDir, guardChildren } from './run-dirs';
import { registerSearchAttributes } from '../../shared/node/search-attributes';
import { installTemporalRuntime } from '../../shared/node/temporal-runtime';
import { PROJECT_ROOT, resolveTemporalCli, resolveTestServer } from '../../shared/node/tools';
import { bundleOptions } from '../../workers/workflow-bundle';

/** What the root hooks start once per test run and every test shares. */
export interface TestServers {
  logger: Logger;
  timeSkipping: TestWorkflowEnvironment;
  dev: DevServer;
  devConnection: Connection;
  /** The dev server's default namespace; tests that list or count use a namespace of their own. */
  devClient: Client;
  workflowBundle: WorkflowBundleWithSourceMap;
  labReceiver: LabReceiver;
  /** The dev server's SQLite file, in this run's own folder (./run-dirs.ts). */
  devDbFile: string;
  /** A real OpenID provider (oidc-provider) with one person per role; every test gateway accepts its tokens. */
  identity: DevIdentityProvider;
}

/** The audience the suite's gateways accept tokens for, and one they must refuse. */
export const TEST_AUDIENCE = 'urn:frontier-review:api';
export const OTHER_AUDIENCE = 'urn:another:api';
/** Where the test identity provider returns a signed-in person (the dashboard test's page). */
export const TEST_REDIRECT_URI = 'http://127.0.0.1/dashboard';

let servers: TestServers | undefined;

/**
 * The shared lab receiver's callback URL. Bodies built while test files load (before the servers run) are
 * only ever refused, so they get a URL that resolves nowhere.
 */
export const labReceiverUrl = (): string =>
  servers?.labReceiver.url ?? 'https://callbacks.acme.example/frontier-review';

export function testServers(): TestServers {
  if (servers === undefined)
    throw new Error('test servers are not running: run mocha with the project .mocharc.json');
  return servers;
}

/** Logs of the servers and the SDK go to test-results/test.log, so mocha's output stays readable. */
function testLogger(): Logger {
  const dir = path.join(PROJECT_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  return pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'frontier-review-test' } },
    pino.destination({ dest: path.join(dir, 'test.log'), sync: true }),
  );
}

/** Everything started so far, so a failed start still stops what it began. */
const started: { stop: () => Promise<unknown> }[] = [];

export async function startTestServers(): Promise<void> {
  const logger = testLogger();
  installTemporalRuntime(logger);
  const [cliPath, testServerPath] = await Promise.all([resolveTemporalCli(), resolveTestServer()]);
  const track = <T>(p: Promise<T>, stop: (x: T) => Promise<unknown>): Promise<T> =>
    p.then((x) => {
      started.push({ stop: () => stop(x) });
      return x;
    });
  const devDbFile = path.join(claimRunDir('frontier-review-dev'), 'temporal.db');
  // The time-skipping server first and alone: the SDK gives its JVM only 5 s to accept connections.
  const timeSkipping = await track(
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServerPath } },
      client: { dataConverter: testDataConverter },
    }),
    (env) => env.teardown(),
  );
  // Its JVM is a child the SDK's core started: a run killed with a signal must not leave it running.
  guardChildren(/java/);
  const [dev, workflowBundle] = await Promise.all([
    track(
      freePort().then((port) =>
        // On a file, as npm start runs it, so tests can read what the server keeps (the leak scan).
        startDevServer({ cliPath, ip: '127.0.0.1', port, namespace: 'default', logger, dbFile: devDbFile }),
      ),
      (d) => d.stop(),
    ),
    bundleWorkflowCode({
      ...bundleOptions(require.resolve('../fixtures/workflows')),
      logger: new TemporalPinoLogger(logger.child({ component: 'bundler' })),
    }),
  ]);
  await registerSearchAttributes(timeSkipping.connection, timeSkipping.namespace ?? 'default');
  const devConnection = await track(Connection.connect({ address: dev.address }), (c) => c.close());
  const devClient = new Client({
    connection: devConnection,
    namespace: 'default',
    dataConverter: testDataConverter,
  });
  const labReceiver = await track(startLabReceiver(), (r) => r.close());
  const identity = await track(
    startDevIdentityProvider({
      host: '127.0.0.1',
      port: 0,
      audience: TEST_AUDIENCE,
      otherAudiences: [OTHER_AUDIENCE],
      redirectUris: [TEST_REDIRECT_URI],
    }),
    (p) => p.close(),
  );
  servers = {
    logger,
    timeSkipping,
    dev,
    devConnection,
    devClient,
    workflowBundle,
    labReceiver,
    devDbFile,
    identity,
  };
}

export async function stopTestServers(): Promise<void> {
  const devDbFile = servers?.devDbFile;
  servers = undefined;
  // Last started, first stopped: the client connection before the servers.
  for (const s of started.splice(0).reverse()) await s.stop().catch(() => undefined);
  if (devDbFile !== undefined) rmSync(path.dirname(devDbFile), { recursive: true, force: true });
}
