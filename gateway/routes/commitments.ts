import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CommitmentListItem,
  CommitmentParams,
  CommitmentQuery,
  CommitmentReceiptView,
  CommitmentView,
  commitmentMessageBody,
} from '../../shared/api/commitments';
import { IdempotentHeaders, NoQuery } from '../../shared/api/requests';
import { page } from '../../shared/api/responses';
import { COMMITMENT_MESSAGES } from '../../shared/domain/commitments/messages';
import { allow, callerOfRequest } from '../auth';
import { bearer, problems, type RouteContext } from './context';
import type { ZodApp } from './action';

const tags = ['commitments'];

/** The path segment of each message to a commitment. */
const ACTIONS: Record<keyof typeof COMMITMENT_MESSAGES, string> = {
  attest: 'attestation',
  confirm: 'confirmation',
  dispute: 'dispute',
};

/**
 * Commitments (issue 14, part 2): each commitment of a determination, with the agency that asked for it, tracked
 * in a workflow of its own: the lab attests, the owner confirms or disputes; past its due date it is overdue.
 */
export const commitmentRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/commitments',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab'),
        schema: {
          tags,
          security: bearer,
          summary: 'List commitments, newest first',
          description:
            'Operations staff and the chair list every commitment; a lab its own; an agency the ones it owns. ' +
            '`overdue=true` lists those past their due date and not attested. From visibility, so eventually ' +
            'consistent: read a commitment for its timeline.',
          querystring: CommitmentQuery,
          response: { 200: page(CommitmentListItem), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => ctx.commitments.list(callerOfRequest(req), req.query),
    );

    app.get(
      '/commitments/:commitmentId',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab'),
        schema: {
          tags,
          security: bearer,
          summary: 'Read one commitment: its owner, due date, state, standing and timeline',
          description:
            'Operations staff, the chair, the lab, the owner and the agencies that reviewed the model read it; ' +
            'anyone else: 404. A commitment outlives its case; once retention removed its workflow, it is read ' +
            'from its permanent record.',
          params: CommitmentParams,
          querystring: NoQuery,
          response: { 200: CommitmentView, ...problems('FORBIDDEN', 'COMMITMENT_NOT_FOUND') },
        },
      },
      async (req) => ctx.commitments.view(callerOfRequest(req), req.params.commitmentId),
    );

    for (const [key, segment] of Object.entries(ACTIONS) as [keyof typeof COMMITMENT_MESSAGES, string][]) {
      commitmentAction(app, ctx, key, `/commitments/:commitmentId/${segment}`);
    }
  };

function commitmentAction(
  app: ZodApp,
  ctx: RouteContext,
  key: keyof typeof COMMITMENT_MESSAGES,
  url: string,
): void {
  const message = COMMITMENT_MESSAGES[key];
  app.post(
    url,
    {
      onRequest: message.sender === 'lab' ? allow('lab') : allow('agency', 'chair'),
      schema: {
        tags,
        security: bearer,
        summary: message.summary,
        description:
          message.sender === 'lab'
            ? 'Sent by the lab that made the commitment, while it is OPEN or OVERDUE (then it is late).'
            : 'Sent by the commitment’s owner (the agency that asked for it, or the chair for its own) while ' +
              'it is ATTESTED. Silence until the owner’s deadline confirms.',
        headers: IdempotentHeaders,
        params: CommitmentParams,
        body: commitmentMessageBody(key),
        response: {
          200: CommitmentReceiptView,
          ...problems('FORBIDDEN', 'COMMITMENT_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', ...message.rejects),
        },
      },
    },
    async (req) =>
      ctx.commitments.act(
        callerOfRequest(req),
        req.params.commitmentId,
        message,
        req.body,
        req.headers['idempotency-key'],
      ),
  );
}
