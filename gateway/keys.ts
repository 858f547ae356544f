import { randomBytes } from 'node:crypto';
import { recordVerifyingKey } from '../shared/node/record-keys';
import { FileRecordStore } from '../shared/node/record-store';
import path from 'node:path';
import { Passkeys } from '../shared/node/passkeys';
import { People } from '../shared/node/people';
import type { WorkbenchClient, WorkbenchSettings } from './app';
import { loadClientKey } from '../shared/node/client-key';
import type { RelyingParty } from './passkey-ceremonies';
import { loadApiKeys, type ApiKeys } from '../shared/node/api-keys';
import type { Config } from '../shared/node/config';
import { AccessLog } from './access-log';
import { OidcVerifier, PrincipalMap } from './oidc';
import {
  DEV_ENROLMENTS,
  DEV_PEOPLE,
  DEV_PRINCIPAL_MAP,
  startDevIdentityProvider,
  type DevIdentityProvider,
} from '../shared/node/dev-identity-provider';
import type { Logger } from '../shared/node/logger';
import { PROJECT_ROOT } from '../shared/node/tools';

/**
 * The gateway's API keys from API_KEYS_FILE. With `createDevelopmentKeys` (development mode only, never with
 * NODE_ENV=production) a missing file is created with one key per development principal, and their plaintexts
 * are printed this once: only their hashes are stored.
 */
