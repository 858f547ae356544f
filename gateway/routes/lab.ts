import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as M from '../../shared/domain/messages';
import { allow, callerOfRequest } from '../auth';
import {
  AmendReleaseDateBody,
  AnswerBody,
  CaseParams,
  ChangeCallbackEndpointBody,
  CreateSubmissionBody,
  ExtensionOfferResponseBody,
  IdempotentHeaders,
  LabCaseSummary,
  OfferParams,
  page,
  PageQuery,
  ReportReleaseBody,
  RequestParams,
  SubmissionCreated,
  SupplementBody,
  WithdrawBody,
} from '../schemas';
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
            ...problems('FORBIDDEN', 'PAYLOAD_TOO_LARGE'),
          },
        },
      },
      async (req, reply) => {
        const result = await ctx.cases.create(callerOfRequest(req), req.body, req.headers['idempotency-key']);
        return reply
          .code(result.created ? 201 : 200)
          .header('location', `/v1/submissions/${result.submissionId}`)
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
          response: { 200: page(LabCaseSummary), ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const lab = callerOfRequest(req).id!;
        const where = casesWhere(`ReviewLab = ${literal(lab)}`);
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/supplement',
      roles,
      tags,
      summary: 'Supplement a deficient filing',
      params: CaseParams,
      body: SupplementBody,
      update: M.supplementUpdate,
      errors: ['NOT_DEFICIENT'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/information-requests/:requestId/answer',
      roles,
      tags,
      summary: "Answer an agency's information request",
      params: RequestParams,
      body: AnswerBody,
      update: M.answerInformationRequestUpdate,
      errors: ['INFORMATION_REQUEST_NOT_OPEN'],
      payload: (actor, p, body) => ({ actor, requestId: p.requestId, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/release-date',
      roles,
      tags,
      summary: 'Amend the planned release date',
      description:
        "A date before the window's end flags SHORT_NOTICE and compresses the open government deadlines.",
      params: CaseParams,
      body: AmendReleaseDateBody,
      update: M.amendReleaseDateUpdate,
      errors: ['RELEASE_DATE_INVALID'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/extension-offers/:offerId/response',
      roles,
      tags,
      summary: 'Consent to or decline a window extension',
      params: OfferParams,
      body: ExtensionOfferResponseBody,
      update: M.respondToExtensionOfferUpdate,
      errors: ['NO_EXTENSION_OFFER'],
      payload: (actor, p, body) => ({ actor, offerId: p.offerId, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/withdrawal',
      roles,
      tags,
      summary: 'Withdraw the submission (the record is kept)',
      params: CaseParams,
      body: WithdrawBody,
      update: M.withdrawUpdate,
      errors: [],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/release',
      roles,
      tags,
      summary: 'Report the public release',
      params: CaseParams,
      body: ReportReleaseBody,
      update: M.reportReleaseUpdate,
      errors: ['RELEASE_DATE_INVALID', 'ALREADY_RELEASED'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/callback-endpoint',
      roles,
      tags,
      summary: 'Change the status-callback endpoint',
      description:
        'Pending callbacks, and one that is failing, go to the new endpoint. Allowed after the case closed ' +
        'while callbacks are still undelivered.',
      params: CaseParams,
      body: ChangeCallbackEndpointBody,
      update: M.changeCallbackEndpointUpdate,
      errors: [],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });
  };
