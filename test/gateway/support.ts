import { People } from '../../shared/node/people';
import { LabView } from '../../shared/api/labs';
import { testRecords, testRecordSigner } from '../helpers/activities';
import { DEFAULT_POLICY_ID } from '../../shared/domain/policy-names';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildApp, type AppDeps } from '../../gateway/app';
import { Problem } from '../../shared/api/problem';
import {
  AnyCaseView,
  CaseSummary,
  LabCaseSummary,
  page,
  SubmissionCreated,
  type CaseView,
} from '../../shared/api/responses';
import { Passkeys } from '../../shared/node/passkeys';
import { ApiKeys, newApiKey, type ApiKeyRecord, type KeyPrincipal } from '../../shared/node/api-keys';
import { AccessLog } from '../../gateway/access-log';
import { addLabSecret } from '../../shared/node/callback-secrets';
import type { CallbackUrlOptions } from '../../shared/node/callback-url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../../shared/node/logger';
import type { Principal } from '../../shared/domain/principal';
import { createTestActivities } from '../helpers/activities';
import { DAY_MS } from '../helpers/review';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { statusQuery } from '../../shared/domain/review/messages';
import { FindingFiled } from '../../shared/api/findings';
import { findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { governmentWorkflowId } from '../../shared/domain/government/state';
import {
  labReceiverUrl,
  TEST_AUDIENCE,
  TEST_KEYED_CLIENT_ID,
  TEST_WORKBENCH_CLIENT,
  testServers,
} from '../setup/servers';
import type { ClientKey } from '../../shared/node/client-key';
import { OidcVerifier } from '../../gateway/oidc';
import { DASHBOARD_CLIENT_ID, DEV_PRINCIPAL_MAP } from '../../shared/node/dev-identity-provider';
import { noteErrorAsserted } from '../helpers/ledger';
import { TEST_NOTE_RING, TEST_PAYLOAD_RING } from '../helpers/sealing';
import { waitFor } from '../helpers/wait';
import { trackWorkflow, uniqueId, withDevServerWorker } from '../helpers/workers';

/** The parties of one test: two labs with fresh ids (so lists never see another test's cases), every agency, the chair, ops. */
export interface Parties {
  lab: Principal;
  otherLab: Principal;
  NSA: Principal;
  CISA: Principal;
  DOW: Principal;
  CAISI: Principal;
  DOE: Principal;
  TREASURY: Principal;
  /** An agency on no default roster. */
  FBI: Principal;
  /** Critical-infrastructure operators (early access, issue 14 part 4), with fresh ids. */
  operator: Principal;
  otherOperator: Principal;
  chair: Principal;
  ops: Principal;
  /** Manages keys and reads the access log; reads no case. */
  admin: KeyPrincipal;
}

export interface Response {
  status: number;
  body: unknown;
  /** The raw body, for checks that no text leaks anywhere in it. */
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface Gateway {
  app: FastifyInstance;
  client: Client;
  taskQueue: string;
  /** The test's own namespace on the dev server: its lists and counts hold only this test's cases. */
  namespace: string;
  parties: Parties;
  /** The plaintext API key of each principal. */
  keys: Record<string, string>;
  /** The gateway's key store, access log and callback secrets, in a directory of this test's own. */
  files: GatewayFiles;
  /** Puts new filings under this policy, as operations would by changing POLICY_IN_FORCE. */
  usePolicy(id: string): void;
  /** A request as a principal (or with no key at all when `as` is undefined). */
  call(
    as: Principal | undefined,
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** What the gateway was built with (withGateway): a test builds a second gateway from it (a restart). */
  deps?: AppDeps;
}

export function freshParties(): Parties {
  const suffix = uniqueId('x').slice(2, 14);
  return {
    lab: `lab:acme-${suffix}`,
    otherLab: `lab:globex-${suffix}`,
    NSA: 'agency:NSA',
    CISA: 'agency:CISA',
    DOW: 'agency:DOW',
    CAISI: 'agency:CAISI',
    DOE: 'agency:DOE',
    TREASURY: 'agency:TREASURY',
    FBI: 'agency:FBI',
    operator: `operator:grid-${suffix}`,
    otherOperator: `operator:water-${suffix}`,
    chair: 'chair',
    ops: 'ops',
    admin: 'admin',
  };
}

export interface GatewayOptions {
  logger?: Logger;
  bodyLimit?: number;
  rateLimitPerMinute?: number;
  labId?: string;
  /** Policies the worker and the gateway know (the presets by default). */
  policies?: PolicyRegistry;
  /** The policy in force for new filings (POLICY_IN_FORCE); the default preset unless given. */
  policyInForce?: string;
  temporalUi?: { url: string; decodes: boolean };
  /** Listen on a loopback port too (for a browser); `baseUrl` is then set. */
  listen?: boolean;
  /** The sign-in verifier's clock (seconds), to see a real token expire; the real clock by default. */
  tokenClock?: () => number;
  /** The identity provider whose tokens the gateway accepts (default: the suite's). */
  identityIssuer?: string;
  /** How long a workbench session may stay unused (30 minutes unless a test ends one sooner). */
  workbenchIdleMs?: number;
  /** How long the worker's fan-outs let the list of open cases catch up before their second pass (2 s). */
  visibilitySettleMs?: number;
  /**
   * What the gateway lets a callback URL be; development mode's rules by default (the suite's lab receiver is
   * on loopback). The gateway reads the object at each request, so a test may tighten it midway.
   */
  callbackUrls?: CallbackUrlOptions;
  /** When this release was deployed: v1 restricted notes open only in records started before (none without). */
  notesV1Before?: Date;
  /** The workbench signs people in as the provider's keyed client, with this key (`private_key_jwt`). */
  workbenchClientKey?: ClientKey;
}

export interface GatewayFiles {
  dir: string;
  apiKeys: ApiKeys;
  accessLog: AccessLog;
  callbackSecretsFile: string;
  /** The labs' and operators' people, none enrolled. */
  people: People;
}

/**
 * A key store holding these keys, an empty access log and callback secrets (one for each lab with a key, as
 * `labs add` makes them), in a fresh directory.
 */
export async function gatewayFiles(records: ApiKeyRecord[]): Promise<GatewayFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'frontier-review-gateway-'));
  const callbackSecretsFile = path.join(dir, 'callback-secrets.json');
  for (const lab of new Set(
    records.flatMap((r) => (r.principal.startsWith('lab:') ? [r.principal.slice(4)] : [])),
  ))
    await addLabSecret(callbackSecretsFile, lab);
  return {
    dir,
    apiKeys: await ApiKeys.create(path.join(dir, 'api-keys.json'), records),
    accessLog: new AccessLog(path.join(dir, 'access-log.jsonl')),
    callbackSecretsFile,
    people: People.open(path.join(dir, 'people.json')),
  };
}

