import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateSubmissionBody, IdempotentHeaders, NoQuery, PageQuery } from '../../shared/api/requests';
import { LabCaseSummary, page, SubmissionCreated } from '../../shared/api/responses';
import { MESSAGES, type Message } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow, callerOfRequest } from '../auth';
import { ApiError } from '../problem';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute, type ZodApp } from './action';
import {
  CallbackSecretRequest,
  CallbackSecretRotated,
  CallbackSecretState,
} from '../../shared/api/callback-secrets';
import {
  completeLabSecretRotation,
  labSecretState,
  rotateLabSecret,
} from '../../shared/node/callback-secrets';
import { bearer, problems, type RouteContext } from './context';

const tags = ['lab'];
const roles = ['lab' as const];

/** What a lab does: file, follow its own cases, and act on them. */
export const labRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/submissions',
      {
        onRequest: allow(...roles),
        schema: {
          tags,
          security: bearer,
          summary: 'File a submission (idempotent)',
          description:
            'Starts one review case. A retry with the same `Idempotency-Key` or the same `submissionId` returns ' +
            'the first case (200) instead of a second one; the same key or id with a different filing is 409 ' +
            'SUBMISSION_ID_TAKEN and changes nothing.',
          headers: IdempotentHeaders,
          body: CreateSubmissionBody,
          response: {
            201: SubmissionCreated,
            200: SubmissionCreated,
            ...problems(
              'FORBIDDEN',
              'PAYLOAD_TOO_LARGE',
              'SUBMISSION_ID_TAKEN',
              'PREVIOUS_SUBMISSION_UNKNOWN',
              'RELEASE_DATE_INVALID',
              'CALLBACK_URL_UNSAFE',
            ),
          },
        },
      },
      async (req, reply) => {
        // Refused at the door, nothing started: a release already past leaves no window to review in.
        if (Date.parse(req.body.plannedReleaseDate) <= Date.now()) {
          throw new ApiError('RELEASE_DATE_INVALID', 'the planned release date has passed', [
            {
              in: 'body',
              path: '/plannedReleaseDate',
              code: 'too_small',
              message: 'must be in the future',
            },
          ]);
        }
        if (req.body.callbackUrl !== undefined) await ctx.checkCallbackUrl(req.body.callbackUrl);
        const result = await ctx.cases.create(callerOfRequest(req), req.body, req.headers['idempotency-key']);
        return reply
          .code(result.created ? 201 : 200)
          .header('location', `/v1/submissions/${result.caseId}`)
          .send(result);
      },
    );

    app.get(
      '/submissions',
      {
        onRequest: allow(...roles),
        schema: {
          tags,
          security: bearer,
          summary: "List the lab's own cases, newest first",
          querystring: PageQuery,
          response: { 200: page(LabCaseSummary), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => {
        const lab = callerOfRequest(req).id!;
        const where = casesWhere(`${SA.lab.name} = ${literal(lab)}`);
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    const action = (url: string, message: Message) => actionRoute(app, ctx, { url, message, tags });
    action('/submissions/:caseId/supplement', MESSAGES.supplement);
    action('/submissions/:caseId/information-requests/:requestId/answer', MESSAGES.answerInformationRequest);
    action('/submissions/:caseId/release-date', MESSAGES.amendReleaseDate);
    action('/submissions/:caseId/extension-offers/:offerId/response', MESSAGES.respondToExtensionOffer);
    action('/submissions/:caseId/withdrawal', MESSAGES.withdraw);
    action('/submissions/:caseId/release', MESSAGES.reportRelease);
    action('/submissions/:caseId/callback-endpoint', MESSAGES.changeCallbackEndpoint);

    callbackSecretRoutes(app, ctx);
  };

/**
 * A lab's own callback secret (issue 38): its state, a rotation, and the rotation's completion. The lab is the
 * caller's own; a secret is shown once, when it is made. No Idempotency-Key: a rotation whose answer was lost
 * is rotated again, which replaces the secret not yet in force and keeps the one that is.
 */
function callbackSecretRoutes(app: ZodApp, ctx: RouteContext): void {
  const stateOf = (labId: string): CallbackSecretState => ({
    labId,
    ...labSecretState(ctx.callbackSecretsFile, labId),
  });
  app.get(
    '/callback-secret',
    {
      onRequest: allow(...roles),
      schema: {
        tags,
        security: bearer,
        summary:
          "The lab's callback secrets: how many sign its callbacks, and whether a rotation is under way",
        querystring: NoQuery,
        response: { 200: CallbackSecretState, ...problems('FORBIDDEN') },
      },
    },
    async (req) => stateOf(callerOfRequest(req).id!),
  );

  app.post(
    '/callback-secret/rotation',
    {
      onRequest: allow(...roles),
      schema: {
        tags,
        security: bearer,
        summary: 'Rotate the callback secret: a new one, shown once, signs beside the one in force',
        description:
          'Every callback is then signed with both secrets (two `v1,` entries), so the receiver can switch to the ' +
          'new one at any moment; complete the rotation once it has. Rotating again before that replaces the new ' +
          'secret and keeps the one in force.',
        body: CallbackSecretRequest,
        response: { 201: CallbackSecretRotated, ...problems('FORBIDDEN', 'LAB_CALLBACK_SECRET_MISSING') },
      },
    },
    async (req, reply) => {
      const caller = callerOfRequest(req);
      const labId = caller.id!;
      const secret = await rotateLabSecret(ctx.callbackSecretsFile, labId);
      if (secret === undefined) {
        throw new ApiError('LAB_CALLBACK_SECRET_MISSING', `lab ${labId} has no callback secret to rotate`);
      }
      await ctx.accessLog.record(req, caller, 'CALLBACK_SECRET_ROTATED', { subject: caller.principal });
      return reply.code(201).send({ ...stateOf(labId), secret });
    },
  );

  app.post(
    '/callback-secret/rotation/completion',
    {
      onRequest: allow(...roles),
      schema: {
        tags,
        security: bearer,
        summary: 'Complete the rotation: the old secret is retired, the new one alone signs',
        body: CallbackSecretRequest,
        response: { 200: CallbackSecretState, ...problems('FORBIDDEN', 'CALLBACK_SECRET_NOT_ROTATING') },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const labId = caller.id!;
      if (!(await completeLabSecretRotation(ctx.callbackSecretsFile, labId))) {
        throw new ApiError('CALLBACK_SECRET_NOT_ROTATING', 'no rotation of the callback secret is under way');
      }
      await ctx.accessLog.record(req, caller, 'CALLBACK_SECRET_ROTATION_COMPLETED', {
        subject: caller.principal,
      });
      return stateOf(labId);
    },
  );
}
