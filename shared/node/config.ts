import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_POLICY_ID } from '../domain/policy-names';
import { DEFAULT_TASK_QUEUE } from '../domain/task-queues';

// Every setting the product reads from the environment, parsed once at start-up. `.env.example` documents each.
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);

export const ConfigSchema = z
  .object({
    /**
     * `production` is the switch out of development mode (isDevelopment below): no development keys or
     * identity provider, no key printed, and callbacks to public https addresses only.
     */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),

    // Unset: the main job starts an embedded dev server. Set: nothing is started locally.
    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
    /**
     * The policy every new filing falls under (issue 14, part 3): the government's choice, not the lab's. A
     * trusted partner's filing then falls under what this policy's `trustedPartner.effect` names.
     */
    POLICY_IN_FORCE: z.string().min(1).default(DEFAULT_POLICY_ID),
    /**
     * Workflows the worker keeps in memory between tasks (about 2 MB each, measured by the benchmark). The SDK's
     * own default sizes it from the machine's memory, which let a 10,000-case worker grow past 4 GB and die.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
    /**
     * A workflow bundle built ahead of time (`npm run build:bundle`), so a worker starts without bundling
     * workflows/ (about ten seconds of CPU). Unset: the worker bundles at start-up.
     */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_TLS: bool.optional(),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),

    EMBEDDED_TEMPORAL_IP: z.string().min(1).default('127.0.0.1'),
    EMBEDDED_TEMPORAL_PORT: port.default(7233),
    EMBEDDED_TEMPORAL_UI_PORT: port.default(8233),
    DATA_DIR: z.string().min(1).default('.data'),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),

    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(3000),
    /**
     * Development mode listens on loopback only; this (or `--listen-publicly`) lets it listen on HTTP_HOST and
     * EMBEDDED_TEMPORAL_IP beyond it, development keys and identity provider included.
     */
    LISTEN_PUBLICLY: bool.default(false),
    /** Loopback port where the Temporal runtime serves its Prometheus metrics (appended to /metrics); 0 disables. */
    TEMPORAL_RUNTIME_METRICS_PORT: port.default(9464),
    /** The Temporal Web UI of an existing cluster, for the dashboard's links (the embedded one is known). */
    TEMPORAL_UI_URL: z.url().optional(),
    /** Whether that Web UI's users can decode through this gateway's codec server (they send a credential it accepts). */
    TEMPORAL_UI_DECODES: bool.default(false),
    /** On an existing cluster, register the product's search attributes at start-up when they are missing. */
    REGISTER_SEARCH_ATTRIBUTES: bool.default(false),

    // Lab callbacks: per-lab HMAC secrets (JSON {"<labId>": ["<secret>", ...]}), endpoint safety.
    CALLBACK_SECRETS_FILE: z.string().min(1).optional(),
    CALLBACK_ALLOWED_HOSTS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== ''),
      )
      .optional(),
    /**
     * Development mode for callbacks: http, any port, loopback and private addresses. Off unless switched on;
     * development mode switches it on (and warns at start-up); NODE_ENV=production refuses it.
     */
    CALLBACK_ALLOW_INSECURE: bool.optional(),
    /** Ports a callback URL may use outside development. */
    CALLBACK_ALLOWED_PORTS: z
      .string()
      .transform((v) => v.split(',').map((p) => Number(p.trim())))
      .pipe(z.array(z.int().min(1).max(65535)).min(1))
      .default([443]),
    CALLBACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** Requests each credential may make to /v1, and to /codec, in a minute; beyond it, 429 with Retry-After. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Requests without a valid credential (none, or a bad one) each client address may make in a minute. */
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: z.coerce.number().int().positive().default(60),
    /** Largest request body the gateway reads; larger bodies get 413. */
    HTTP_BODY_LIMIT: z.coerce
      .number()
      .int()
      .min(1024)
      .max(2 * 1024 * 1024)
      .default(256 * 1024),
    /** The gateway's API keys (hashes only). Development mode creates development keys here on first start. */
    API_KEYS_FILE: z.string().min(1).optional(),
    /** People's passkeys (public keys only), beside the API keys. */
    PASSKEYS_FILE: z.string().min(1).optional(),
    /** The labs' and operators' people administrators enrolled (issuer and subject → principal; issue 38). */
    PEOPLE_FILE: z.string().min(1).optional(),
    /**
     * Passkeys' relying party (docs/administrators.md "Passkeys"): the domain passkeys are bound to, and the
     * origins people's browsers reach the gateway at (comma-separated). By default `localhost` and
     * `http://localhost:<HTTP_PORT>`, the embedded default's own address.
     */
    PASSKEY_RP_ID: z
      .string()
      .regex(/^[a-z0-9.-]{1,253}$/, 'a domain name, such as review.example.gov')
      .optional(),
    PASSKEY_ORIGINS: z.string().min(1).optional(),
    // Sign-in for people (docs/administrators.md "Add labs, keys and people"): OpenID Connect access tokens
    // (JWTs) of this issuer, for this audience, with the claim mapped to principals by OIDC_PRINCIPAL_MAP
    // ({"claim": "groups", "map": {"nsa-reviewers": "agency:NSA", ...}}). Development mode runs a local
    // development provider on OIDC_DEV_PROVIDER_PORT (0: none) when OIDC_ISSUER is not set.
    OIDC_ISSUER: z.url().optional(),
    OIDC_AUDIENCE: z.string().min(1).default('urn:frontier-review:api'),
    OIDC_PRINCIPAL_MAP: z.string().min(1).optional(),
    OIDC_DEV_PROVIDER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    /** The dashboard's client at the identity provider (public: authorization code with PKCE). */
    OIDC_DASHBOARD_CLIENT_ID: z.string().min(1).default('frontier-review-dashboard'),
    /**
     * The reviewers' workbench (docs/reviewers.md): the gateway signs people in itself, as a confidential client
     * of the identity provider (WORKBENCH_CLIENT_ID and WORKBENCH_CLIENT_SECRET, or WORKBENCH_CLIENT_KEY_FILE below; development mode registers one
     * with its development provider). WORKBENCH_URL is where people reach it (the sign-in's return address; an
     * https URL makes the session cookie Secure and `__Host-`); unset, each request's own origin. Sessions live
     * on the server, end after WORKBENCH_IDLE_MINUTES unused and WORKBENCH_SESSION_HOURS after sign-in, and
     * their cookie is signed with WORKBENCH_SESSION_SECRET (random at each start when unset).
     */
    WORKBENCH_URL: z.url().optional(),
    WORKBENCH_CLIENT_ID: z.string().min(1).default('frontier-review-workbench'),
    WORKBENCH_CLIENT_SECRET: z.string().min(16).optional(),
    /**
     * A private key (PKCS#8 PEM, RSA or EC P-256) with which the workbench authenticates to the provider instead
     * of a secret (`private_key_jwt`, as Login.gov asks); its id there, WORKBENCH_CLIENT_KEY_ID, if it has one.
     */
    WORKBENCH_CLIENT_KEY_FILE: z.string().min(1).optional(),
    WORKBENCH_CLIENT_KEY_ID: z.string().min(1).max(200).optional(),
    WORKBENCH_SESSION_SECRET: z.string().min(32).optional(),
    WORKBENCH_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    WORKBENCH_SESSION_HOURS: z.coerce.number().int().min(1).max(24).default(12),
    /** Who read which case, opened which restricted note, changed which key: JSON lines, appended only. */
    ACCESS_LOG_FILE: z.string().min(1).optional(),

    // Sealing (docs/administrators.md "Security and threat model"): the payload key ring seals everything put
    // into Temporal; the notes key ring seals restricted notes a second time and is held by the gateway
    // alone. Each is a JSON key ring {"current": "<id>", "keys": {"<id>": "<base64 AES-256 key>"}}, from the
    // variable or else the file (default: DATA_DIR/keys/payload-keys.json and note-keys.json; development
    // mode creates them).
    PAYLOAD_KEYS: z.string().min(1).optional(),
    PAYLOAD_KEYS_FILE: z.string().min(1).optional(),
    NOTE_KEYS: z.string().min(1).optional(),
    NOTE_KEYS_FILE: z.string().min(1).optional(),
    /**
     * When release 7 was deployed (ISO 8601): restricted notes sealed by releases 1 to 6 (v1, bound to no case)
     * open only in records the Temporal server started before it; unset, none opens (gateway/note-places.ts).
     */
    NOTE_SEALS_V1_BEFORE: z.iso.datetime({ offset: true }).optional(),

    // The permanent record (docs/administrators.md "The permanent record"): each closed case's record, signed
    // with the deployment's Ed25519 key (PEM, PKCS#8) and verified with its public half (PEM, SPKI), which
    // anyone may hold. Default: DATA_DIR/records and DATA_DIR/keys/record-signing-key.pem,
    // record-verifying-key.pem (development mode creates the pair).
    RECORDS_DIR: z.string().min(1).optional(),
    RECORD_SIGNING_KEY_FILE: z.string().min(1).optional(),
    RECORD_VERIFYING_KEY_FILE: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.CALLBACK_ALLOW_INSECURE === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['CALLBACK_ALLOW_INSECURE'],
        message:
          'callbacks to http and non-public addresses are refused with NODE_ENV=production (they would let a lab ' +
          'point the workers at internal services); unset it, or run in development mode',
      });
    }
    if ((c.OIDC_ISSUER === undefined) !== (c.OIDC_PRINCIPAL_MAP === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_PRINCIPAL_MAP'],
        message:
          'OIDC_ISSUER and OIDC_PRINCIPAL_MAP must be set together (which claim names which principal)',
      });
    }
    if ((c.TEMPORAL_TLS_CERT_PATH === undefined) !== (c.TEMPORAL_TLS_KEY_PATH === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_CERT_PATH'],
        message:
          'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together (mTLS client certificate)',
      });
    }
    const usesRemoteOnly =
      c.TEMPORAL_API_KEY ?? c.TEMPORAL_TLS ?? c.TEMPORAL_TLS_CERT_PATH ?? c.TEMPORAL_TLS_CA_PATH;
    if (usesRemoteOnly !== undefined && c.TEMPORAL_ADDRESS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_ADDRESS'],
        message: 'TLS or API-key settings need TEMPORAL_ADDRESS; the embedded dev server uses neither',
      });
    }
  });

