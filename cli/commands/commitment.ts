import { Command, Option } from 'commander';
import type { z } from 'zod';
import {
  CommitmentState,
  type CommitmentListItem,
  type CommitmentReceiptView,
  type CommitmentView,
} from '../../shared/api/commitments';
import { COMMITMENT_MESSAGES } from '../../shared/domain/commitments/messages';
import { contextOf, idempotencyKeyOption } from '../context';
import { table, when } from '../output';

type Receipt = z.infer<typeof CommitmentReceiptView>;
type View = z.infer<typeof CommitmentView>;
interface Page {
  items: z.infer<typeof CommitmentListItem>[];
  nextCursor?: string;
}

const commitmentPath = (id: string, tail?: string): string =>
  `v1/commitments/${encodeURIComponent(id)}${tail === undefined ? '' : `/${tail}`}`;
const receiptText = (r: Receipt): string =>
  `${r.commitmentId}: ${r.event.type} at ${when(r.event.at)}; the commitment is ${r.state}\n`;

function viewText(v: View): string {
  const line = (k: string, value: string | undefined) =>
    value === undefined ? '' : `${k.padEnd(18)}${value}\n`;
  return (
    line('commitment', v.commitmentId) +
    line('case', v.caseId) +
    line('owner', v.owner) +
    line('state', `${v.state} (${v.standing})`) +
    line('flags', v.flags.length === 0 ? undefined : v.flags.join(', ')) +
    line('determination', `${v.outcome}, ${when(v.determinedAt)} (${v.policy.id} v${v.policy.version})`) +
    line('due', when(v.dueAt)) +
    line('attested', v.attestedAt && when(v.attestedAt)) +
    line('owner answers by', v.confirmationDue && when(v.confirmationDue)) +
    line('closed', v.closedAt && when(v.closedAt)) +
    `\n${v.text}\n\n` +
    table(
      ['#', 'AT', 'STEP', 'BY', 'NOTE'],
      v.timeline.map((e) => [String(e.seq), when(e.at), e.type, e.actor, e.note ?? '']),
    )
  );
}

/**
 * Commitments of determinations (docs/review-process.md "Commitments"): read, list, attest, confirm, dispute.
 */
export function register(program: Command): void {
  const commitment = program
    .command('commitment')
    .description('Commitments of determinations: attested by the lab, confirmed or disputed by the owner');

  commitment
    .command('show')
    .description('One commitment: owner, due date, state, standing and timeline')
    .argument('<commitmentId>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(await ctx.api.get<View>(commitmentPath(id)), viewText);
    });

  commitment
    .command('list')
    .description(
      'Commitments, newest first (operations staff and the chair all; a lab its own; an agency its own)',
    )
    .addOption(new Option('--state <state>').choices(CommitmentState.options))
    .option('--lab <labId>')
    .option('--case <caseId>')
    .option('--owner <owner>', 'agency:<ID> or chair')
    .option('--overdue', 'only those past their due date and not attested')
    .option('--open', 'only those not yet confirmed, disputed or closed overdue')
    .option('--cursor <cursor>', 'the next page')
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await ctx.api.get<Page>('v1/commitments', {
        state: opts.state as string | undefined,
        lab: opts.lab as string | undefined,
        caseId: opts.case as string | undefined,
        owner: opts.owner as string | undefined,
        overdue: opts.overdue === true ? 'true' : undefined,
        open: opts.open === true ? 'true' : undefined,
        cursor: opts.cursor as string | undefined,
      });
      ctx.emit(
        page,
        (p) =>
          table(
            ['COMMITMENT', 'OWNER', 'STATE', 'NEXT DEADLINE', 'WHOSE', 'FLAGS'],
            p.items.map((c) => [
              c.commitmentId,
              c.owner ?? '',
              c.state ?? '',
              c.nextDeadline === undefined ? '' : when(c.nextDeadline),
              c.nextParty ?? '',
              c.flags.join(', '),
            ]),
          ) + (p.nextCursor === undefined ? '' : `next page: --cursor ${p.nextCursor}\n`),
      );
    });

  const action = (
    name: string,
    key: keyof typeof COMMITMENT_MESSAGES,
    segment: string,
    field: { flag: string; name: 'statement' | 'reason' | 'note'; required: boolean; help: string },
  ) => {
    const c = commitment
      .command(name)
      .description(COMMITMENT_MESSAGES[key].summary)
      .argument('<commitmentId>')
      .addOption(idempotencyKeyOption());
    if (field.required) c.requiredOption(field.flag, field.help);
    else c.option(field.flag, field.help);
    c.action(async (id: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const text = opts[field.name];
      const body = text === undefined ? {} : { [field.name]: text };
      ctx.emit(
        await ctx.api.post<Receipt>(commitmentPath(id, segment), body, opts.idempotencyKey),
        receiptText,
      );
    });
  };
  action('attest', 'attest', 'attestation', {
    flag: '--statement <text>',
    name: 'statement',
    required: true,
    help: 'how the commitment was kept (the owner and the record read it)',
  });
  action('confirm', 'confirm', 'confirmation', {
    flag: '--note <text>',
    name: 'note',
    required: false,
    help: 'a note for the record (the lab reads it)',
  });
  action('dispute', 'dispute', 'dispute', {
    flag: '--reason <text>',
    name: 'reason',
    required: true,
    help: 'why the attestation does not hold (the lab reads it)',
  });
}
