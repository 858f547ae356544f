import path from 'node:path';
import { Principal } from '../../shared/domain/principal';
import { addApiKeys, readApiKeyFile } from '../../shared/node/api-keys';
import { loadConfig } from '../../shared/node/config';
import { PROJECT_ROOT } from '../../shared/node/tools';

/**
 * Manages the gateway's API key file (API_KEYS_FILE):
 *   npx tsx gateway/cli/api-keys.ts add <principal> [label]   prints a new key once; stores its hash
 *   npx tsx gateway/cli/api-keys.ts list                      principals and key ids, never keys
 * A running gateway reads the file at start-up: restart it to take new keys.
 */
async function main(args: string[]): Promise<number> {
  const file = path.resolve(PROJECT_ROOT, loadConfig().API_KEYS_FILE);
  const [command, principal, label] = args;
  if (command === 'add' && principal !== undefined) {
    const parsed = Principal.safeParse(principal);
    if (!parsed.success) {
      process.stderr.write(`${principal}: ${parsed.error.issues[0].message}\n`);
      return 2;
    }
    const [created] = await addApiKeys(file, [{ principal: parsed.data, label }]);
    process.stdout.write(`${created.principal} (${created.id}): ${created.key}\n`);
    return 0;
  }
  if (command === 'list') {
    for (const k of (await readApiKeyFile(file)).keys) {
      process.stdout.write(`${k.id}  ${k.principal}  ${k.createdAt}  ${k.label ?? ''}\n`);
    }
    return 0;
  }
  process.stderr.write('usage: api-keys.ts add <lab:ID|agency:ID|chair|ops> [label] | list\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
