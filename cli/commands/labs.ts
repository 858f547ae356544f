import { Command, Option } from 'commander';
import type { z } from 'zod';
import { LabStatus, type LabListItem, type LabReceiptView, type LabView } from '../../shared/api/labs';
import { LAB_MESSAGES } from '../../shared/domain/labs/messages';
import { contextOf, idempotencyKeyOption, positiveInt } from '../context';
import { clean, heading, table, when } from '../output';

type Receipt = z.infer<typeof LabReceiptView>;
interface Page {
  items: LabListItem[];
  nextCursor?: string;
}

const labPath = (id: string, tail?: string): string =>
  `v1/labs/${encodeURIComponent(id)}${tail === undefined ? '' : `/${tail}`}`;
const receiptText = (r: Receipt): string =>
  `${r.labId}: ${r.event.type} at ${when(r.event.at)}; the lab is ${r.status}\n`;

const yesNo = (b: boolean | undefined): string => (b === undefined ? '' : b ? 'yes' : 'no');

function viewText(v: LabView): string {
  // Reasons and the policy's words are other parties' text: cleaned like every table cell.
  const line = (k: string, value: string | undefined) =>
    value === undefined ? '' : `${k.padEnd(18)}${clean(value)}\n`;
  const e = v.eligibility;
  const c = v.commitments;
  return (
    line('lab', v.labId) +
    line('status', v.status) +
    line('since', when(v.since)) +
    line(
      'proposal',
      `${e.eligible ? 'eligible' : 'not eligible'} (${e.completedReviews} completed reviews, ` +
        `${e.earlyReleases} early releases, ${e.brokenCommitments} broken commitments)`,
    ) +
    e.unmet.map((u, i) => line(i === 0 ? 'unmet' : '', u)).join('') +
    line('commitments', `${c.kept} kept, ${c.broken} broken, ${c.overdue} overdue, ${c.pending} pending`) +
    line(
      'callbacks',
      `${v.callbacks.pending} pending, ${v.callbacks.delivered} delivered, ${v.callbacks.failed} failed`,
    ) +
    heading('Status history') +
    table(
      ['AT', 'STATUS', 'BY', 'PROPOSED', 'REASON'],
      v.statusHistory.map((h) => [
        when(h.at),
        h.status,
        h.by,
        h.eligible ? 'eligible' : 'not eligible',
        h.reason,
      ]),
    ) +
    heading('Cases') +
    table(
      ['CASE', 'ACCEPTED', 'POLICY', 'STATUS THEN', 'OUTCOME', 'CLOSED', 'RELEASED', 'EARLY'],
      v.cases.map((k) => [
        k.caseId,
        when(k.acceptedAt),
        `${k.policy.id} v${k.policy.version}`,
        k.statusAtAcceptance,
        k.outcome,
        k.closedAt === undefined ? undefined : `${when(k.closedAt)} ${k.closedReason ?? ''}`.trimEnd(),
        when(k.releasedAt),
        yesNo(k.earlyRelease),
      ]),
    ) +
    heading('Commitments') +
    table(
      ['COMMITMENT', 'CASE', 'OWNER', 'STANDING', 'AT'],
      c.items.map((i) => [i.commitmentId, i.caseId, i.owner, i.standing, when(i.at)]),
    )
  );
}

/**
 * Labs' records and trusted-partner status (docs/review-process.md "Trusted partners"): list, read,
 * designate, revoke.
 */
export function register(program: Command): void {
  // `labs add` (admin) lives under the same command: these join it.
  const labs = program.commands.find((c) => c.name() === 'labs') ?? program.command('labs');
  labs.description(
    "Labs: add one (admin); read a lab's record; designate or revoke a trusted partner (the chair)",
  );

  labs
    .command('list')
    .description('Labs with a record, newest first (operations staff and the chair all; a lab its own)')
    .addOption(new Option('--status <status>').choices(LabStatus.options))
    .option('--page-size <n>', 'labs per page (at most 100)', positiveInt)
    .option('--cursor <cursor>', 'the next page')
    .action(async (opts: { status?: string; pageSize?: number; cursor?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await ctx.api.get<Page>('v1/labs', {
        status: opts.status,
        pageSize: opts.pageSize,
        cursor: opts.cursor,
      });
      ctx.emit(
        page,
        (p) =>
          table(
            ['LAB', 'STATUS', 'SINCE'],
            p.items.map((l) => [l.labId, l.status ?? '', when(l.since)]),
          ) + (p.nextCursor === undefined ? '' : `next page: --cursor ${p.nextCursor}\n`),
      );
    });

  labs
    .command('show')
    .description(
      "One lab's record: status, the policy's proposal, status history, cases, commitments (a lab its own)",
    )
    .argument('<labId>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(await ctx.api.get<LabView>(labPath(id)), viewText);
    });

  const action = (name: string, key: keyof typeof LAB_MESSAGES, segment: string, help: string) => {
    labs
      .command(name)
      .description(LAB_MESSAGES[key].summary)
      .argument('<labId>')
      .requiredOption('--reason <text>', help)
      .addOption(idempotencyKeyOption())
      .action(async (id: string, opts: { reason: string; idempotencyKey?: string }, cmd: Command) => {
        const ctx = contextOf(cmd);
        ctx.emit(
          // The chair's decision is signed when a signing key is set (issue 36).
          await ctx.act<Receipt>(
            labPath(id, 'statements'),
            LAB_MESSAGES[key].name,
            labPath(id, segment),
            { reason: opts.reason },
            opts.idempotencyKey,
          ),
          receiptText,
        );
      });
  };
  action('designate', 'designate', 'designation', 'why the lab is trusted (the lab is told)');
  action('revoke', 'revoke', 'revocation', 'why the status ends (the lab is told)');
}
