import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { LabCaseSummary } from '../../shared/api/responses';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';
import { partyName } from './case';

/**
 * The lab's cases (issue 38): open ones first, each with its stage, the next deadline and whose it is (the lab's
 * own, such as a question to answer, or the government's), and the window's end; closed ones after, with their
 * outcome. Read from the API's list of the lab's cases (visibility), at most MY_CASES_LIMIT of them; past that
 * the page says how many it did not read.
 */
export const MY_CASES_LIMIT = 1000;

export const myCasesPage =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/my-cases', async (req: FastifyRequest, reply) => {
      const caller = ctx.caller(req);
      if (caller.role !== 'lab') throw new WorkbenchError(404, 'No such page');
      const { items, more } = await ctx.api(req).readAll('/submissions', LabCaseSummary, MY_CASES_LIMIT);
      const soonest = (a?: string, b?: string) => (a ?? '9999').localeCompare(b ?? '9999');
      const open = items.filter((c) => c.running).sort((a, b) => soonest(a.nextDeadline, b.nextDeadline));
      const closed = items.filter((c) => !c.running);
      const html = await ctx.render(req, reply, 'my-cases', {
        title: `Cases of ${caller.id}`,
        lab: caller.id,
        open,
        closed,
        more,
        limit: MY_CASES_LIMIT,
        partyName,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
