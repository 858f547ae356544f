import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors';

export const DEFAULT_API = 'http://127.0.0.1:3000';

/** `~/.config/frontier-review/config.json`: where to find the API, and the key to use there. */
export const ConfigFile = z.strictObject({
  api: z.url().optional(),
  apiKey: z.string().min(1).optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

export interface Settings {
  api: URL;
  apiKey: string | undefined;
  /** Where the key came from, for the message when there is none (never the key itself). */
  configPath: string;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.FRONTIER_REVIEW_CONFIG) return env.FRONTIER_REVIEW_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'frontier-review', 'config.json');
}

/** The config file, if any. One named by FRONTIER_REVIEW_CONFIG must exist; the default one may not. */
function readConfig(file: string, required: boolean, warn: (msg: string) => void): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`, { cause: err });
  }
  // The file may hold a key, so its content is never echoed: only which fields are wrong.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the config file ${file} is not JSON`, { cause: err });
  }
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new UsageError(
      `the config file ${file} is not valid (${fields}); expected { "api": url, "apiKey": key }`,
    );
  }
  if (
    parsed.data.apiKey !== undefined &&
    process.platform !== 'win32' &&
    (statSync(file).mode & 0o077) !== 0
  ) {
    warn(`warning: ${file} holds an API key and others may read it; chmod 600 it`);
  }
  return parsed.data;
}

function apiUrl(value: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http or https URL: ${value}`);
  }
  // Relative paths resolve under the base, so a base with a path prefix keeps it.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The flag, then the environment, then the config file, then the default. */
export function resolveSettings(
  flags: { api?: string },
  env: NodeJS.ProcessEnv,
  warn: (msg: string) => void,
): Settings {
  const file = configPath(env);
  const config = readConfig(file, Boolean(env.FRONTIER_REVIEW_CONFIG), warn);
  const api =
    flags.api !== undefined
      ? apiUrl(flags.api, '--api')
      : env.FRONTIER_REVIEW_API
        ? apiUrl(env.FRONTIER_REVIEW_API, 'FRONTIER_REVIEW_API')
        : apiUrl(
            config.api ?? DEFAULT_API,
            config.api === undefined ? 'the default API' : `"api" in ${file}`,
          );
  return { api, apiKey: env.FRONTIER_REVIEW_API_KEY || config.apiKey, configPath: file };
}
