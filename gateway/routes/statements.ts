import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseParams, PrepareStatementRequest } from '../../shared/api/requests';
import { StatementToSign } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import { STATEMENT_LIFETIME_MS } from '../../shared/node/act-statement';
import { allow, callerOfRequest } from '../auth';
import { ApiError } from '../problem';
import { bearer, problems, type RouteContext } from './context';

/**
 * Issue 36: the statement of an act that is signed, written by the gateway for its signer (an agency's or the
 * chair's system, the CLI): the canonical text with the restricted fields as commitments only the gateway can
 * make, dated now, with a fresh nonce. The signer signs its bytes and sends the act within five minutes with the
 * statement and the signature in its headers (docs/reviewers.md "Signing your acts"). Nothing is recorded.
 */
export const statementRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/submissions/:caseId/statements',
      {
        onRequest: allow('agency', 'chair'),
        schema: {
          tags: ['agency', 'chair'],
          security: bearer,
          summary: 'Write the statement of an act to sign (nothing is recorded)',
          description:
            'The statement says exactly what the act will do: the case, the message, its fields (a restricted note or ' +
            'the benchmark score only as a salted commitment), the moment, the principal and who acts. Sign its bytes ' +
            'with the Ed25519 key registered for your API key (a JWS with `b64: false`, payload detached) and send ' +
            'the act within five minutes with `Act-Statement: <encoded>` and `Act-Signature: <jws>`.',
          params: CaseParams,
          body: PrepareStatementRequest,
          response: { 200: StatementToSign, ...problems('FORBIDDEN', 'CASE_NOT_FOUND', 'CASE_ID_AMBIGUOUS') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const { message, body } = req.body;
        if (!MESSAGES[message].senders.includes(caller.role as never)) {
          throw new ApiError('FORBIDDEN', `${message} is sent by: ${MESSAGES[message].senders.join(', ')}`);
        }
        const schema = ctx.signing.bodies.get(message);
        if (schema === undefined) throw new Error(`no route sends ${message}`);
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          throw new ApiError(
            'VALIDATION_FAILED',
            `the body is not one ${message} accepts`,
            parsed.error.issues.map((i) => ({
              in: 'body',
              path: `/body/${i.path.join('/')}`,
              code: i.code,
              message: i.message,
            })),
          );
        }
        const caseId = await ctx.cases.resolve(caller, req.params.caseId);
        const { text, at } = ctx.signing.prepare({
          caseId,
          message,
          fields: parsed.data as Record<string, unknown>,
          principal: caller.principal,
          by: caller.by,
        });
        return {
          statement: text,
          encoded: Buffer.from(text, 'utf8').toString('base64url'),
          signBefore: new Date(Date.parse(at) + STATEMENT_LIFETIME_MS).toISOString(),
        };
      },
    );
  };
