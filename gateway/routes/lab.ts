import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateSubmissionBody, IdempotentHeaders, PageQuery } from '../../shared/api/requests';
import { LabCaseSummary, page, SubmissionCreated } from '../../shared/api/responses';
import { MESSAGES, type Message } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow, callerOfRequest } from '../auth';
import { ApiError } from '../problem';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute } from './action';
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
  };
