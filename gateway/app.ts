import type { KeyObject } from 'node:crypto';
import type { RecordStore } from '../shared/node/record-store';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiKeys } from '../shared/node/api-keys';
import type { KeyRing } from '../shared/node/key-ring';
import type { Config } from '../shared/node/config';
import type { Logger } from '../shared/node/logger';
import { authenticate } from './auth';
import { callbackUrlCheck } from './callback-urls';
import { authenticateWithinLimits, RateLimiter } from './rate-limits';
import type { CallbackUrlOptions } from '../shared/node/callback-url';
import { Cases } from './cases';
import { Commitments } from './commitments';
import { Grants } from './grants';
import { Labs } from './labs';
import { PolicyRegistry } from '../shared/domain/policy-registry';
import { Findings } from './findings';
import { Government } from './government';
import { registerOpenApi } from './openapi';
import { clientErrorHandler, frameworkErrors, methodsOfPaths, notFound, strictJsonParser } from './hygiene';
import { handleError, sendProblem } from './problem';
import { agencyRoutes } from './routes/agency';
import { caseRoutes } from './routes/cases';
import { chairRoutes } from './routes/chair';
import type { RouteContext } from './routes/context';
import { ActSigning } from './act-signing';
import { PasskeyCeremonies, type RelyingParty } from './passkey-ceremonies';
import type { Passkeys } from '../shared/node/passkeys';
import { statementRoutes } from './routes/statements';
import { labRoutes } from './routes/lab';
import { opsRoutes } from './routes/ops';
import { systemRoutes } from './routes/system';
import { recordKeyRoute, recordRoutes } from './routes/records';
import { commitmentRoutes } from './routes/commitments';
import { grantRoutes } from './routes/grants';
import { labRecordRoutes } from './routes/labs';
import { findingRoutes } from './routes/findings';
import { metricsRoutes } from './routes/metrics';
import { codecRoutes } from './routes/codec';
import { adminRoutes } from './routes/admin';
import { peopleRoutes } from './routes/people';
import type { People } from '../shared/node/people';
import { passkeyRoutes } from './routes/passkeys';
import type { AccessLog } from './access-log';
import { NotePlaces } from './note-places';
import { mapped } from './temporal-errors';
import type { OidcVerifier } from './oidc';
import { createMetrics, type ProductMetrics } from '../shared/node/metrics';
import { dashboardRoutes } from '../dashboard/server';
import type { ClientKey } from '../shared/node/client-key';
import { workbenchRoutes } from '../workbench/plugin';
import { WorkbenchSessions } from '../workbench/sessions';

export interface AppDeps {
  logger: Logger;
  temporal: Client;
  apiKeys: ApiKeys;
  config: Pick<
    Config,
    | 'TEMPORAL_TASK_QUEUE'
    | 'HTTP_BODY_LIMIT'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE'
  >;
  /** What a callback URL must be (shared/node/callback-url.ts callbackUrlOptions): checked at the door. */
  callbackUrls: CallbackUrlOptions;
  /** The notes key ring: restricted notes are sealed with it on the way in and opened for entitled readers. */
  notes: KeyRing;
  /**
   * When this release was deployed (NOTE_SEALS_V1_BEFORE): restricted notes sealed v1 by earlier releases open
   * only in records the Temporal server started before it (./note-places.ts); without it, never.
   */
  notesV1Before?: Date;
  /** The policy in force for new filings (POLICY_IN_FORCE): the government's choice, never the lab's. */
  policyInForce: () => string;
  /** The policies the workers know (the presets unless given): the one in force proposes trusted partners. */
  policies?: PolicyRegistry;
  /** Deadline of one Temporal call; past it the client gets 503 and may retry. */
  callTimeoutMs?: number;
  /** The process's metrics, served at /metrics; the Temporal runtime's own are appended from this URL. */
  metrics?: ProductMetrics;
  runtimeMetricsUrl?: string;
  /**
   * The Temporal Web UI: its origin may call the codec server, and, when it can decode (its users send a
   * credential the codec server accepts), the dashboard's case page links each case's workflow there.
   */
  temporalUi?: { url: string; decodes: boolean };
  /** The payload key ring, for the codec server. */
  payloads: KeyRing;
  /** The access log (ACCESS_LOG_FILE). */
  accessLog: AccessLog;
  /** The labs' callback secrets (CALLBACK_SECRETS_FILE), where adding a lab writes its secret. */
  callbackSecretsFile: string;
  /** Sign-in for people: the identity provider's access tokens are accepted beside API keys. */
  oidc?: OidcVerifier;
  /** What the dashboard needs to sign people in (authorization code with PKCE). */
  signIn?: { issuer: string; clientId: string; audience: string };
  /** Closed cases' permanent records (RECORDS_DIR, shared with the workers that write them). */
  records?: RecordStore;
  /** The public key that verifies them (RECORD_VERIFYING_KEY_FILE), published at /v1/records/verifying-key. */
  recordVerifyingKey?: KeyObject;
  /** People's passkeys (PASSKEYS_FILE) and the relying party they are bound to; without them people cannot sign. */
  passkeys?: { store: Passkeys; relyingParty: RelyingParty };
  /** The reviewers' workbench (../workbench): its sign-in client, sessions and address. */
  workbench?: WorkbenchSettings;
  /** The labs' and operators' people administrators enrol (PEOPLE_FILE; issue 38). */
  people: People;
}

