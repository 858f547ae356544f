import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as M from '../../shared/domain/messages';
import { allow, callerOfRequest } from '../auth';
import {
  CaseParams,
  CaseSummary,
  page,
  PageQuery,
  RecordDecisionBody,
  RequestExtensionBody,
  RequestInformationBody,
} from '../schemas';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['agency'];
const roles = ['agency' as const];
/** Why an agency's action in a stage may be refused. */
const SLOT_ERRORS = ['WRONG_STAGE', 'NOT_ACCEPTED', 'ALREADY_DECIDED', 'DEADLINE_PASSED'] as const;

/** What a reviewing agency does, each only on its own slot in the stage open now. */
export const agencyRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/agency/cases',
      {
        onRequest: allow(...roles),
        schema: {
          tags,
          security: bearer,
          summary: 'List the open cases awaiting this agency',
          description: "Open cases whose open stage still waits for this agency's decision.",
          querystring: PageQuery,
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const where = casesWhere(
          "ExecutionStatus = 'Running'",
          `ReviewAwaiting = ${literal(callerOfRequest(req).id!)}`,
        );
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/decisions',
      roles,
      tags,
      summary: "Record this agency's decision in the open stage",
      description:
        'The first decision stands: a second one is 409 ALREADY_DECIDED. The restricted note is read only by ' +
        "the agencies on this stage's roster and the chair.",
      params: CaseParams,
      body: RecordDecisionBody,
      update: M.recordDecisionUpdate,
      errors: [...SLOT_ERRORS],
      payload: (actor, _p, body) => ({ actor, ...body }),
      accepted: (p) => ctx.metrics?.decisions.inc({ kind: p.decision.kind }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/information-requests',
      roles,
      tags,
      summary: 'Ask the lab for information (tolls only this agency’s deadline)',
      params: CaseParams,
      body: RequestInformationBody,
      update: M.requestInformationUpdate,
      errors: [...SLOT_ERRORS, 'INFORMATION_REQUEST_OPEN'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/extensions',
      roles,
      tags,
      summary: "Extend this agency's deadline (once, within the policy's limit)",
      params: CaseParams,
      body: RequestExtensionBody,
      update: M.requestExtensionUpdate,
      errors: [...SLOT_ERRORS, 'EXTENSION_ALREADY_USED', 'EXTENSION_TOO_LONG'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });
  };
