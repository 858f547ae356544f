import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import type { OpsCaseQuery } from '../../shared/api/requests';
import type { CaseSummary, LabCaseSummary, Me } from '../../shared/api/responses';
import { Outcome } from '../../shared/domain/decisions';
import { Stage } from '../../shared/domain/review/state';
import type { Query } from '../client';
import { renderCase, type AnyCaseView } from '../case-view';
import { caseArgument, casePath, contextOf, ensure, isoInstant, positiveInt, type Context } from '../context';
import { list, table, when } from '../output';

type Who = z.infer<typeof Me>;
type LabRow = z.infer<typeof LabCaseSummary>;
interface Page<T> {
  items: T[];
  nextCursor?: string;
}
interface PageOptions {
  pageSize?: number;
  cursor?: string;
  all?: boolean;
}

const pageSize = (v: string) => {
  const n = positiveInt(v);
  if (n > 100) throw new InvalidArgumentError('at most 100');
  return n;
};

function pagingOptions(cmd: Command): Command {
  return cmd
    .option('--page-size <n>', 'cases per page, 1 to 100 (default 20; 100 with --all)', pageSize)
    .option('--cursor <cursor>', 'the next page: the cursor the previous page ended with')
    .option('--all', 'every page, following the cursors to the end');
}

/**
 * One page, or with --all every page; --json prints the API's page as is (with --all: every item, no cursor).
 * Lists come from Temporal visibility and lag a case by a moment; `cases show` reads the case itself.
 */
async function listing<T>(
  ctx: Context,
  path: string,
  query: Query,
  opts: PageOptions,
  render: (items: T[]) => string,
): Promise<void> {
  ensure(!(opts.all === true && opts.cursor !== undefined), '--all and --cursor do not go together');
  if (opts.all !== true) {
    const page = await ctx.api.get<Page<T>>(path, { ...query, pageSize: opts.pageSize, cursor: opts.cursor });
    ctx.emit(page, (p) => render(p.items));
    if (!ctx.json && page.nextCursor !== undefined) ctx.note(`more cases: add --cursor ${page.nextCursor}`);
    return;
  }
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.api.get<Page<T>>(path, { ...query, pageSize: opts.pageSize ?? 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  ctx.emit({ items }, (p) => render(p.items));
}

const summaryTable = (items: CaseSummary[]): string =>
  table(
    ['case', 'lab', 'stage', 'policy', 'next deadline', 'window end', 'outcome', 'flags', 'awaiting'],
    items.map((c) => [
      c.caseId,
      c.labId,
      c.stage,
      c.policy,
      when(c.nextDeadline),
      when(c.windowEnd),
      c.outcome,
      list(c.flags),
      list(c.awaiting),
    ]),
  );

const labSummaryTable = (items: LabRow[]): string =>
  table(
    ['submission', 'stage', 'policy', 'window end', 'outcome', 'filed', 'closed'],
    items.map((c) => [
      c.submissionId,
      c.stage,
      c.policy,
      when(c.windowEnd),
      c.outcome,
      when(c.startedAt),
      when(c.closedAt),
    ]),
  );

interface ListOptions extends PageOptions {
  stage?: string;
  lab?: string;
  policy?: string;
  atRisk?: boolean;
  overdue?: boolean;
  outcome?: string;
  callbackFailing?: boolean;
  deadlineBefore?: string;
}

/** Operations' filters, named as the API names them. */
function opsQuery(o: ListOptions): Query {
  return {
    stage: o.stage,
    lab: o.lab,
    policy: o.policy,
    atRisk: o.atRisk,
    overdue: o.overdue,
    outcome: o.outcome,
    callbackFailing: o.callbackFailing,
    nextDeadlineBefore: o.deadlineBefore,
  } satisfies Partial<Record<keyof OpsCaseQuery, unknown>>;
}

async function listCases(opts: ListOptions, cmd: Command): Promise<void> {
  const ctx = contextOf(cmd);
  const query = opsQuery(opts);
  const filtered = Object.values(query).some((v) => v !== undefined);
  // Each role has its own list in the API, so the CLI asks who the key belongs to first.
  const me = await ctx.api.get<Who>('v1/me');
  if (me.role !== 'ops') {
    ensure(!filtered, `filters are for operations staff; ${me.principal} lists without them`);
  }
  switch (me.role) {
    case 'ops':
      return listing(ctx, 'v1/ops/cases', query, opts, summaryTable);
    case 'lab':
      return listing(ctx, 'v1/submissions', {}, opts, labSummaryTable);
    case 'agency':
      return listing(ctx, 'v1/agency/cases', {}, opts, summaryTable);
    case 'chair':
      return listing(ctx, 'v1/chair/escalations', {}, opts, summaryTable);
  }
}

const bool = (name: string, what: string) => [
  new Option(`--${name}`, `only cases ${what}`),
  new Option(`--no-${name}`, `only cases not ${what}`),
];

export function register(program: Command): void {
  program.commandsGroup('Everyone:');
  program
    .command('whoami')
    .description('Show the principal and role behind the API key (never the key)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const me = await ctx.api.get<Who>('v1/me');
      ctx.emit(me, (m) => `${m.principal} (${m.role}, key ${m.keyId})\n`);
    });

  const cases = program.command('cases').description('List cases and read one case');

  const listCmd = cases
    .command('list')
    .summary("List cases: operations staff every case, with filters; others their role's list")
    .description(
      'List cases, newest first. Operations staff: every case, with filters (combined with AND). ' +
        'A lab: its own cases. An agency: the open cases awaiting it. The chair: the escalated cases.',
    )
    .addOption(new Option('--stage <stage>', 'only cases in this stage').choices(Stage.options))
    .option('--lab <labId>', "only this lab's cases")
    .option('--policy <policyId>', 'only cases under this policy (e.g. draft-2026-90d)');
  for (const o of [
    ...bool('at-risk', 'at risk'),
    ...bool('overdue', 'with an overdue deadline'),
    ...bool('callback-failing', 'whose lab callbacks are failing'),
  ])
    listCmd.addOption(o);
  listCmd
    .addOption(
      new Option('--outcome <outcome>', 'only cases determined with this outcome').choices(Outcome.options),
    )
    .option('--deadline-before <date>', 'only cases whose next deadline falls before this time', isoInstant);
  pagingOptions(listCmd).action(listCases);

  cases
    .command('show')
    .description("Read one case as this key's role may see it: stage, flags, deadlines, agencies, timeline")
    .addArgument(caseArgument())
    .option('--timeline <n>', "the last n timeline entries, or 'all'", '10')
    .action(async (id: string, opts: { timeline: string }, cmd: Command) => {
      const tail = opts.timeline === 'all' ? Infinity : positiveIntOrZero(opts.timeline);
      const ctx = contextOf(cmd);
      const view = await ctx.api.get<AnyCaseView>(casePath(id));
      ctx.emit(view, (v) => renderCase(v, tail));
    });

  pagingOptions(
    cases.command('awaiting').description("An agency's open cases that still wait for its decision"),
  ).action(async (opts: PageOptions, cmd: Command) =>
    listing(contextOf(cmd), 'v1/agency/cases', {}, opts, summaryTable),
  );

  pagingOptions(
    cases.command('escalated').description('The chair: open cases escalated for a resolution'),
  ).action(async (opts: PageOptions, cmd: Command) =>
    listing(contextOf(cmd), 'v1/chair/escalations', {}, opts, summaryTable),
  );
}

function positiveIntOrZero(v: string): number {
  const n = Number(v);
  ensure(Number.isInteger(n) && n >= 0, "--timeline takes a whole number or 'all'");
  return n;
}