/** The workbench's client at the identity provider: its secret, or its private key (`private_key_jwt`). */
export interface WorkbenchClient {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  clientKey?: ClientKey;
  audience: string;
}

export interface WorkbenchSettings {
  /** WORKBENCH_URL; unset, each request's own origin. */
  publicUrl?: string;
  /** The identity provider's confidential client for the workbench; without it the pages say sign-in is off. */
  client?: WorkbenchClient;
  sessionSecret: string;
  idleMs: number;
  absoluteMs: number;
}

/** Never log a credential, whatever the root logger's settings. */
const REDACT = ['req.headers.authorization', 'headers.authorization', 'authorization'];

/** Builds the HTTP gateway without listening, so tests can `inject` requests in-process. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.logger.child(
    { component: 'gateway' },
    { redact: { paths: REDACT, censor: '[redacted]' } },
  );
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.config.HTTP_BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Ids are at most 64 characters; longer ones reach the schema (400) up to this, beyond it 414.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors,
    clientErrorHandler,
  });
  // The API speaks JSON only, as valid UTF-8: without the built-in text parser a text/plain body is 415.
  app.removeContentTypeParser('text/plain');
  strictJsonParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const unrouted = notFound(methodsOfPaths(app));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // A method the path does not answer can fail before routing (a body method without a content type).
    const refusal = req.routeOptions.url === undefined ? unrouted(req) : undefined;
    if (refusal?.code === 'METHOD_NOT_ALLOWED') return sendProblem(reply, refusal);
    return handleError(err, req, reply);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, unrouted(req)));
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  const callTimeoutMs = deps.callTimeoutMs ?? 10_000;
  /** A message to every open case waits this long for its count before the caller is told to ask again. */
  const FAN_OUT_TIMEOUT_MS = 5 * 60_000;
  const policies = deps.policies ?? new PolicyRegistry();
  const cases = new Cases({
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    policyInForce: deps.policyInForce,
    callTimeoutMs,
    records: deps.records,
    notes: deps.notes,
  });
  const grants = new Grants({
    temporal: deps.temporal,
    callTimeoutMs,
    records: deps.records,
    notes: deps.notes,
    nominator: () => policies.inForce(deps.policyInForce())?.earlyAccess?.nominator,
  });
  const places = new NotePlaces({
    temporal: deps.temporal,
    notes: deps.notes,
    v1Before: deps.notesV1Before,
    within: (fn) => mapped(() => deps.temporal.connection.withDeadline(Date.now() + callTimeoutMs, fn)),
  });
  const ctx: RouteContext = {
    places,
    temporal: deps.temporal,
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    callTimeoutMs,
    notes: deps.notes,
    keys: deps.apiKeys,
    signing: new ActSigning({
      keys: deps.apiKeys,
      notes: deps.notes,
      passkeys: deps.passkeys && new PasskeyCeremonies(deps.passkeys.store, deps.passkeys.relyingParty),
      signaturesInForce: () => policies.inForce(deps.policyInForce())?.signatures,
    }),
    accessLog: deps.accessLog,
    callbackSecretsFile: deps.callbackSecretsFile,
    people: deps.people,
    checkCallbackUrl: callbackUrlCheck(deps.callbackUrls),
    records: deps.records,
    recordVerifyingKey: deps.recordVerifyingKey,
    cases,
    commitments: new Commitments({
      temporal: deps.temporal,
      callTimeoutMs,
      records: deps.records,
      notes: deps.notes,
    }),
    grants,
    labs: new Labs({
      temporal: deps.temporal,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      callTimeoutMs,
      policyInForce: () => policies.inForce(deps.policyInForce()),
      notes: deps.notes,
    }),
    findings: new Findings({
      temporal: deps.temporal,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      callTimeoutMs,
      notes: deps.notes,
      places,
      cases,
      grants,
      records: deps.records,
    }),
    government: new Government({
      temporal: deps.temporal,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      callTimeoutMs,
      fanOutTimeoutMs: Math.max(callTimeoutMs, FAN_OUT_TIMEOUT_MS),
      notes: deps.notes,
    }),
  };

  const metrics = deps.metrics ?? createMetrics({ temporal: deps.temporal });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  ctx.metrics = metrics;

  registerOpenApi(app);
  // API keys, and people's access tokens when sign-in is configured.
  const sessions =
    deps.workbench &&
    new WorkbenchSessions({ idleMs: deps.workbench.idleMs, absoluteMs: deps.workbench.absoluteMs });
  const auth = authenticate(deps.apiKeys, deps.oidc, sessions);
  ctx.sessions = sessions;
  // Rate limits (issue 34), before any body is read: per credential on /v1 and on /codec, each its own budget,
  // and per client address for requests without a valid credential, one budget for the whole gateway.
  const perMinute = (max: number) => new RateLimiter(max, 60_000);
  const perAddress = perMinute(deps.config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE);
  const limited = () =>
    authenticateWithinLimits(auth, {
      perCredential: perMinute(deps.config.RATE_LIMIT_PER_MINUTE),
      perAddress,
    });
  void app.register(metricsRoutes(metrics, auth, deps.runtimeMetricsUrl));
  void app.register(systemRoutes(deps.temporal));
  void app.register(recordKeyRoute(ctx));
  void app.register(
    dashboardRoutes({
      // A link to pages it would show sealed is no use to operations staff.
      temporalUiUrl: deps.temporalUi?.decodes === true ? deps.temporalUi.url : undefined,
      namespace: deps.temporal.options.namespace,
      signIn: deps.signIn,
    }),
  );
  if (deps.workbench !== undefined && sessions !== undefined) {
    const { client } = deps.workbench;
    void app.register(
      workbenchRoutes({
        publicUrl: deps.workbench.publicUrl,
        signIn: client && deps.oidc && { ...client, verifier: deps.oidc },
        sessions,
        sessionSecret: deps.workbench.sessionSecret,
        idleMs: deps.workbench.idleMs,
        policies,
        signaturesInForce: () => policies.inForce(deps.policyInForce())?.signatures,
        temporal: deps.temporal,
        callTimeoutMs,
      }),
      { prefix: '/workbench' },
    );
  }
  void app.register(
    async (codec) => {
      codec.addHook('onRequest', limited());
      await codec.register(
        codecRoutes({
          auth,
          accessLog: deps.accessLog,
          ring: deps.payloads,
          namespace: deps.temporal.options.namespace,
          webUiOrigin: deps.temporalUi === undefined ? undefined : new URL(deps.temporalUi.url).origin,
        }),
      );
    },
    // Its CORS preflight route stays under /codec.
    { prefix: '/codec' },
  );
  void app.register(
    async (v1) => {
      // Per credential, once it is known: no caller can crowd out the others, or fill a case's history.
      v1.addHook('onRequest', limited());
      await v1.register(caseRoutes(ctx));
      await v1.register(labRoutes(ctx));
      await v1.register(agencyRoutes(ctx));
      await v1.register(chairRoutes(ctx));
      await v1.register(opsRoutes(ctx));
      await v1.register(adminRoutes(ctx));
      await v1.register(peopleRoutes(ctx));
      await v1.register(recordRoutes(ctx));
      await v1.register(findingRoutes(ctx));
      await v1.register(commitmentRoutes(ctx));
      await v1.register(grantRoutes(ctx));
      await v1.register(labRecordRoutes(ctx));
      await v1.register(passkeyRoutes(ctx));
      // Last: a statement's body is the body of its act's own route, registered above.
      await v1.register(statementRoutes(ctx));
    },
    { prefix: '/v1' },
  );
  return app;
}

/** Builds the gateway and listens; a gateway that cannot listen is closed before the error is passed on. */
export async function startGateway(
  deps: AppDeps,
  at: { host: string; port: number },
): Promise<FastifyInstance> {
  const app = buildApp(deps);
  try {
    await app.listen(at);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