export async function gatewayApiKeys(
  config: Pick<Config, 'API_KEYS_FILE' | 'HTTP_HOST' | 'HTTP_PORT'>,
  logger: Logger,
  createDevelopmentKeys: boolean,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<ApiKeys> {
  const file = path.resolve(PROJECT_ROOT, config.API_KEYS_FILE);
  const { keys, created } = await loadApiKeys(file, createDevelopmentKeys);
  logger.info({ file, keys: keys.size }, 'API keys loaded');
  if (created.length > 0) {
    const base = `http://${config.HTTP_HOST}:${config.HTTP_PORT}`;
    const width = Math.max(...created.map((c) => c.principal.length));
    out(
      [
        '',
        `Development API keys, created in ${file} (only their hashes are stored; this is the one time they are shown):`,
        ...created.map((c) => `  ${c.principal.padEnd(width)}  ${c.key}`),
        '',
        'Use one as a bearer token, e.g.:',
        `  curl -H "Authorization: Bearer ${created[0].key}" ${base}/v1/me`,
        `API documentation: ${base}/docs`,
        '',
      ].join('\n') + '\n',
    );
  }
  return keys;
}

/** The access log and the labs' callback secrets, where the configuration puts them. */
export const gatewayFiles = (
  config: Pick<
    Config,
    | 'ACCESS_LOG_FILE'
    | 'CALLBACK_SECRETS_FILE'
    | 'RECORDS_DIR'
    | 'RECORD_SIGNING_KEY_FILE'
    | 'RECORD_VERIFYING_KEY_FILE'
    | 'PASSKEYS_FILE'
    | 'PASSKEY_RP_ID'
    | 'PASSKEY_ORIGINS'
    | 'PEOPLE_FILE'
    | 'HTTP_PORT'
  >,
) => ({
  accessLog: new AccessLog(path.resolve(PROJECT_ROOT, config.ACCESS_LOG_FILE)),
  people: People.open(path.resolve(PROJECT_ROOT, config.PEOPLE_FILE)),
  passkeys: {
    store: Passkeys.open(path.resolve(PROJECT_ROOT, config.PASSKEYS_FILE)),
    relyingParty: relyingParty(config),
  },
  callbackSecretsFile: path.resolve(PROJECT_ROOT, config.CALLBACK_SECRETS_FILE),
  records: new FileRecordStore(path.resolve(PROJECT_ROOT, config.RECORDS_DIR)),
  recordVerifyingKey: recordVerifyingKey(config),
});

/**
 * The gateway's sign-in for people: the configured identity provider, or, in development mode only, the local
 * development provider (started here, with one person per role). Undefined when neither applies: API keys only.
 */
export async function gatewaySignIn(
  config: Pick<
    Config,
    | 'OIDC_ISSUER'
    | 'OIDC_AUDIENCE'
    | 'OIDC_PRINCIPAL_MAP'
    | 'OIDC_DEV_PROVIDER_PORT'
    | 'OIDC_DASHBOARD_CLIENT_ID'
    | 'HTTP_HOST'
    | 'HTTP_PORT'
    | 'WORKBENCH_CLIENT_ID'
    | 'WORKBENCH_CLIENT_SECRET'
    | 'WORKBENCH_CLIENT_KEY_FILE'
    | 'WORKBENCH_CLIENT_KEY_ID'
    | 'PEOPLE_FILE'
  >,
  development: boolean,
): Promise<GatewaySignIn> {
  // The labs' and operators' people administrators enrolled (issue 38), read again whenever the file changes.
  const people = People.open(path.resolve(PROJECT_ROOT, config.PEOPLE_FILE));
  const enrolled = (issuer: string, subject: string) => people.of(issuer, subject);
  if (config.OIDC_ISSUER !== undefined && config.OIDC_PRINCIPAL_MAP !== undefined) {
    const parsed = PrincipalMap.safeParse(JSON.parse(config.OIDC_PRINCIPAL_MAP));
    if (!parsed.success) {
      throw new Error(
        `OIDC_PRINCIPAL_MAP: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const verifier = new OidcVerifier({
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      principalMap: parsed.data,
      enrolled,
    });
    return {
      oidc: verifier,
      signIn: dashboardClient(config, config.OIDC_ISSUER),
      ...(config.WORKBENCH_CLIENT_KEY_FILE !== undefined
        ? {
            workbench: {
              ...workbenchClient(config, config.OIDC_ISSUER),
              clientKey: await loadClientKey(
                path.resolve(PROJECT_ROOT, config.WORKBENCH_CLIENT_KEY_FILE),
                config.WORKBENCH_CLIENT_KEY_ID,
              ),
            },
          }
        : config.WORKBENCH_CLIENT_SECRET === undefined
          ? {}
          : {
              workbench: {
                ...workbenchClient(config, config.OIDC_ISSUER),
                clientSecret: config.WORKBENCH_CLIENT_SECRET,
              },
            }),
    };
  }
  if (!development || config.OIDC_DEV_PROVIDER_PORT === 0) return {};
  // The development provider knows the workbench as a confidential client with a secret of this start.
  const secret = config.WORKBENCH_CLIENT_SECRET ?? randomBytes(32).toString('base64url');
  const devProvider = await startDevIdentityProvider({
    host: '127.0.0.1',
    port: config.OIDC_DEV_PROVIDER_PORT,
    audience: config.OIDC_AUDIENCE,
    // Passkeys need a domain, not an address: the pages that sign are reached at localhost too.
    redirectUris: [
      `http://${config.HTTP_HOST}:${config.HTTP_PORT}/dashboard`,
      `http://localhost:${config.HTTP_PORT}/dashboard`,
    ],
    clientId: config.OIDC_DASHBOARD_CLIENT_ID,
    workbench: {
      clientId: config.WORKBENCH_CLIENT_ID,
      clientSecret: secret,
      redirectUris: [
        `http://${config.HTTP_HOST}:${config.HTTP_PORT}/workbench/sign-in/callback`,
        `http://localhost:${config.HTTP_PORT}/workbench/sign-in/callback`,
      ],
    },
  });
  await enrolDevelopmentPeople(people, devProvider.issuer);
  const verifier = new OidcVerifier({
    issuer: devProvider.issuer,
    audience: config.OIDC_AUDIENCE,
    principalMap: DEV_PRINCIPAL_MAP,
    enrolled,
  });
  return {
    oidc: verifier,
    signIn: dashboardClient(config, devProvider.issuer),
    workbench: { ...workbenchClient(config, devProvider.issuer), clientSecret: secret },
    devProvider,
  };
}

/**
 * Development only: the development provider's lab and operator people enrolled for the sample lab and the
 * sample operator (once per provider address), as an administrator would enrol them.
 */
export async function enrolDevelopmentPeople(people: People, issuer: string): Promise<void> {
  for (const e of DEV_ENROLMENTS) {
    if (people.of(issuer, e.subject).some((p) => p.principal === e.principal)) continue;
    await people.enrol(
      { issuer, ...e, name: DEV_PEOPLE[e.subject]?.name },
      'development: the embedded default enrols its sample people',
    );
  }
}

export interface GatewaySignIn {
  oidc?: OidcVerifier;
  signIn?: { issuer: string; clientId: string; audience: string };
  /** The workbench's confidential client (WORKBENCH_CLIENT_ID and its secret). */
  workbench?: WorkbenchClient;
  devProvider?: DevIdentityProvider;
}

const dashboardClient = (
  config: Pick<Config, 'OIDC_DASHBOARD_CLIENT_ID' | 'OIDC_AUDIENCE'>,
  issuer: string,
) => ({
  issuer,
  clientId: config.OIDC_DASHBOARD_CLIENT_ID,
  audience: config.OIDC_AUDIENCE,
});

const workbenchClient = (config: Pick<Config, 'WORKBENCH_CLIENT_ID' | 'OIDC_AUDIENCE'>, issuer: string) => ({
  issuer,
  clientId: config.WORKBENCH_CLIENT_ID,
  audience: config.OIDC_AUDIENCE,
});

/**
 * The workbench's settings (WORKBENCH_*): its client at the identity provider, where people reach it, and its
 * sessions' lifetimes and cookie secret.
 */
export const workbenchSettings = (
  config: Pick<
    Config,
    'WORKBENCH_URL' | 'WORKBENCH_SESSION_SECRET' | 'WORKBENCH_IDLE_MINUTES' | 'WORKBENCH_SESSION_HOURS'
  >,
  people: GatewaySignIn,
): WorkbenchSettings => ({
  publicUrl: config.WORKBENCH_URL,
  client: people.workbench,
  sessionSecret: config.WORKBENCH_SESSION_SECRET ?? randomBytes(32).toString('base64url'),
  idleMs: config.WORKBENCH_IDLE_MINUTES * 60_000,
  absoluteMs: config.WORKBENCH_SESSION_HOURS * 3_600_000,
});

/** How to sign in to each role on the embedded default, printed at start-up. */
export const devSignInText = (issuer: string, dashboard: string): string => {
  const local = dashboard.replace('127.0.0.1', 'localhost');
  return (
    `\nPeople sign in through the development identity provider (${issuer}) as ` +
    `${Object.keys(DEV_PEOPLE)
      .filter((p) => p !== 'nobody')
      .join(', ')}, with any password (development only). ` +
    `${DEV_ENROLMENTS.map((e) => e.subject).join(', ')} are enrolled for ` +
    `${[...new Set(DEV_ENROLMENTS.map((e) => e.principal))].join(' and ')}, and act through the API with the provider's token. ` +
    `Reviewers and the chair work at ${local.replace(/\/dashboard$/, '/workbench')}; operations staff at ${dashboard}. ` +
    `Reviewers and the chair sign their decisions with a passkey: register one on the workbench's Passkeys page ` +
    `(passkeys need a domain name, so open the pages at localhost).\n`
  );
};

/**
 * The relying party passkeys are bound to (PASSKEY_RP_ID, PASSKEY_ORIGINS): by default `localhost`, reached at
 * http://localhost:<HTTP_PORT>, the embedded default's own address (a passkey cannot be bound to an IP address).
 */
export const relyingParty = (
  config: Pick<Config, 'PASSKEY_RP_ID' | 'PASSKEY_ORIGINS' | 'HTTP_PORT'>,
): RelyingParty => ({
  id: config.PASSKEY_RP_ID ?? 'localhost',
  name: 'frontier-review',
  origins: (config.PASSKEY_ORIGINS ?? `http://localhost:${config.HTTP_PORT}`)
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== ''),
});
