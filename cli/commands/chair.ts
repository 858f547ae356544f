import { Command, Option } from 'commander';
import { Outcome } from '../../shared/domain/decisions';
import { MESSAGES } from '../../shared/domain/review/messages';
import type { Receipt } from '../../shared/domain/review/record';
import { caseArgument, casePath, collect, contextOf, idempotencyKeyOption, receiptText } from '../context';

/** What the review chair does besides listing escalations (`cases escalated`). */
export function register(program: Command): void {
  program.commandsGroup('The chair:');
  program
    .command('resolve-escalation')
    .summary(MESSAGES.resolveEscalation.summary)
    .description('Resolve an escalated case (chair): issues the determination')
    .addArgument(caseArgument())
    .addOption(
      new Option('--outcome <outcome>', 'the determination')
        .choices(Outcome.exclude(['REVIEW_INCOMPLETE']).options)
        .makeOptionMandatory(),
    )
    .requiredOption('--rationale <text>', 'why, in words the lab will read')
    .option('--commitment <text>', 'a commitment the lab must keep (repeat for more)', collect)
    .addOption(idempotencyKeyOption())
    .action(
      async (
        id: string,
        opts: { outcome: string; rationale: string; commitment?: string[]; idempotencyKey?: string },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const body = { outcome: opts.outcome, rationale: opts.rationale, commitments: opts.commitment };
        const r = await ctx.act<Receipt>(
          casePath(id, 'statements'),
          'resolveEscalation',
          casePath(id, 'escalation', 'resolution'),
          body,
          opts.idempotencyKey,
        );
        ctx.emit(r, receiptText(`Resolved the escalation of ${id}: ${opts.outcome}`));
      },
    );
}
