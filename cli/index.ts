import { Command, CommanderError, Option } from 'commander';
import { ApiRefused, ApiUnavailable } from './client';
import * as admin from './commands/admin';
import * as agency from './commands/agency';
import * as cases from './commands/cases';
import * as chair from './commands/chair';
import * as lab from './commands/lab';
import * as ops from './commands/ops';
import * as record from './commands/record';
import * as commitment from './commands/commitment';
import * as finding from './commands/finding';
import * as grant from './commands/grant';
import * as labs from './commands/labs';
import * as people from './commands/people';
import { DEFAULT_API } from './config';
import { EXIT, UsageError } from './errors';
import { version } from '../package.json';

const EXIT_CODES = `
Exit codes:
  0  done
  1  the API refused the request (its problem document is printed on stderr)
  2  usage error: bad arguments, options or input file, or no API key; nothing was sent
  3  the API cannot be reached or is unavailable (503): retry, with the same --idempotency-key for a write
  70 a bug in the CLI (the message says where)

Environment:
  FRONTIER_REVIEW_API      the API's base URL (default ${DEFAULT_API})
  FRONTIER_REVIEW_API_KEY  the API key (else "apiKey" in the config file)
  FRONTIER_REVIEW_CONFIG   the config file (default ~/.config/frontier-review/config.json)
`;

export function buildProgram(): Command {
  const program = new Command('frontier-review')
    .description(
      'Command-line client of the frontier-review HTTP API: labs, agencies, the chair and operations staff',
    )
    .version(version)
    .addOption(
      new Option('--api <url>', `the API's base URL (env FRONTIER_REVIEW_API; default ${DEFAULT_API})`),
    )
    .option('--json', "print the API's JSON answer as is, for scripts; problems go to stderr as JSON")
    .addHelpText('after', EXIT_CODES)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(add --help for usage)')
    // Settings the subcommands inherit: errors come back here, so the exit code is ours to choose.
    .exitOverride();
  cases.register(program);
  lab.register(program);
  agency.register(program);
  chair.register(program);
  ops.register(program);
  admin.register(program);
  record.register(program);
  finding.register(program);
  commitment.register(program);
  grant.register(program);
  labs.register(program);
  people.register(program);
  return program;
}

const write = (text: string) => process.stderr.write(`${text}\n`);

/** Prints why a command failed and answers its exit code. */
function fail(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message (or the help that was asked for).
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof UsageError) {
    write(`error: ${err.message}`);
    return EXIT.USAGE;
  }
  if (err instanceof ApiRefused) {
    const p = err.problem;
    if (json) write(JSON.stringify(p ?? { status: err.status, url: err.url }));
    else if (p === undefined)
      write(`error: ${err.url} answered HTTP ${err.status}, not a frontier-review problem document`);
    else {
      write(`error: ${p.status} ${p.code}: ${p.detail ?? p.title}`);
      for (const i of p.issues ?? []) write(`  ${i.in} ${i.path || '(root)'}: ${i.message}`);
      if (p.requestId !== undefined) write(`  request id: ${p.requestId}`);
    }
    return EXIT.REFUSED;
  }
  if (err instanceof ApiUnavailable) {
    if (json && err.problem !== undefined) write(JSON.stringify(err.problem));
    else write(`error: ${err.message} (${err.url})`);
    if (err.idempotencyKey !== undefined) {
      write(
        `  the write may or may not have been applied: retry with --idempotency-key ${err.idempotencyKey}`,
      );
    }
    return EXIT.UNAVAILABLE;
  }
  write(
    `error: unexpected failure in the CLI: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
  return EXIT.BUG;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    return fail(err, program.opts<{ json?: boolean }>().json === true);
  }
}

// `tsx cli/index.ts ...` runs it directly; bin/frontier-review.js calls main().
if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
