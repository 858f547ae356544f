import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  GrantListItem,
  GrantParams,
  GrantQuery,
  GrantReceiptView,
  GrantView,
  grantMessageBody,
} from '../../shared/api/grants';
import { IdempotentHeaders, NoQuery } from '../../shared/api/requests';
import { page } from '../../shared/api/responses';
import { GRANT_MESSAGES, type GrantMessageName } from '../../shared/domain/grants/messages';
import type { Role } from '../auth';
import { allow, callerOfRequest } from '../auth';
import { bearer, problems, type RouteContext } from './context';
import type { ZodApp } from './action';

const tags = ['early access'];

/** The path segment of each message to a grant, who may send it, and when. */
const ACTIONS: Record<GrantMessageName, { segment: string; roles: Role[]; who: string }> = {
  approve: {
    segment: 'approval',
    roles: ['lab'],
    who: 'Sent by the lab whose model it is, while NOMINATED.',
  },
  decline: {
    segment: 'declination',
    roles: ['lab'],
    who: 'Sent by the lab whose model it is, while NOMINATED: participation is voluntary.',
  },
  revoke: {
    segment: 'revocation',
    roles: ['lab', 'agency', 'operator'],
    who:
      'Sent by the lab (an ACTIVE grant), the nominating agency or the operator (NOMINATED or ACTIVE): access ' +
      'ends now.',
  },
  reportUse: {
    segment: 'uses',
    roles: ['operator'],
    who: 'Sent by the operator the grant names, while ACTIVE, each time it used the access.',
  },
};

/**
 * Early access (issue 14, part 4): CISA nominates a critical-infrastructure operator on a case in PRE_RELEASE
 * (`POST /submissions/{caseId}/early-access`); each grant runs in a workflow of its own: the lab approves or
 * declines, the operator reports use, either side revokes, and it ends 30 days after the reported release.
 */
export const grantRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/grants',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab', 'operator'),
        schema: {
          tags,
          security: bearer,
          summary: 'List early-access grants, newest first',
          description:
            'Operations staff, the chair and the nominating agency (CISA) list every grant; a lab those on its ' +
            'models; an operator only its own; any other agency none. From visibility, so eventually consistent: ' +
            'read a grant for its timeline.',
          querystring: GrantQuery,
          response: { 200: page(GrantListItem), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => ctx.grants.list(callerOfRequest(req), req.query),
    );

    app.get(
      '/grants/:grantId',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab', 'operator'),
        schema: {
          tags,
          security: bearer,
          summary:
            'Read one grant: the operator, the model’s unclassified summary, its state, end and timeline',
          description:
            'Operations staff, the chair, the lab, the nominating agency and the operator it names read it; ' +
            'anyone else: 404. Of the model, the grant carries only its unclassified summary. A grant outlives ' +
            'its case; once retention removed its workflow, it is read from its permanent record.',
          params: GrantParams,
          querystring: NoQuery,
          response: { 200: GrantView, ...problems('FORBIDDEN', 'GRANT_NOT_FOUND') },
        },
      },
      async (req) => ctx.grants.view(callerOfRequest(req), req.params.grantId),
    );

    for (const key of Object.keys(ACTIONS) as GrantMessageName[]) grantAction(app, ctx, key);
  };

function grantAction(app: ZodApp, ctx: RouteContext, key: GrantMessageName): void {
  const message = GRANT_MESSAGES[key];
  const { segment, roles, who } = ACTIONS[key];
  app.post(
    `/grants/:grantId/${segment}`,
    {
      onRequest: allow(...roles),
      schema: {
        tags,
        security: bearer,
        summary: message.summary,
        description: who,
        headers: IdempotentHeaders,
        params: GrantParams,
        body: grantMessageBody(key),
        response: {
          200: GrantReceiptView,
          ...problems('FORBIDDEN', 'GRANT_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', ...message.rejects),
        },
      },
    },
    async (req) =>
      ctx.grants.act(
        callerOfRequest(req),
        req.params.grantId,
        message,
        req.body,
        req.headers['idempotency-key'],
      ),
  );
}