/** Files that live in DATA_DIR unless configured elsewhere, with everything else the product keeps. */
const IN_DATA_DIR = {
  CALLBACK_SECRETS_FILE: 'callback-secrets.json',
  API_KEYS_FILE: 'api-keys.json',
  PASSKEYS_FILE: 'passkeys.json',
  PEOPLE_FILE: 'people.json',
  ACCESS_LOG_FILE: 'access-log.jsonl',
  RECORDS_DIR: 'records',
  RECORD_SIGNING_KEY_FILE: path.join('keys', 'record-signing-key.pem'),
  RECORD_VERIFYING_KEY_FILE: path.join('keys', 'record-verifying-key.pem'),
} as const;

type Parsed = z.infer<typeof ConfigSchema>;
export type Config = Readonly<
  Omit<Parsed, keyof typeof IN_DATA_DIR> & Record<keyof typeof IN_DATA_DIR, string>
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws a ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(ConfigSchema.shape).flatMap((k) =>
      env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]],
    ),
  );
  const parsed = ConfigSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const files = Object.fromEntries(
    Object.entries(IN_DATA_DIR).map(([key, name]) => [
      key,
      parsed.data[key as keyof typeof IN_DATA_DIR] ?? path.join(parsed.data.DATA_DIR, name),
    ]),
  ) as Record<keyof typeof IN_DATA_DIR, string>;
  return Object.freeze({ ...parsed.data, ...files });
}