/**
 * Builds the app in-process against the real dev server, with a worker on a fresh task queue, fresh parties
 * and their keys; with `listen` it also serves on a loopback port.
 */
export async function withGateway(
  fn: (gw: Gateway & { baseUrl?: string }) => Promise<void>,
  opts: GatewayOptions = {},
): Promise<void> {
  await withDevServerWorker(
    createTestActivities({ policies: opts.policies, visibilitySettleMs: opts.visibilitySettleMs }),
    async ({ client, taskQueue, namespace }) => {
      const parties = freshParties();
      let inForce = opts.policyInForce ?? DEFAULT_POLICY_ID;
      const usePolicy = (id: string) => {
        inForce = id;
      };
      if (opts.labId !== undefined) parties.lab = `lab:${opts.labId}`;
      const created = (Object.values(parties) as KeyPrincipal[]).map((p) => newApiKey(p, `test ${p}`));
      const keys = Object.fromEntries(created.map((c) => [c.record.principal, c.key]));
      const files = await gatewayFiles(created.map((c) => c.record));
      const deps: AppDeps = {
        // Into test-results/test-<process>.log with the servers' own lines, for the story of a failed test.
        logger: opts.logger ?? testServers().logger.child({ component: 'gateway' }),
        temporal: client,
        ...files,
        // The records the test worker's activities write (test/helpers/activities.ts).
        records: testRecords,
        recordVerifyingKey: testRecordSigner.publicKey,
        // People sign in through the suite's OpenID provider, as the embedded default's does.
        oidc: new OidcVerifier({
          issuer: opts.identityIssuer ?? testServers().identity.issuer,
          audience: TEST_AUDIENCE,
          principalMap: DEV_PRINCIPAL_MAP,
          enrolled: (issuer, subject) => files.people.of(issuer, subject),
          now: opts.tokenClock,
        }),
        signIn: {
          issuer: testServers().identity.issuer,
          clientId: DASHBOARD_CLIENT_ID,
          audience: TEST_AUDIENCE,
        },
        // The reviewers' workbench, signing people in through the suite's provider as a confidential client.
        workbench: {
          client: {
            issuer: opts.identityIssuer ?? testServers().identity.issuer,
            ...(opts.workbenchClientKey === undefined
              ? TEST_WORKBENCH_CLIENT
              : { clientId: TEST_KEYED_CLIENT_ID, clientKey: opts.workbenchClientKey }),
            audience: TEST_AUDIENCE,
          },
          sessionSecret: 'the suite signs its workbench cookies with this',
          idleMs: opts.workbenchIdleMs ?? 30 * 60_000,
          absoluteMs: 12 * 3_600_000,
        },
        config: {
          TEMPORAL_TASK_QUEUE: taskQueue,
          HTTP_BODY_LIMIT: opts.bodyLimit ?? 256 * 1024,
          RATE_LIMIT_PER_MINUTE: opts.rateLimitPerMinute ?? 100_000,
          RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: opts.rateLimitPerMinute ?? 100_000,
        },
        callbackUrls: opts.callbackUrls ?? { allowInsecure: true },
        // The policy in force is the government's: a test switches it as operations would (usePolicy).
        policyInForce: () => inForce,
        policies: opts.policies,
        notes: TEST_NOTE_RING,
        notesV1Before: opts.notesV1Before,
        // People's passkeys, bound to localhost: the browser reaches a listening gateway there.
        passkeys: {
          store: Passkeys.open(path.join(files.dir, 'passkeys.json')),
          // Requests injected in-process come from http://localhost; a browser from the listening port's origin.
          relyingParty: { id: 'localhost', name: 'frontier-review (test)', origins: ['http://localhost'] },
        },
        temporalUi: opts.temporalUi,
        payloads: TEST_PAYLOAD_RING,
      };
      const app = buildApp(deps);
      let governmentTracked = false;
      // Every case the gateway starts is ended and replayed (and recorded) with the test's worker.
      app.addHook('onSend', async (req, reply, payload) => {
        if (req.method === 'POST' && req.routeOptions.url === '/v1/submissions' && reply.statusCode === 201) {
          const { caseId } = SubmissionCreated.parse(JSON.parse(String(payload)));
          trackWorkflow(taskQueue, client.workflow.getHandle(reviewWorkflowId(caseId)));
        }
        // The government's workflow, started by operations' first message that reaches it (answered 200, or
        // refused by the workflow with 409 or 422), is ended and replayed likewise.
        const reachedGovernment = [200, 409, 422].includes(reply.statusCode);
        if (
          req.method === 'POST' &&
          req.url.startsWith('/v1/ops/') &&
          reachedGovernment &&
          !governmentTracked
        ) {
          governmentTracked = true;
          trackWorkflow(taskQueue, client.workflow.getHandle(governmentWorkflowId(taskQueue)));
        }
        return payload;
      });
      const call: Gateway['call'] = async (as, method, url, body, headers = {}) => {
        const res = await app.inject({
          method,
          url,
          headers: { ...(as === undefined ? {} : { authorization: `Bearer ${keys[as] ?? as}` }), ...headers },
          ...(body === undefined ? {} : { payload: body as object }),
        });
        // JSON and problem+json; not JSON Lines (a permanent record), which is read as text.
        const isJson = /[/+]json\s*(;|$)/.test(String(res.headers['content-type'] ?? ''));
        const json = res.body === '' || !isJson ? undefined : (JSON.parse(res.body) as unknown);
        return { status: res.statusCode, body: json, text: res.body, headers: res.headers };
      };
      try {
        let baseUrl: string | undefined;
        if (opts.listen === true) {
          await app.listen({ port: 0, host: '127.0.0.1' });
          const port = (app.server.address() as AddressInfo).port;
          baseUrl = `http://127.0.0.1:${port}`;
          deps.passkeys!.relyingParty.origins.push(`http://localhost:${port}`);
        }
        await fn({ app, client, taskQueue, namespace, parties, keys, call, baseUrl, files, usePolicy, deps });
      } finally {
        await app.close();
        await rm(files.dir, { recursive: true, force: true });
      }
    },
  );
}

