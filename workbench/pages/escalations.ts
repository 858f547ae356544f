import type { FastifyPluginAsync } from 'fastify';
import { CaseSummary } from '../../shared/api/responses';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';

/**
 * The chair's escalation desk: the open cases escalated to the chair, oldest deadline first. Each opens on the
 * case page, where every agency's position stands side by side and the resolution is one of the chair's acts.
 */
const ESCALATIONS_LIMIT = 500;

export const escalationsPage =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/escalations', async (req, reply) => {
      if (ctx.caller(req).role !== 'chair') throw new WorkbenchError(404, 'No such page');
      const { items, more } = await ctx
        .api(req)
        .readAll('/chair/escalations', CaseSummary, ESCALATIONS_LIMIT);
      const rows = items.sort(
        (a, b) =>
          (a.nextDeadline ?? '9999').localeCompare(b.nextDeadline ?? '9999') ||
          a.caseId.localeCompare(b.caseId),
      );
      const html = await ctx.render(req, reply, 'escalations', {
        title: 'Escalations awaiting the chair',
        rows,
        more,
        limit: ESCALATIONS_LIMIT,
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