/** Callbacks may reach http and non-public addresses only when switched on, or in development mode. */
export const callbackAllowInsecure = (config: Config): boolean =>
  config.CALLBACK_ALLOW_INSECURE ?? isDevelopment(config);

/** True when the main job must start its own dev server (in production mode too: a small deployment). */
export const isEmbedded = (config: Pick<Config, 'TEMPORAL_ADDRESS'>): boolean =>
  config.TEMPORAL_ADDRESS === undefined;

export const isProduction = (config: Pick<Config, 'NODE_ENV'>): boolean => config.NODE_ENV === 'production';

/**
 * Development mode: the embedded default without NODE_ENV=production. Only here are development keys made and
 * printed, the development identity provider run, and insecure callbacks allowed by default. A start against
 * an existing cluster is never development mode, whatever NODE_ENV says.
 */
export const isDevelopment = (config: Pick<Config, 'TEMPORAL_ADDRESS' | 'NODE_ENV'>): boolean =>
  isEmbedded(config) && !isProduction(config);

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/**
 * Development mode refuses to listen beyond loopback unless told so in words (LISTEN_PUBLICLY or
 * `--listen-publicly`): it hands out development keys, signs anyone in as any role, and its embedded Temporal
 * server has no authentication. Throws, naming each setting, when it would.
 */
export function checkListeningAddresses(
  config: Pick<Config, 'TEMPORAL_ADDRESS' | 'NODE_ENV' | 'LISTEN_PUBLICLY'> &
    Partial<Pick<Config, 'HTTP_HOST' | 'EMBEDDED_TEMPORAL_IP'>>,
): void {
  if (!isDevelopment(config) || config.LISTEN_PUBLICLY) return;
  const beyond = (['HTTP_HOST', 'EMBEDDED_TEMPORAL_IP'] as const).flatMap((name) => {
    const host = config[name];
    return host === undefined || isLoopback(host) ? [] : [`${name}=${host}`];
  });
  if (beyond.length === 0) return;
  throw new Error(
    `development mode listens on loopback only, and ${beyond.join(', ')} is beyond it: its development keys, ` +
      'its identity provider (any password, any role) and its Temporal server would be open to the network. ' +
      'Set NODE_ENV=production for a deployment, or start with --listen-publicly (LISTEN_PUBLICLY=true) to ' +
      'expose development mode anyway',
  );
}