/** A closed case's permanent record, as operations staff export it once the case has written it. */
export const exportedRecord = (gw: Gateway, caseId: string): Promise<Response> =>
  eventually(
    () => gw.call(gw.parties.ops, 'GET', `/v1/submissions/${caseId}/record`),
    (r) => r.status === 200,
    `the record of ${caseId}`,
  );

/** A clearinghouse finding as an agency or a lab files it; `extra` names the case or the lab, and any change. */
export const findingFiling = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'a finding',
  description: 'what was found, and how to reproduce it',
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  tlp: 'AMBER',
  ...extra,
});

/** Files a finding as `as`, and has it ended and replayed with the test's worker; answers its id. */
export async function fileFinding(
  gw: Gateway,
  as: Principal,
  extra: Record<string, unknown>,
): Promise<string> {
  const res = await gw.call(as, 'POST', '/v1/findings', findingFiling(extra));
  assert.equal(res.status, 201, res.text);
  const { findingId } = FindingFiled.parse(res.body);
  trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(findingId)));
  return findingId;
}

/** A complete filing of a covered model (no labId: the API key says which lab files). */
export function filing(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
    access: { kind: 'API', details: 'gated endpoint with evaluator keys' },
    callbackUrl: labReceiverUrl(),
    plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
    ...overrides,
  };
}

