import { Command, Option } from 'commander';
import { DecisionKind } from '../../shared/domain/decisions';
import { MESSAGES } from '../../shared/domain/review/messages';
import type { Receipt } from '../../shared/domain/review/record';
import {
  caseArgument,
  casePath,
  collect,
  contextOf,
  idempotencyKeyOption,
  positiveInt,
  receiptText,
} from '../context';

interface KeyOption {
  idempotencyKey?: string;
}

interface DecideOptions extends KeyOption {
  kind: string;
  summary: string;
  commitment?: string[];
  restrictedNote?: string;
}

/** What a reviewing agency does, on its own slot in the stage open now. */
export function register(program: Command): void {
  program.commandsGroup('Agencies:');
  program
    .command('decide')
    .summary(MESSAGES.recordDecision.summary)
    .description("Record this agency's decision in the open stage; the first decision stands")
    .addArgument(caseArgument())
    .addOption(
      new Option('--kind <kind>', 'the position')
        .choices(DecisionKind.exclude(['NO_RESPONSE']).options)
        .makeOptionMandatory(),
    )
    .requiredOption('--summary <text>', 'the unclassified summary the lab will read')
    .option(
      '--commitment <text>',
      'a commitment the lab must keep (repeat for more; CONCERNS_MITIGATED needs one)',
      collect,
    )
    .option('--restricted-note <text>', "a note only this stage's agencies and the chair read")
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: DecideOptions, cmd: Command) => {
      const decision = {
        kind: opts.kind,
        summary: opts.summary,
        commitments: opts.commitment,
        restrictedNote: opts.restrictedNote,
      };
      const ctx = contextOf(cmd);
      const r = await ctx.api.post<Receipt>(casePath(id, 'decisions'), { decision }, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Decision ${opts.kind} recorded on ${id}`));
    });

  program
    .command('request-info')
    .summary(MESSAGES.requestInformation.summary)
    .description("Ask the lab for information; tolls only this agency's deadline (capped by policy)")
    .addArgument(caseArgument())
    .requiredOption('--question <text>', 'a question (repeat for more)', collect)
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { question: string[] } & KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { questions: opts.question };
      const r = await ctx.api.post<Receipt>(casePath(id, 'information-requests'), body, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Asked the lab of ${id} ${opts.question.length} question(s)`));
    });

  program
    .command('extend')
    .summary(MESSAGES.requestExtension.summary)
    .description("Extend this agency's deadline, once, within the policy's limit")
    .addArgument(caseArgument())
    .requiredOption('--days <n>', 'days to add, in the deadline’s calendar', positiveInt)
    .requiredOption('--reason <text>', 'why (internal: the lab learns only the new due time)')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { days: number; reason: string } & KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { days: opts.days, reason: opts.reason };
      const r = await ctx.api.post<Receipt>(casePath(id, 'extensions'), body, opts.idempotencyKey);
      ctx.emit(r, receiptText(`Extended the deadline on ${id} by ${opts.days} day(s)`));
    });
}
