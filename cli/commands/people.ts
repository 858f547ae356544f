import { InvalidArgumentError, type Command } from 'commander';
import { EnrolledPrincipal, type EnrolledPerson } from '../../shared/api/people';
import { contextOf } from '../context';
import { table, when } from '../output';

const enrolledPrincipal = (v: string): string => {
  if (!EnrolledPrincipal.safeParse(v).success) throw new InvalidArgumentError('lab:<id> or operator:<id>');
  return v;
};

const COLUMNS = ['principal', 'name', 'issuer', 'subject', 'security contact', 'enrolled', 'removed'];
const row = (p: EnrolledPerson) => [
  p.principal,
  p.name ?? '',
  p.issuer,
  p.subject,
  p.securityContact === true ? 'yes' : '',
  when(p.enrolledAt),
  p.removedAt === undefined ? '' : when(p.removedAt),
];

/** The labs' and operators' people (admin; issue 38): enrolled by issuer and subject, as the provider names them. */
export function register(program: Command): void {
  const people = program
    .command('people')
    .description('People who act for a lab or an operator, signed in through the identity provider (admin)');
  people
    .command('list')
    .description('Every enrolment, removed ones too')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const list = await ctx.api.get<{ items: EnrolledPerson[] }>('v1/admin/people');
      ctx.emit(list, (x) => table(COLUMNS, x.items.map(row)));
    });
  people
    .command('enrol')
    .description('Enrol a person for a lab or an operator: signed in, they act as it')
    .argument('<issuer>', "the identity provider's issuer, e.g. https://secure.login.gov")
    .argument('<subject>', 'the subject the provider gives the person')
    .requiredOption('--as <principal>', 'lab:<id> or operator:<id>', enrolledPrincipal)
    .option('--name <name>', 'who the person is, for the record')
    .option('--security-contact', "a lab's person: one of its named security contacts")
    .action(
      async (
        issuer: string,
        subject: string,
        opts: { as: string; name?: string; securityContact?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const body = {
          issuer,
          subject,
          principal: opts.as,
          ...(opts.name === undefined ? {} : { name: opts.name }),
          ...(opts.securityContact === true ? { securityContact: true } : {}),
        };
        const p = await ctx.api.post<EnrolledPerson>('v1/admin/people', body);
        ctx.emit(p, (x) => `Enrolled ${x.subject} at ${x.issuer} as ${x.principal}\n`);
      },
    );
  people
    .command('remove')
    .description('Remove a person from a lab or an operator: refused from their next request, sessions ended')
    .argument('<issuer>')
    .argument('<subject>')
    .requiredOption('--as <principal>', 'lab:<id> or operator:<id>', enrolledPrincipal)
    .action(async (issuer: string, subject: string, opts: { as: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const p = await ctx.api.post<EnrolledPerson>('v1/admin/people/removal', {
        issuer,
        subject,
        principal: opts.as,
      });
      ctx.emit(p, (x) => `Removed ${x.subject} at ${x.issuer} from ${x.principal}\n`);
    });
}
