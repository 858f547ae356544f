import { createServer } from 'node:net';
import type { Connection } from '@temporalio/client';
import { ApiKeys, isActive } from './api-keys';
import { CallbackSecrets } from './callback-secrets';
import path from 'node:path';
import type { Config } from './config';
import { missingSearchAttributes, registerSearchAttributes } from './search-attributes';
import type { Startup } from './startup';
import { PROJECT_ROOT } from './tools';

/**
 * The checks a start on an existing cluster makes before anything long-lived starts, each failing with what
 * to do about it (docs/administrators.md "Install on an existing Temporal cluster").
 */

/** The port can be bound on that host now (nothing else listens there). */
export function checkPortFree(host: string, port: number, setting: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `${host}:${port} is already in use (another frontier-review still running?): stop that process, or set ${setting} to a free port`
          : `cannot listen on ${host}:${port} (${err.code ?? err.message}): set ${setting} (and the host) to an address of this machine`;
      reject(new Error(why));
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** The key store exists and holds at least one active key; every lab with a key has a callback secret. */
export function checkCredentials(keysFile: string, secretsFile: string): void {
  const keys = ApiKeys.open(keysFile).list();
  const active = keys.filter((k) => isActive(k, Date.now()));
  if (active.length === 0) {
    throw new Error(
      `${keysFile} holds no active key: create the first administrator key with ` +
        '`npx frontier-review admin bootstrap --out <file>`',
    );
  }
  const labs = [
    ...new Set(active.flatMap((k) => (k.principal.startsWith('lab:') ? [k.principal.slice(4)] : []))),
  ];
  const secrets = CallbackSecrets.fromFile(secretsFile);
  const without = labs.filter((lab) => {
    try {
      return secrets.secretsFor(lab).length === 0;
    } catch {
      return true;
    }
  });
  if (without.length > 0) {
    throw new Error(
      `lab(s) ${without.join(', ')} have API keys but no callback secret in ${secretsFile}, so every callback ` +
        `to them would fail: create one with \`npx frontier-review admin lab-secret ${without[0]}\``,
    );
  }
}

/** The namespace exists on the cluster. */
export async function checkNamespace(
  connection: Connection,
  namespace: string,
  address: string,
): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if ((err as { code?: number }).code === 5) {
      throw new Error(
        `namespace ${namespace} does not exist on ${address}: create it (\`temporal operator namespace create ` +
          `--namespace ${namespace} --address ${address}\`) or set TEMPORAL_NAMESPACE`,
      );
    }
    throw err;
  }
}

/** The product's search attributes are registered, or registered now when asked to. */
export async function checkSearchAttributes(
  connection: Connection,
  namespace: string,
  register: boolean,
): Promise<string[]> {
  if (register) return registerSearchAttributes(connection, namespace);
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length > 0) {
    throw new Error(
      `namespace ${namespace} lacks the search attributes ${missing.join(', ')}: start once with ` +
        'REGISTER_SEARCH_ATTRIBUTES=true (or `npm start -- --register-search-attributes`), or register them with ' +
        '`temporal operator search-attribute create`',
    );
  }
  return [];
}

/**
 * The ports this process will listen on, before anything starts (the metrics port: see run-main.ts): the HTTP
 * port, and with the embedded default the dev server's, so that a server some earlier run left behind is named
 * rather than silently used.
 */
export async function preflightPorts(
  s: Startup,
  config: Pick<
    Config,
    | 'HTTP_HOST'
    | 'HTTP_PORT'
    | 'EMBEDDED_TEMPORAL_IP'
    | 'EMBEDDED_TEMPORAL_PORT'
    | 'EMBEDDED_TEMPORAL_UI_PORT'
  >,
  embedded = false,
): Promise<void> {
  await s.step('HTTP port', () => checkPortFree(config.HTTP_HOST, config.HTTP_PORT, 'HTTP_PORT'));
  if (!embedded) return;
  await s.step('embedded Temporal ports', async () => {
    await checkPortFree(config.EMBEDDED_TEMPORAL_IP, config.EMBEDDED_TEMPORAL_PORT, 'EMBEDDED_TEMPORAL_PORT');
    await checkPortFree(
      config.EMBEDDED_TEMPORAL_IP,
      config.EMBEDDED_TEMPORAL_UI_PORT,
      'EMBEDDED_TEMPORAL_UI_PORT',
    );
  });
}

/** Outside the embedded default: the key store and the labs' callback secrets. */
export async function preflightCredentials(
  s: Startup,
  config: Pick<Config, 'API_KEYS_FILE' | 'CALLBACK_SECRETS_FILE'>,
): Promise<void> {
  await s.step('API keys', () =>
    checkCredentials(
      path.resolve(PROJECT_ROOT, config.API_KEYS_FILE),
      path.resolve(PROJECT_ROOT, config.CALLBACK_SECRETS_FILE),
    ),
  );
}

/** What an existing cluster must have: the namespace, and the product's search attributes. */
export async function preflightCluster(
  s: Startup,
  config: Pick<Config, 'TEMPORAL_NAMESPACE' | 'REGISTER_SEARCH_ATTRIBUTES'>,
  connection: Connection,
  address: string,
): Promise<void> {
  await s.step('namespace', () => checkNamespace(connection, config.TEMPORAL_NAMESPACE, address));
  await s.step('search attributes', () =>
    checkSearchAttributes(connection, config.TEMPORAL_NAMESPACE, config.REGISTER_SEARCH_ATTRIBUTES),
  );
}
