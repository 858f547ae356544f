import type { SignedActName } from '../../shared/domain/signed-act';
import { Command, Option } from 'commander';
import type { z } from 'zod';
import type {
  FindingFiled,
  FindingListItem,
  FindingReceiptView,
  FindingView,
} from '../../shared/api/findings';
import { FindingFlag, FindingState, Tlp } from '../../shared/domain/clearinghouse/finding';
import { FINDING_MESSAGES } from '../../shared/domain/clearinghouse/messages';
import { contextOf, idempotencyKeyOption } from '../context';
import { table, when } from '../output';

type Receipt = z.infer<typeof FindingReceiptView>;
type View = z.infer<typeof FindingView>;
interface Page {
  items: z.infer<typeof FindingListItem>[];
  nextCursor?: string;
}

const findingPath = (id: string, tail?: string): string =>
  `v1/findings/${encodeURIComponent(id)}${tail === undefined ? '' : `/${tail}`}`;
const receiptText = (r: Receipt): string =>
  `${r.findingId}: ${r.event.type} at ${when(r.event.at)}; the finding is ${r.state}\n`;

function viewText(v: View): string {
  const line = (k: string, value: string | undefined) =>
    value === undefined ? '' : `${k.padEnd(16)}${value}\n`;
  return (
    line('finding', v.findingId) +
    line('lab', v.labId) +
    line('case', v.caseId) +
    line('state', v.state) +
    line('TLP', v.tlp) +
    line('severity', `${v.severity.rating} (${v.severity.score})`) +
    line('flags', v.flags.length === 0 ? undefined : v.flags.join(', ')) +
    line('validation due', when(v.validationDue)) +
    line('remediation due', v.remediationDue && when(v.remediationDue) + (v.extended ? ' (extended)' : '')) +
    line('disclosure due', v.disclosureDue && when(v.disclosureDue)) +
    line('closed', v.closedAt && when(v.closedAt)) +
    (v.detail === undefined
      ? 'detail          withheld (its TLP does not extend to you)\n'
      : line('title', v.detail.title) +
        line('vector', v.detail.cvssVector) +
        line('filed by', v.detail.filedBy) +
        `\n${v.detail.description}\n`) +
    '\n' +
    table(
      ['#', 'AT', 'STEP', 'BY', 'NOTE'],
      v.timeline.map((e) => [String(e.seq), when(e.at), e.type, e.actor, e.note ?? '']),
    )
  );
}

/**
 * The clearinghouse (docs/review-process.md "Clearinghouse findings"): file, read, list, and move a finding
 * along.
 */
export function register(program: Command): void {
  const finding = program
    .command('finding')
    .description('Clearinghouse findings: vulnerabilities found in or by a covered model (issue 15)');

  finding
    .command('file')
    .description("File a finding (an agency about any lab's model, a lab about its own)")
    .option('--case <caseId>', 'the review case of the model (<labId>:<submissionId>)')
    .option('--lab <labId>', 'the affected lab, when no case is named (agencies)')
    .requiredOption('--title <text>', 'one line')
    .requiredOption('--description <text>', 'what was found, and how to reproduce it')
    .requiredOption('--cvss <vector>', 'the severity as a CVSS base vector (2.0, 3.0, 3.1 or 4.0)')
    .addOption(
      new Option('--tlp <marking>', 'who beyond the clearinghouse and the lab reads it')
        .choices(Tlp.options)
        .makeOptionMandatory(),
    )
    .option('--callback-url <url>', 'a lab filing without a case: where its callbacks go')
    .addOption(idempotencyKeyOption())
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const body = {
        caseId: opts.case,
        labId: opts.lab,
        title: opts.title,
        description: opts.description,
        cvssVector: opts.cvss,
        tlp: opts.tlp,
        callbackUrl: opts.callbackUrl,
      };
      const filed = await ctx.api.post<z.infer<typeof FindingFiled>>(
        'v1/findings',
        body,
        opts.idempotencyKey,
      );
      ctx.emit(filed, (f) => `${f.created ? 'Filed' : 'Already filed'}: ${f.findingId}\n`);
    });

  finding
    .command('show')
    .description('One finding, at the detail its TLP allows you')
    .argument('<findingId>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      ctx.emit(await ctx.api.get<View>(findingPath(id)), viewText);
    });

  finding
    .command('list')
    .description('Findings, newest first (operations staff, the chair, the clearinghouse; a lab its own)')
    .addOption(new Option('--state <state>').choices(FindingState.options))
    .addOption(new Option('--flag <flag>').choices(FindingFlag.options))
    .option('--lab <labId>')
    .option('--case <caseId>')
    .option('--overdue', 'only those past a deadline')
    .option('--open', 'only those not yet rejected, remediated or disclosed')
    .option('--cursor <cursor>', 'the next page')
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      const ctx = contextOf(cmd);
      const page = await ctx.api.get<Page>('v1/findings', {
        state: opts.state as string | undefined,
        flag: opts.flag as string | undefined,
        lab: opts.lab as string | undefined,
        caseId: opts.case as string | undefined,
        overdue: opts.overdue === true ? 'true' : undefined,
        open: opts.open === true ? 'true' : undefined,
        cursor: opts.cursor as string | undefined,
      });
      ctx.emit(
        page,
        (p) =>
          table(
            ['FINDING', 'LAB', 'CASE', 'STATE', 'NEXT DEADLINE', 'FLAGS'],
            p.items.map((f) => [
              f.findingId,
              f.labId ?? '',
              f.caseId ?? '',
              f.state ?? '',
              f.nextDeadline === undefined ? '' : when(f.nextDeadline),
              f.flags.join(', '),
            ]),
          ) + (p.nextCursor === undefined ? '' : `next page: --cursor ${p.nextCursor}\n`),
      );
    });

  const action = (
    name: string,
    key: keyof typeof FINDING_MESSAGES,
    segment: string,
    field?: 'reason' | 'note',
  ) => {
    const c = finding
      .command(name)
      .description(FINDING_MESSAGES[key].summary)
      .argument('<findingId>')
      .addOption(idempotencyKeyOption());
    if (field === 'reason') c.requiredOption('--reason <text>', 'why');
    else c.option('--note <text>', 'a note for the record (clearinghouse and detail readers)');
    c.action(
      async (id: string, opts: { reason?: string; note?: string; idempotencyKey?: string }, cmd: Command) => {
        const ctx = contextOf(cmd);
        const body =
          field === 'reason' ? { reason: opts.reason } : opts.note === undefined ? {} : { note: opts.note };
        ctx.emit(
          // The clearinghouse's validation and disclosure are signed when a signing key is set (issue 36).
          key === 'validate' || key === 'disclose'
            ? await ctx.act<Receipt>(
                findingPath(id, 'statements'),
                FINDING_MESSAGES[key].name as SignedActName,
                findingPath(id, segment),
                body,
                opts.idempotencyKey,
              )
            : await ctx.api.post<Receipt>(findingPath(id, segment), body, opts.idempotencyKey),
          receiptText,
        );
      },
    );
  };
  action('validate', 'validate', 'validation');
  action('reject', 'reject', 'rejection', 'reason');
  action('extend', 'extend', 'extension', 'reason');
  action('remediated', 'remediated', 'remediation');
  action('disclose', 'disclose', 'disclosure');
}
