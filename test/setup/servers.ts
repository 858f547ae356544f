import { Client, Connection, isGrpcServiceError, type WorkflowClientInterceptor } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { exportJWK, generateKeyPair } from 'jose';
import type { ClientKey } from '../../shared/node/client-key';
import { startDevIdentityProvider, type DevIdentityProvider } from '../../shared/node/dev-identity-provider';
import type { Logger } from '../../shared/node/logger';
import { bindMessages, productClientInterceptors } from '../../shared/node/message-binding';
import { registerSearchAttributes } from '../../shared/node/search-attributes';
import { installTemporalRuntime } from '../../shared/node/temporal-runtime';
import { resolveTestServer } from '../../shared/node/tools';
import { startLabReceiver, type LabReceiver } from '../helpers/lab-receiver';
import { testDataConverter } from '../helpers/sealing';
import { guardChildren } from './run-dirs';
import { runEnv } from './run-env';
import { testLogger } from './test-logger';

/**
 * What each mocha process (the main one, or each parallel worker) starts once and its test files share. The
 * run's dev server and workflow bundle come from the global setup (./global-fixtures.ts); each test file gets
 * a time-skipping server of its own (timeSkipping below).
 */
export interface TestServers {
  logger: Logger;
  dev: { address: string };
  devConnection: Connection;
  /** The dev server's default namespace; tests that list or count use a namespace of their own. */
  devClient: Client;
  /** The test workflows' bundle, built once for the run. */
  workflowBundle: { codePath: string };
  labReceiver: LabReceiver;
  /** The dev server's SQLite file, in the run's own folder. */
  devDbFile: string;
  /** A real OpenID provider (oidc-provider) with one person per role; every test gateway accepts its tokens. */
  identity: DevIdentityProvider;
  /** The private key of the provider's keyed client (TEST_KEYED_CLIENT_ID, `private_key_jwt`), made at start. */
  keyedClientKey: ClientKey;
}

/** The audience the suite's gateways accept tokens for, and one they must refuse. */
export const TEST_AUDIENCE = 'urn:frontier-review:api';
export const OTHER_AUDIENCE = 'urn:another:api';
/** Where the test identity provider returns a signed-in person (the dashboard test's page). */
export const TEST_REDIRECT_URI = 'http://127.0.0.1/dashboard';
/** The workbench's confidential client at the suite's provider (loopback: any port of the suite's gateways). */
export const TEST_WORKBENCH_CLIENT = {
  clientId: 'frontier-review-workbench',
  clientSecret: 'test-workbench-client-secret',
};

/** A workbench client at the suite's provider that proves itself with a signed assertion, as Login.gov asks. */
export const TEST_KEYED_CLIENT_ID = 'frontier-review-portal-keyed';

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

/** Starts this process's servers, once; they live as long as the process. */
export async function startTestServers(): Promise<void> {
  if (servers !== undefined) return;
  const logger = testLogger();
  installTemporalRuntime(logger);
  const run = runEnv();
  const devConnection = await Connection.connect({ address: run.devAddress });
  const devClient = new Client({
    connection: devConnection,
    namespace: 'default',
    dataConverter: testDataConverter,
    interceptors: productClientInterceptors(),
  });
  const keyed = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = {
    ...(await exportJWK(keyed.publicKey)),
    alg: 'ES256',
    use: 'sig',
    kid: 'suite-keyed-client',
  };
  const [labReceiver, identity] = await Promise.all([
    startLabReceiver(),
    startDevIdentityProvider({
      host: '127.0.0.1',
      port: 0,
      audience: TEST_AUDIENCE,
      otherAudiences: [OTHER_AUDIENCE],
      redirectUris: [TEST_REDIRECT_URI, 'http://localhost/dashboard'],
      workbench: {
        ...TEST_WORKBENCH_CLIENT,
        redirectUris: [
          'http://127.0.0.1/workbench/sign-in/callback',
          'http://localhost/workbench/sign-in/callback',
        ],
      },
      keyedClient: {
        clientId: TEST_KEYED_CLIENT_ID,
        jwks: { keys: [publicJwk] },
        redirectUris: [
          'http://127.0.0.1/workbench/sign-in/callback',
          'http://localhost/workbench/sign-in/callback',
        ],
      },
    }),
  ]);
  servers = {
    logger,
    dev: { address: run.devAddress },
    devConnection,
    devClient,
    workflowBundle: { codePath: run.testBundle },
    labReceiver,
    devDbFile: run.devDbFile,
    identity,
    keyedClientKey: { key: keyed.privateKey, kid: 'suite-keyed-client' },
  };
}

/** This process's servers stop with it; in a serial run, the root hooks stop them at the end. */
export async function stopTestServers(): Promise<void> {
  const s = servers;
  servers = undefined;
  await stopTimeSkipping();
  if (s === undefined) return;
  await Promise.allSettled([s.labReceiver.close(), s.identity.close()]);
  await s.devConnection.close().catch(() => undefined);
  // The runtime shuts itself down when its last native object goes; one installed but never used (a file
  // with no worker) would hold the process open for ever.
  await Runtime._instance?.shutdown();
}

/** The time-skipping server of the test file running now, and that file. */
let timeSkippingEnv: { file: string; env: Promise<TestWorkflowEnvironment> } | undefined;
let runningFile = '';

