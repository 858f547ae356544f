import path from 'node:path';
import { loadApiKeys, type ApiKeys } from '../shared/node/api-keys';
import type { Config } from '../shared/node/config';
import { AccessLog } from './access-log';
import type { Logger } from '../shared/node/logger';
import { PROJECT_ROOT } from '../shared/node/tools';

/**
 * The gateway's API keys from API_KEYS_FILE. With `createDevelopmentKeys` (the embedded default) a missing
 * file is created with one key per development principal, and their plaintexts are printed this once:
 * only their hashes are stored.
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
export const gatewayFiles = (config: Pick<Config, 'ACCESS_LOG_FILE' | 'CALLBACK_SECRETS_FILE'>) => ({
  accessLog: new AccessLog(path.resolve(PROJECT_ROOT, config.ACCESS_LOG_FILE)),
  callbackSecretsFile: path.resolve(PROJECT_ROOT, config.CALLBACK_SECRETS_FILE),
});
