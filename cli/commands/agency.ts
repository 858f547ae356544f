import { Command, InvalidArgumentError, Option } from 'commander';
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

interface DesignateOptions extends KeyOption {
  covered?: boolean;
  reason: string;
  benchmarkScore?: number;
}

/** A score of the benchmark: a number from 0 to 1. */
function unitInterval(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('a number from 0 to 1');
  return n;
}

/** What a reviewing agency does, on its own slot in the stage open now, and what the designating agency does. */
export function register(program: Command): void {
  program.commandsGroup('Agencies:');
  program
    .command('designate')
    .summary(MESSAGES.designateCoverage.summary)
    .description(
      "Designate whether the model is covered (the policy's designating agency, NSA): the screen only proposes; " +
        'silence by the deadline keeps the proposal. Acceptance, day 0, follows.',
    )
    .addArgument(caseArgument())
    .addOption(new Option('--covered', 'the model is covered').conflicts('notCovered'))
    .addOption(new Option('--not-covered', 'the model is not covered').conflicts('covered'))
    .requiredOption('--reason <text>', 'the unclassified reason the lab will read')
    .option(
      '--benchmark-score <score>',
      "the benchmark's result, 0 to 1 (restricted: never the lab's)",
      unitInterval,
    )
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: DesignateOptions & { notCovered?: boolean }, cmd: Command) => {
      if (opts.covered !== true && opts.notCovered !== true) {
        cmd.error('error: say which way: --covered or --not-covered', { exitCode: 2 });
      }
      const body = {
        covered: opts.covered === true,
        reason: opts.reason,
        ...(opts.benchmarkScore === undefined ? {} : { benchmarkScore: opts.benchmarkScore }),
      };
      const ctx = contextOf(cmd);
      const r = await ctx.act<Receipt>(
        casePath(id, 'statements'),
        'designateCoverage',
        casePath(id, 'designation'),
        body,
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Designated ${id} ${body.covered ? 'covered' : 'not covered'}`));
    });

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
      const r = await ctx.act<Receipt>(
        casePath(id, 'statements'),
        'recordDecision',
        casePath(id, 'decisions'),
        { decision },
        opts.idempotencyKey,
      );
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
      const r = await ctx.act<Receipt>(
        casePath(id, 'statements'),
        'requestInformation',
        casePath(id, 'information-requests'),
        body,
        opts.idempotencyKey,
      );
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
      const r = await ctx.act<Receipt>(
        casePath(id, 'statements'),
        'requestExtension',
        casePath(id, 'extensions'),
        body,
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Extended the deadline on ${id} by ${opts.days} day(s)`));
    });

  program
    .command('nominate')
    .summary(MESSAGES.nominateOperator.summary)
    .description(
      "Nominate a critical-infrastructure operator for early access to the model (the policy's nominating " +
        'agency, CISA, once the case is in PRE_RELEASE); the lab approves or declines the grant (`grant`)',
    )
    .addArgument(caseArgument())
    .requiredOption(
      '--operator <operatorId>',
      "the operator's id (not its principal: grid-co, not operator:grid-co)",
    )
    .requiredOption('--reason <text>', 'why this operator (the lab and the operator read it)')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { operator: string; reason: string } & KeyOption, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { operatorId: opts.operator, reason: opts.reason };
      const r = await ctx.api.post<Receipt>(casePath(id, 'early-access'), body, opts.idempotencyKey);
      // A case id names the grant: <labId>~<submissionId>~<operatorId>.
      const grant = id.includes(':') ? `: grant ${id.replace(':', '~')}~${opts.operator}` : '';
      ctx.emit(r, receiptText(`Nominated operator:${opts.operator} for early access on ${id}${grant}`));
    });
}
