import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import type { ClosureReport, FanOutReport, GovernmentView, Projection } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import type { Receipt } from '../../shared/domain/review/record';
import { TollReason } from '../../shared/domain/tolling';
import type { AnyCaseView } from '../case-view';
import {
  caseArgument,
  casePath,
  collect,
  contextOf,
  ensure,
  idempotencyKeyOption,
  isoInstant,
  positiveInt,
  receiptText,
  type Context,
} from '../context';
import { EXIT } from '../errors';
import { cut, span, table, when } from '../output';

type Report = z.infer<typeof FanOutReport> | z.infer<typeof ClosureReport>;
type Projected = z.infer<typeof Projection>;

/**
 * The answer to a message to the government's state: what it changed and each open case's result. A message
 * that changed nothing is refused by the API (exit 1); cases that were unavailable make the exit code 3, since
 * repeating it is safe.
 */
function report(ctx: Context, r: Report, verb: string): void {
  ctx.emit(
    r,
    (x) =>
      `${'lapseId' in x ? `Funding lapse ${x.lapseId}` : `Closure ${x.closureId}`} ${verb}` +
      `${x.change === 'UNCHANGED' ? ' (already recorded)' : ''}: ${x.matched} case(s) matched, ` +
      `${x.applied} applied, ${x.rejected} rejected, ${x.unavailable} unavailable\n` +
      table(
        ['case', 'outcome', 'timeline', 'code', 'detail'],
        x.results.map((c) => [
          c.caseId ?? c.submissionId,
          c.outcome,
          c.receipt && `#${c.receipt.seq}`,
          c.code,
          cut(c.detail, 60),
        ]),
      ),
  );
  if (r.unavailable > 0) {
    ctx.note(`${r.unavailable} case(s) were unavailable: repeat the command (it applies once per case)`);
    process.exitCode = EXIT.UNAVAILABLE;
  }
}

/** A Washington date. */
function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('a date YYYY-MM-DD');
  }
  return value;
}

/** A deadline's party as the case names it; the API projects an unknown party as "no change". */
function party(value: string): string {
  if (!/^(lab|government|agency:[A-Za-z0-9_.-]+)$/.test(value)) {
    throw new InvalidArgumentError('a deadline party: agency:<ID> (e.g. agency:CISA), government or lab');
  }
  return value;
}

const shift = (ms: number): string => (ms === 0 ? '0' : `${ms > 0 ? '+' : '-'}${span(ms)}`);

async function project(ctx: Context, id: string, change: unknown): Promise<void> {
  const p = await ctx.api.post<Projected>(casePath(id, 'deadline-projections'), { change });
  ctx.emit(p, (x) =>
    table(
      ['deadline', 'party', 'due now', 'would be due', 'shift'],
      x.deadlines.map((d) => [d.key, d.party, when(d.before), when(d.dueAt), shift(d.shiftMs)]),
    ),
  );
}

