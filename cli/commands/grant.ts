import { Command, Option } from 'commander';
import type { z } from 'zod';
import {
  GrantState,
  type GrantListItem,
  type GrantReceiptView,
  type GrantView,
} from '../../shared/api/grants';
import { GRANT_MESSAGES } from '../../shared/domain/grants/messages';
import { contextOf, idempotencyKeyOption } from '../context';
import { clean, table, when } from '../output';

type Receipt = z.infer<typeof GrantReceiptView>;
interface Page {
  items: GrantListItem[];
  nextCursor?: string;
}

const grantPath = (id: string, tail?: string): string =>
  `v1/grants/${encodeURIComponent(id)}${tail === undefined ? '' : `/${tail}`}`;
const receiptText = (r: Receipt): string =>
  `${r.grantId}: ${r.event.type} at ${when(r.event.at)}; the grant is ${r.state}\n`;

function viewText(v: GrantView): string {
  // Reasons, notes and the summary are other parties' words: one line each, control characters escaped.
  const line = (k: string, value: string | undefined) =>
    value === undefined ? '' : `${k.padEnd(22)}${clean(value)}\n`;
  const closed = v.caseClosed;
  return (
    line('grant', v.grantId) +
    line('case', v.caseId) +
    line('operator', v.operator) +
    line('nominated by', `${v.nominatedBy}, ${when(v.nominatedAt)}`) +
    line('reason', v.reason) +
    line('model', `${v.model.name} ${v.model.version}`) +
    line('outcome', `${v.model.outcome} (${v.policy.id} v${v.policy.version})`) +
    line('unclassified summary', v.model.summary) +
    line('state', v.endReason === undefined ? v.state : `${v.state} (${v.endReason})`) +
    line('answer due', when(v.answerDue)) +
    line('approved', v.approvedAt && when(v.approvedAt)) +
    line('ends', v.endsAt && when(v.endsAt)) +
    line(
      'case closed',
      closed &&
        `${closed.reason}, ${when(closed.at)}` +
          (closed.releasedAt === undefined ? '' : `; released ${when(closed.releasedAt)}`),
    ) +
    line('uses', String(v.uses)) +
    line('closed', v.closedAt && when(v.closedAt)) +
    '\n' +
    table(
      ['#', 'AT', 'STEP', 'BY', 'NOTE'],
      v.timeline.map((e) => [String(e.seq), when(e.at), e.type, e.actor, e.note ?? '']),
    )
  );
}

/** Early access for critical-infrastructure operators (issue 14, part 4): read, list, approve, decline, revoke, use. */
export function register(program: Command): void {
  const grant = program
    .command('grant')
    .description(
      'Early-access grants of operators (nominated by CISA): approved or declined by the lab, used by the operator',
    );

  grant
    .command('show')
    .description(
      'One grant: operator, the model’s unclassified summary, state, when access ends, and timeline',
    )
    .argument('<grantId>', '<labId>~<submissionId>~<operatorId>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(await ctx.api.get<GrantView>(grantPath(id)), viewText);
    });

  grant
    .command('list')
    .description(
      'Grants, newest first (operations staff, the chair and CISA all; a lab those on its models; an operator its own)',
    )
    .addOption(new Option('--state <state>').choices(GrantState.options))
    .option('--lab <labId>')
    .option('--case <caseId>', '<labId>:<submissionId>')
    .option('--operator <operatorId>', "the operator's id (not its principal: grid-co, not operator:grid-co)")
    .option('--cursor <cursor>', 'the next page')
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await ctx.api.get<Page>('v1/grants', {
        state: opts.state,
        lab: opts.lab,
        caseId: opts.case,
        operator: opts.operator,
        cursor: opts.cursor,
      });
      ctx.emit(
        page,
        (p) =>
          table(
            ['GRANT', 'OPERATOR', 'STATE', 'NEXT DEADLINE', 'WHOSE', 'NOMINATED'],
            p.items.map((g) => [
              g.grantId,
              g.operator ?? '',
              g.state ?? '',
              g.nextDeadline === undefined ? '' : when(g.nextDeadline),
              g.nextParty ?? '',
              when(g.nominatedAt),
            ]),
          ) + (p.nextCursor === undefined ? '' : `next page: --cursor ${p.nextCursor}\n`),
      );
    });

  const action = (
    name: string,
    key: keyof typeof GRANT_MESSAGES,
    segment: string,
    field: { flag: string; name: 'reason' | 'note'; required: boolean; help: string },
  ) => {
    const c = grant
      .command(name)
      .description(GRANT_MESSAGES[key].summary)
      .argument('<grantId>', '<labId>~<submissionId>~<operatorId>')
      .addOption(idempotencyKeyOption());
    if (field.required) c.requiredOption(field.flag, field.help);
    else c.option(field.flag, field.help);
    c.action(async (id: string, opts: Record<string, string | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const text = opts[field.name];
      const body = text === undefined ? {} : { [field.name]: text };
      ctx.emit(await ctx.api.post<Receipt>(grantPath(id, segment), body, opts.idempotencyKey), receiptText);
    });
  };
  action('approve', 'approve', 'approval', {
    flag: '--note <text>',
    name: 'note',
    required: false,
    help: 'a note for the record (the operator and CISA read it)',
  });
  action('decline', 'decline', 'declination', {
    flag: '--note <text>',
    name: 'note',
    required: false,
    help: 'a note for the record (the operator and CISA read it)',
  });
  action('revoke', 'revoke', 'revocation', {
    flag: '--reason <text>',
    name: 'reason',
    required: true,
    help: 'why the grant ends sooner (everyone who may read the grant reads it)',
  });
  action('use', 'reportUse', 'uses', {
    flag: '--note <text>',
    name: 'note',
    required: true,
    help: 'what the access was used for (the lab and CISA read it)',
  });
}