/** Files a submission as the lab and returns its case id. */
export async function file(gw: Gateway, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', filing(overrides));
  assert.equal(res.status, 201, res.text);
  return SubmissionCreated.parse(res.body).caseId;
}

/** A 200 (or other success) body read as a schema. */
export function ok<T extends z.ZodType>(res: Response, schema: T, status = 200): z.infer<T> {
  assert.equal(res.status, status, res.text);
  return schema.parse(res.body);
}

export const CasePage = page(CaseSummary);
export type CasePage = z.infer<typeof CasePage>;
export type AnyView = z.infer<typeof AnyCaseView>;

/** Reads a case as a principal. */
export async function read(gw: Gateway, as: Principal, id: string): Promise<AnyView> {
  return ok(await gw.call(as, 'GET', `/v1/submissions/${id}`), AnyCaseView);
}

/** Reads a case as a government principal (agency, chair, ops). */
export async function readGov(gw: Gateway, as: Principal, id: string): Promise<CaseView> {
  const view = await read(gw, as, id);
  assert.notEqual(view.view, 'lab');
  return view as CaseView;
}

/**
 * The case's record as the chair reads it, without what moves on its own: the read time, callback
 * deliveries and the callback attempt under way. A request that changes nothing leaves this equal.
 */
export async function readRecord(
  gw: Gateway,
  id: string,
): Promise<Omit<CaseView, 'asOf' | 'callbacks' | 'callbackAttempt'>> {
  return withoutMotion(await readGov(gw, gw.parties.chair, id));
}