/** The workflows started through a time-skipping client since the last takeStartedWorkflows (every start, however made). */
const started = new Set<string>();
const recordStarts: WorkflowClientInterceptor = {
  startWithDetails(input, next) {
    started.add(input.options.workflowId);
    return next(input);
  },
  signalWithStart(input, next) {
    started.add(input.options.workflowId);
    return next(input);
  },
  startUpdateWithStart(input, next) {
    started.add(input.workflowStartOptions.workflowId);
    return next(input);
  },
};

/** The ids of the workflows the running test started through the time-skipping client so far; forgets them. */
export function takeStartedWorkflows(): string[] {
  const ids = [...started];
  started.clear();
  return ids;
}

/** Tells which test file runs now (the root hooks, before each test): a new file gets a new time-skipping server. */
export async function enterTestFile(file: string): Promise<void> {
  runningFile = file;
  if (timeSkippingEnv !== undefined && timeSkippingEnv.file !== file) await stopTimeSkipping();
}

/**
 * The running test file's own time-skipping server (the Java test server), started on first use with the
 * product's search attributes. One per file: what a file leaves on its server's clock never reaches another
 * file, and a test that leaves the clock locked fails itself and gets its file a new server (clockIsFree).
 */
export function timeSkipping(): Promise<TestWorkflowEnvironment> {
  if (timeSkippingEnv === undefined) {
    const env = (async () => {
      const created = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: await resolveTestServer() } },
        client: {
          dataConverter: testDataConverter,
          interceptors: { workflow: [recordStarts, bindMessages] },
        },
      });
      // Its JVM (or, with the run's pool, its launcher holding the pool's server) is a child the SDK's core
      // started: a process killed with a signal must not leave it running.
      guardChildren(/java|temporal-test-server/);
      await registerSearchAttributes(created.connection, created.namespace ?? 'default');
      return created;
    })();
    timeSkippingEnv = { file: runningFile, env };
  }
  return timeSkippingEnv.env;
}

/**
 * The instant every time-skipping test starts at: Wednesday 2 September 2037, 10:00 in Washington (EDT). Later
 * than any day the suite runs on, so a new server (which starts at the real time and only moves forward) can
 * always reach it: no test depends on the day it runs. 2037 repeats 2026's weekdays, its rule-based holidays
 * and its daylight-saving dates, and the pinned calendar tables cover it.
 */
export const SCENARIO_START = Date.parse('2037-09-02T14:00:00.000Z');

/**
 * The running file's time-skipping server with its clock at `start`: skipped forward to it, or, when an
 * earlier test of the file has moved the clock past it, a new server (the old one had ended cleanly: it
 * stops at once).
 */
export async function timeSkippingAt(start: number): Promise<TestWorkflowEnvironment> {
  let env = await timeSkipping();
  if ((await env.currentTimeMs()) > start) {
    const used = timeSkippingEnv;
    timeSkippingEnv = undefined;
    await (await used?.env)?.teardown().catch(() => undefined);
    env = await timeSkipping();
  }
  const ahead = start - (await env.currentTimeMs());
  if (ahead > 0) await env.sleep(ahead);
  return env;
}

/**
 * Retires the running file's time-skipping server, if it has one: the next use starts another. A retired
 * server stops when its file ends (stopRetired), so what a failed test still does in the background meets a
 * live server, not a closed channel, and never the server the next test uses.
 */
export function discardTimeSkipping(): void {
  if (timeSkippingEnv !== undefined) retired.push(timeSkippingEnv.env);
  timeSkippingEnv = undefined;
}
const retired: Promise<TestWorkflowEnvironment>[] = [];

/** Stops the file's time-skipping servers: the one in use and those retired. */
export async function stopTimeSkipping(): Promise<void> {
  discardTimeSkipping();
  const envs = await Promise.all(retired.splice(0).map((e) => e.catch(() => undefined)));
  for (const env of envs) await env?.teardown().catch(() => undefined);
}

/** gRPC's status code (the product's gateway names it too: gateway/temporal-errors.ts). */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * How long a skip of a day may take in real time on a free clock: milliseconds on a quiet machine, seconds on
 * one whose cores are all busy. A locked clock never answers, so a generous limit costs only when it is locked;
 * a free clock taken for locked costs a new server, never a failure. FREE_CLOCK_LIMIT_MS shortens it for the
 * meta test, whose fixture locks the clock on purpose (test/meta/failing-alone.test.ts).
 */
const FREE_CLOCK_LIMIT_MS = Number(process.env.FREE_CLOCK_LIMIT_MS ?? 20_000);

/**
 * Whether the time-skipping server's clock still skips: a day's skip must end within seconds. A workflow task
 * or activity left in flight (a workflow a test left running on a task queue no worker polls any more, a
 * worker stopped mid-task) locks the clock, and every later skip would then take real time. The skip has a
 * gRPC deadline, so nothing is left waiting on the server.
 */
export async function clockIsFree(env: TestWorkflowEnvironment): Promise<boolean> {
  try {
    await env.connection.withDeadline(Date.now() + FREE_CLOCK_LIMIT_MS, () =>
      env.connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs('1 day') }),
    );
    return true;
  } catch (err) {
    // Past the deadline grpc-js answers DEADLINE_EXCEEDED, or CANCELLED when the deadline fires while the call
    // is still being set up (seen under heavy load). Either way the clock is not shown free, and a server that
    // cannot show it is not handed to the next test: it is retired, which costs only a new server.
    const code = isGrpcServiceError(err) ? (err.code as number) : undefined;
    if (code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED) return false;
    throw err;
  }
}
