import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PageQuery } from '../../shared/api/requests';
import { CaseSummary, page } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow } from '../auth';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['chair'];

/** What the review chair does: find escalated cases and resolve them before the determination deadline. */
export const chairRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/chair/escalations',
      {
        onRequest: allow('chair'),
        schema: {
          tags,
          security: bearer,
          summary: 'List the open cases escalated to the chair',
          querystring: PageQuery,
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => {
        const where = casesWhere("ExecutionStatus = 'Running'", `${SA.flags.name} = ${literal('ESCALATED')}`);
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:caseId/escalation/resolution',
      message: MESSAGES.resolveEscalation,
      tags,
    });
  };