/** A government view without the read time, callback deliveries and the callback attempt under way. */
export function withoutMotion(view: CaseView): Omit<CaseView, 'asOf' | 'callbacks' | 'callbackAttempt'> {
  const { asOf, callbacks, callbackAttempt, ...record } = view;
  return record;
}

/** Polls (bounded, real time) until `check` accepts what `read` returns. */
export const eventually = waitFor;

/** The stages that come after acceptance: reaching one takes the designation (rules 3) on the way. */
const ACCEPTED_STAGES = ['NATIONAL_SECURITY', 'CIVILIAN', 'DETERMINATION', 'PRE_RELEASE'];

/**
 * Waits until intake has screened the case; when NSA's designation is pending, NSA designates it covered. It
 * reads the workflow's status directly, not through the API, so that no read of its own enters the access log.
 */
export async function designatedCovered(
  gw: Gateway,
  id: string,
  as: Principal = gw.parties.lab,
): Promise<void> {
  // A lab may name its case by its submission id: the API answers the case's id.
  const caseId = id.includes(':') ? id : (await read(gw, as, id)).caseId;
  const h = gw.client.workflow.getHandle(reviewWorkflowId(caseId));
  const screened = await eventually(
    () => h.query(statusQuery),
    (c) => c.stage !== 'INTAKE',
    `case ${id} screened`,
  );
  if (screened.stage !== 'DESIGNATION' || screened.designation?.decision !== undefined) return;
  const res = await gw.call(gw.parties.NSA, 'POST', `/v1/submissions/${caseId}/designation`, {
    covered: true,
    reason: 'designated covered by the test',
  });
  assert.equal(res.status, 200, res.text);
}

/**
 * Reads a case as a principal until it reaches a stage. A stage after acceptance is reached through NSA's
 * designation, which the presets in force wait for: NSA designates the model covered on the way.
 */
export async function untilStage(gw: Gateway, id: string, stage: string, as: Principal): Promise<AnyView> {
  if (ACCEPTED_STAGES.includes(stage)) await designatedCovered(gw, id, as);
  return eventually(
    () => read(gw, as, id),
    (c) => c.stage === stage,
    `case ${id} reaching ${stage}`,
  );
}

/**
 * The lab's record, once its case's acceptance has reached it (the case tells it by an activity after the
 * acceptance): read as operations staff, polling until it answers 200 with the case in it.
 */
export async function untilLabRecord(gw: Gateway, caseId: string): Promise<LabView> {
  const labId = caseId.split(':')[0];
  return eventually(
    async () => {
      const res = await gw.call(gw.parties.ops, 'GET', `/v1/labs/${labId}`);
      return res.status === 200 ? LabView.parse(res.body) : undefined;
    },
    (v) => v?.cases.some((c) => c.caseId === caseId) === true,
    `lab ${labId}'s record holding ${caseId}`,
  ) as Promise<LabView>;
}

/** Lists (polling, since visibility lags) until `check` accepts the page. */
export function untilListed(
  gw: Gateway,
  as: Principal,
  url: string,
  check: (p: CasePage) => boolean,
): Promise<CasePage> {
  return eventually(async () => ok(await gw.call(as, 'GET', url), CasePage), check, `list ${url}`);
}

