import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CaseSummary } from '../../shared/api/responses';
import { SA } from '../../shared/domain/search-attributes';
import { casesWhere, countCases, literal } from '../../gateway/visibility';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';

/**
 * The agency's inbox: the open cases awaiting my agency, sorted by my own deadline (soonest first), at-risk and
 * overdue marked, with filters and counts.
 *
 * Temporal's SQL visibility cannot order by a custom attribute, so the page reads the whole set the agency
 * awaits (at most INBOX_LIMIT cases, a page of 100 at a time) and sorts it here, by the agency's own deadline
 * where visibility carries it (ReviewAwaitingDue), else by the case's next deadline. Past the limit the page
 * says how many it did not read; the counts, from visibility's count queries, are always whole.
 */
export const INBOX_LIMIT = 1000;

const InboxQuery = z.strictObject({
  stage: z.enum(['ALL', 'DESIGNATION', 'NATIONAL_SECURITY', 'CIVILIAN']).default('ALL'),
  show: z.enum(['all', 'at-risk', 'overdue']).default('all'),
  page: z.coerce.number().int().min(1).max(INBOX_LIMIT).default(1),
});

/** Rows shown at once: the whole set is read and sorted, then shown a hundred at a time. */
export const ROWS_PER_PAGE = 100;

/** My deadline on a listed case: the agency's own where visibility has it, else the case's next one. */
export const myDeadline = (c: CaseSummary, agency: string): string | undefined =>
  c.awaitingDue?.[agency] ?? c.nextDeadline;

export const inboxPage =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/inbox', async (req: FastifyRequest<{ Querystring: unknown }>, reply) => {
      const caller = ctx.caller(req);
      if (caller.role !== 'agency') throw new WorkbenchError(404, 'No such page');
      const parsed = InboxQuery.safeParse(req.query);
      if (!parsed.success) throw new WorkbenchError(400, 'Those filters are not ones this page offers');
      const filters = parsed.data;
      const agency = caller.id!;
      const { items } = await ctx.api(req).readAll('/agency/cases', CaseSummary, INBOX_LIMIT);

      const awaiting = casesWhere("ExecutionStatus = 'Running'", `${SA.awaiting.name} = ${literal(agency)}`);
      const count = (clause?: string) =>
        countCases(
          ctx.opts.temporal,
          clause === undefined ? awaiting : `${awaiting} AND ${clause}`,
          ctx.opts.callTimeoutMs,
        );
      const [total, atRisk, overdue] = await Promise.all([
        count(),
        count(`${SA.atRisk.name} = true`),
        count(`${SA.overdue.name} = true`),
      ]);

      const sorted = items
        .filter((c) => filters.stage === 'ALL' || c.stage === filters.stage)
        .filter((c) => filters.show !== 'at-risk' || c.atRisk === true)
        .filter((c) => filters.show !== 'overdue' || c.overdue === true)
        .map((c) => ({ ...c, mine: myDeadline(c, agency) }))
        .sort(
          (a, b) => (a.mine ?? '9999').localeCompare(b.mine ?? '9999') || a.caseId.localeCompare(b.caseId),
        );
      const pages = Math.max(1, Math.ceil(sorted.length / ROWS_PER_PAGE));
      const pageNumber = Math.min(filters.page, pages);
      const rows = sorted.slice((pageNumber - 1) * ROWS_PER_PAGE, pageNumber * ROWS_PER_PAGE);
      const pageUrl = (n: number) =>
        `/workbench/inbox?${new URLSearchParams({ stage: filters.stage, show: filters.show, page: String(n) }).toString()}`;
      const html = await ctx.render(req, reply, 'inbox', {
        title: `Cases awaiting ${agency}`,
        agency,
        rows,
        shown: sorted.length,
        first: (pageNumber - 1) * ROWS_PER_PAGE + 1,
        previous: pageNumber > 1 ? pageUrl(pageNumber - 1) : undefined,
        next: pageNumber < pages ? pageUrl(pageNumber + 1) : undefined,
        filters,
        counts: { total, atRisk, overdue },
        unread: Math.max(0, total - items.length),
        limit: INBOX_LIMIT,
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
