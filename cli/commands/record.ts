import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import type { ArchivedCases, RecordVerifyingKey } from '../../shared/api/responses';
import { verifyRecord } from '../../shared/node/permanent-record';
import { checkSignedActs } from '../../shared/node/record-acts';
import { SigningKeyRegistry } from '../../shared/api/admin';
import { caseArgument, casePath, contextOf } from '../context';
import { UsageError } from '../errors';
import { table, when } from '../output';

/**
 * The permanent record (docs/administrators.md "The permanent record"): export a closed case's signed record,
 * list the archive, and verify a record offline. `verify` needs no API key when given the verifying key's
 * file.
 */
export function register(program: Command): void {
  const record = program.command('record').description("Closed cases' signed permanent records (chair, ops)");

  record
    .command('export')
    .description("Write a closed case's permanent record (JSON Lines, as signed) to a file, or to stdout")
    .addArgument(caseArgument())
    .option('--out <file>', 'write it here instead of stdout')
    .action(async (caseRef: string, opts: { out?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const text = await ctx.api.getText(casePath(caseRef, 'record'), 'application/jsonl');
      if (opts.out === undefined) process.stdout.write(text);
      else {
        await writeFile(path.resolve(opts.out), text, { flag: 'wx' });
        process.stderr.write(`record of ${caseRef} written to ${opts.out}\n`);
      }
    });

  record
    .command('list')
    .description('Closed cases whose records are archived (readable after Temporal deleted them)')
    .option('--after <case>', 'the page after this case id')
    .action(async (opts: { after?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await ctx.api.get<z.infer<typeof ArchivedCases>>('v1/archive/cases', {
        after: opts.after,
      });
      ctx.emit(
        page,
        (p) =>
          table(
            ['CASE', 'LAB', 'CLOSED', 'REASON', 'OUTCOME'],
            p.items.map((c) => [c.caseId, c.labId, when(c.closedAt), c.closedReason, c.outcome ?? '']),
          ) + (p.nextAfter === undefined ? '' : `next page: --after ${p.nextAfter}\n`),
      );
    });

  record
    .command('verify')
    .description(
      "Recompute a record's chain, check its signature and every signed act's signature, and say who signed " +
        'what; names the first line altered, removed or reordered, or each act whose signature does not hold ' +
        '(exit 1). With --key no API key is needed.',
    )
    .argument('<file>')
    .option('--key <pem>', "the deployment's verifying key (PEM); default: ask the API for it")
    .option(
      '--signing-keys <file>',
      'the registered signing keys (GET /v1/records/signing-keys, saved); default: ask the API unless --key is given',
    )
    .action(async (file: string, opts: { key?: string; signingKeys?: string }, cmd: Command) => {
      const text = await readFile(path.resolve(file), 'utf8').catch((err: Error) => {
        throw new UsageError(`cannot read ${file}: ${err.message}`);
      });
      const pem =
        opts.key !== undefined
          ? await readFile(path.resolve(opts.key), 'utf8')
          : (await contextOf(cmd).api.get<z.infer<typeof RecordVerifyingKey>>('v1/records/verifying-key'))
              .pem;
      const result = verifyRecord(text, createPublicKey(pem));
      if (!result.ok) {
        process.stdout.write(`NOT VERIFIED: ${result.message} (${result.problem})\n`);
        process.exitCode = 1;
        return;
      }
      // The chain holds; each act signed by its maker is checked on its own (issue 36), its key against the
      // deployment's registry when there is one to read.
      const registry =
        opts.signingKeys !== undefined
          ? SigningKeyRegistry.parse(JSON.parse(await readFile(path.resolve(opts.signingKeys), 'utf8')))
          : opts.key === undefined
            ? await contextOf(cmd).api.get<SigningKeyRegistry>('v1/records/signing-keys')
            : undefined;
      const acts = await checkSignedActs(text, registry);
      const rows = acts.map((a) => [
        String(a.line),
        a.message,
        a.principal,
        a.signer,
        a.keyId,
        when(a.at),
        a.problem === undefined ? 'verified' : `NOT VERIFIED: ${a.problem}`,
      ]);
      const failed = acts.filter((a) => a.problem !== undefined);
      process.stdout.write(
        `${failed.length === 0 ? 'verified' : 'NOT VERIFIED'}: ${result.lines} lines, signed by key ${result.keyId}; ` +
          `${acts.length} signed act(s)${failed.length === 0 ? '' : `, ${failed.length} of them not verified`}\n` +
          (acts.length === 0
            ? ''
            : table(['LINE', 'ACT', 'AS', 'SIGNED BY', 'KEY', 'AT', 'SIGNATURE'], rows)) +
          (acts.length > 0 && registry === undefined
            ? 'signing keys not checked against the registry: give --signing-keys to check them\n'
            : ''),
      );
      if (failed.length > 0) process.exitCode = 1;
    });
}
