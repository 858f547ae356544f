import path from 'node:path';
import type { Command } from 'commander';
import { Principal } from '../../shared/domain/principal';
import { addApiKeys, readApiKeyFile } from '../../shared/node/api-keys';
import { loadConfig } from '../../shared/node/config';
import { PROJECT_ROOT } from '../../shared/node/tools';
import { UsageError } from '../errors';
import { table } from '../output';

/** The deployment's API key file, as the gateway reads it (API_KEYS_FILE). */
const keyFile = (): string => path.resolve(PROJECT_ROOT, loadConfig().API_KEYS_FILE);

/**
 * Administration on the machine that runs the gateway: its API key file. These commands read and write the
 * file directly and send nothing to the API. A running gateway reads the file at start-up: restart it to
 * take new keys.
 */
export function register(program: Command): void {
  program.commandsGroup('Administration (on the gateway host):');
  const admin = program.command('admin').description("Manage this deployment's API keys (local files)");
  const keys = admin.command('keys').description('API keys of the gateway (API_KEYS_FILE)');

  keys
    .command('add')
    .description('Create a key for a principal; prints it once (only its hash is stored)')
    .argument('<principal>', 'lab:<id>, agency:<ID>, chair or ops')
    .argument('[label]', 'who or what holds the key')
    .action(async (principal: string, label: string | undefined) => {
      const parsed = Principal.safeParse(principal);
      if (!parsed.success) throw new UsageError(`${principal}: ${parsed.error.issues[0].message}`);
      const [created] = await addApiKeys(keyFile(), [{ principal: parsed.data, label }]);
      process.stdout.write(`${created.principal} (${created.id}): ${created.key}\n`);
    });

  keys
    .command('list')
    .description('Principals and key ids (never the keys)')
    .action(async () => {
      const { keys: records } = await readApiKeyFile(keyFile());
      process.stdout.write(
        table(
          ['id', 'principal', 'created', 'label'],
          records.map((k) => [k.id, k.principal, k.createdAt, k.label]),
        ),
      );
    });
}