/** What operations staff do: funding lapses, what-if projections, callback redelivery. */
export function register(program: Command): void {
  program.commandsGroup('Operations staff:');
  program
    .command('toll')
    .summary("Start a funding lapse: toll every open case's government deadlines")
    .description(
      "Start a funding lapse (ops): tolls every open, accepted case's government deadlines; windows keep " +
        'running. Repeating it with the same lapse id is safe and reaches cases that became visible since.',
    )
    .argument('<lapseId>', 'a name for this lapse, e.g. fy27-lapse-1')
    .requiredOption('--reason <text>', 'e.g. "appropriations lapse"')
    .action(async (lapseId: string, opts: { reason: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      report(
        ctx,
        await ctx.api.post<Report>('v1/ops/funding-lapses', { lapseId, reason: opts.reason }),
        'tolled',
      );
    });

  program
    .command('resume')
    .description("End a funding lapse (ops): resumes every open case's government deadlines")
    .argument('<lapseId>')
    .action(async (lapseId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      report(
        ctx,
        await ctx.api.post<Report>(`v1/ops/funding-lapses/${encodeURIComponent(lapseId)}/resume`),
        'resumed',
      );
    });

  program
    .command('closure')
    .summary('Declare a closure of federal offices: deadlines falling on it move to the next business day')
    .description(
      'Declare an unscheduled closure of federal offices (ops), e.g. by executive order or OPM: recorded ' +
        'once, then sent to every open case, whose government deadlines falling on it move to the next ' +
        'business day. Dates are Washington dates (YYYY-MM-DD), today or later.',
    )
    .argument('<closureId>', 'a name for this closure, e.g. eo-2026-12-24')
    .requiredOption(
      '--date <YYYY-MM-DD>',
      'a closed date (repeat for more)',
      (v: string, previous: string[] | undefined) => collect(isoDate(v), previous),
    )
    .requiredOption('--reason <text>', 'e.g. "Executive Order closing executive departments"')
    .action(async (closureId: string, opts: { date: string[]; reason: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      report(
        ctx,
        await ctx.api.post<Report>('v1/ops/closures', { closureId, dates: opts.date, reason: opts.reason }),
        'declared',
      );
    });

  program
    .command('government')
    .description('Funding lapses and closures of federal offices recorded so far (ops)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const g = await ctx.api.get<z.infer<typeof GovernmentView>>('v1/ops/government');
      ctx.emit(
        g,
        (x) =>
          'Funding lapses\n' +
          table(
            ['lapse', 'from', 'to', 'reason'],
            x.lapses.map((l) => [
              l.id,
              when(l.from),
              l.to === undefined ? 'active' : when(l.to),
              cut(l.reason, 60),
            ]),
          ) +
          '\nClosures\n' +
          table(
            ['closure', 'dates', 'declared', 'reason'],
            x.closures.map((c) => [c.id, c.dates.join(' '), when(c.declaredAt), cut(c.reason, 60)]),
          ),
      );
    });

  const what = program
    .command('project')
    .description(
      'What-if (ops, chair): every deadline of a case under a hypothetical change; changes nothing',
    );
  what
    .command('extension')
    .description("An extension of one party's deadline")
    .addArgument(caseArgument())
    .requiredOption('--party <party>', 'whose deadline, e.g. agency:CISA', party)
    .requiredOption('--days <n>', 'days of extension', positiveInt)
    .action(async (id: string, opts: { party: string; days: number }, cmd: Command) =>
      project(contextOf(cmd), id, { kind: 'EXTENSION', party: opts.party, days: opts.days }),
    );
  what
    .command('toll')
    .description('Clocks standing still from one time to another')
    .addArgument(caseArgument())
    .requiredOption('--from <date>', 'when the toll starts', isoInstant)
    .requiredOption('--to <date>', 'when it ends', isoInstant)
    .option(
      '--party <party>',
      'a tolled party, e.g. agency:NSA (repeat for more; default: all government)',
      (v: string, previous: string[] | undefined) => collect(party(v), previous),
    )
    .addOption(new Option('--reason <reason>', 'why').choices(TollReason.options).default('FUNDING_LAPSE'))
    .action(
      async (
        id: string,
        opts: { from: string; to: string; party?: string[]; reason: string },
        cmd: Command,
      ) =>
        project(contextOf(cmd), id, {
          kind: 'TOLL',
          parties: opts.party ?? 'ALL_GOVERNMENT',
          from: opts.from,
          to: opts.to,
          reason: opts.reason,
        }),
    );
  what
    .command('release-date')
    .description("The window's end moved, as a changed release date would move it")
    .addArgument(caseArgument())
    .requiredOption('--new-end <date>', "the window's new end", isoInstant)
    .option('--old-end <date>', "the window's end now (default: the case's)", isoInstant)
    .action(async (id: string, opts: { newEnd: string; oldEnd?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      let oldEnd = opts.oldEnd;
      if (oldEnd === undefined) {
        oldEnd = (await ctx.api.get<AnyCaseView>(casePath(id))).windowEnd;
        ensure(oldEnd !== undefined, `${id} has no window yet (not accepted): pass --old-end`);
      }
      return project(ctx, id, { kind: 'RELEASE_DATE', oldEnd, newEnd: opts.newEnd });
    });

  program
    .command('redeliver')
    .summary(MESSAGES.redeliverCallbacks.summary)
    .description(
      "Redeliver a case's status callbacks (ops; a lab its own cases'): without --event-id, everything pending " +
        'from the failing event on; with one, that event again',
    )
    .addArgument(caseArgument())
    .option('--event-id <id>', 'one event to send again, e.g. sub-123:2')
    .addOption(idempotencyKeyOption())
    .action(async (id: string, opts: { eventId?: string; idempotencyKey?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = { eventId: opts.eventId };
      const r = await ctx.api.post<Receipt>(
        casePath(id, 'callbacks', 'redeliver'),
        body,
        opts.idempotencyKey,
      );
      ctx.emit(r, receiptText(`Redelivery of ${opts.eventId ?? 'pending callbacks'} on ${id} scheduled`));
    });
}