/** Every case id a list holds, following its cursors to the end. */
export async function allListed(gw: Gateway, as: Principal, url: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const query = `pageSize=100${cursor === undefined ? '' : `&cursor=${cursor}`}`;
    const p = ok(await gw.call(as, 'GET', `${url}${url.includes('?') ? '&' : '?'}${query}`), CasePage);
    ids.push(...p.items.map((c) => c.caseId));
    cursor = p.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

export const LabCasePage = page(LabCaseSummary);
export type LabCasePage = z.infer<typeof LabCasePage>;

/** The lab's own list, polled until `check` accepts it. */
export function untilLabListed(gw: Gateway, check: (p: LabCasePage) => boolean): Promise<LabCasePage> {
  const url = '/v1/submissions?pageSize=100';
  return eventually(async () => ok(await gw.call(gw.parties.lab, 'GET', url), LabCasePage), check, url);
}

export const decision = (kind: string, extra: Record<string, unknown> = {}) => ({
  decision: {
    kind,
    summary: `${kind} summary`,
    ...(kind === 'CONCERNS_MITIGATED' ? { commitments: ['keep the mitigation'] } : {}),
    ...extra,
  },
});

/** The problem document every refusal must be: exact status and code, no internals. */
export function assertProblem(res: Response, status: number, code: string): Problem {
  noteErrorAsserted(code);
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${res.text}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const problem = Problem.parse(res.body);
  assert.equal(problem.code, code, res.text);
  assert.equal(problem.status, status);
  assert.ok(!res.text.includes('    at '), 'no stack trace');
  return problem;
}

/**
 * A gateway kept open across the tests of one `describe` (from `before` to `after`), for suites that run many
 * small requests against one prepared case.
 */
export async function openGateway(
  opts: Parameters<typeof withGateway>[1] = {},
): Promise<{ gw: Gateway; close: () => Promise<void> }> {
  let release!: () => void;
  const closed = new Promise<void>((r) => (release = r));
  let running!: Promise<void>;
  const gw = await new Promise<Gateway>((resolve, reject) => {
    running = withGateway(async (g) => {
      resolve(g);
      await closed;
    }, opts);
    running.catch(reject);
  });
  return {
    gw,
    close: async () => {
      release();
      await running;
    },
  };
}

/** From a case in the national-security stage to PRE_RELEASE, every agency without concerns. */
export async function determinedNoConcerns(gw: Gateway, id: string): Promise<CaseView> {
  const { NSA, CISA, DOW, CAISI, DOE, TREASURY, ops } = gw.parties;
  for (const agency of [NSA, CISA, DOW]) {
    assert.equal(
      (await gw.call(agency, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS'))).status,
      200,
    );
  }
  await untilStage(gw, id, 'CIVILIAN', ops);
  for (const agency of [CAISI, DOE, TREASURY]) {
    assert.equal(
      (await gw.call(agency, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS'))).status,
      200,
    );
  }
  return (await untilStage(gw, id, 'PRE_RELEASE', ops)) as CaseView;
}

/**
 * From a case in the national-security stage to its determination: NSA mitigates, asking for `commitments`;
 * every other agency has no concerns. Answers the commitments' ids once each one's workflow answers.
 */
export async function determinedWithCommitments(
  gw: Gateway,
  id: string,
  commitments: string[] = ['keep the mitigation'],
): Promise<string[]> {
  const { NSA, CISA, DOW, CAISI, DOE, TREASURY, ops } = gw.parties;
  const decide = async (as: Principal, body: object) =>
    assert.equal((await gw.call(as, 'POST', `/v1/submissions/${id}/decisions`, body)).status, 200);
  await decide(NSA, decision('CONCERNS_MITIGATED', { commitments }));
  for (const agency of [CISA, DOW]) await decide(agency, decision('NO_CONCERNS'));
  await untilStage(gw, id, 'CIVILIAN', ops);
  for (const agency of [CAISI, DOE, TREASURY]) await decide(agency, decision('NO_CONCERNS'));
  const determined = (await untilStage(gw, id, 'PRE_RELEASE', ops)) as CaseView;
  const ids = (determined.determination?.owned ?? []).map((o) => o.commitmentId);
  for (const c of ids) {
    await eventually(
      () => gw.call(ops, 'GET', `/v1/commitments/${c}`),
      (res) => res.status === 200,
      `commitment ${c} started`,
    );
  }
  return ids;
}
