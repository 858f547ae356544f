import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as M from '../../shared/domain/messages';
import { allow } from '../auth';
import { CaseParams, CaseSummary, page, PageQuery, ResolveEscalationBody } from '../schemas';
import { casesWhere, listCases } from '../visibility';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['chair'];
const roles = ['chair' as const];

/** What the review chair does: find escalated cases and resolve them before the determination deadline. */
export const chairRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/chair/escalations',
      {
        onRequest: allow(...roles),
        schema: {
          tags,
          security: bearer,
          summary: 'List the open cases escalated to the chair',
          querystring: PageQuery,
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const where = casesWhere("ExecutionStatus = 'Running'", "ReviewFlags = 'ESCALATED'");
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/escalation/resolution',
      roles,
      tags,
      summary: 'Resolve an escalation: issue the determination',
      params: CaseParams,
      body: ResolveEscalationBody,
      update: M.resolveEscalationUpdate,
      errors: ['NOT_ESCALATED'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });
  };
