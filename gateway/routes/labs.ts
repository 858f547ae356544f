import { SignedActHeaders } from './action';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  LabListItem,
  LabParams,
  LabQuery,
  LabReceiptView,
  LabStatusBody,
  LabView,
} from '../../shared/api/labs';
import { NoQuery } from '../../shared/api/requests';
import { page } from '../../shared/api/responses';
import { LAB_MESSAGES } from '../../shared/domain/labs/messages';
import { allow, callerOfRequest } from '../auth';
import { bearer, problems, type RouteContext } from './context';

const tags = ['labs'];

/** The path segment of each of the chair's messages to a lab's record. */
const ACTIONS: Record<keyof typeof LAB_MESSAGES, string> = {
  designate: 'designation',
  revoke: 'revocation',
};

/**
 * Labs' records and trusted-partner status (issue 14, part 3): one long-lived workflow per lab holds its cases,
 * early releases and commitments; the policy in force proposes eligibility; the chair designates or revokes.
 */
export const labRecordRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/labs',
      {
        onRequest: allow('ops', 'chair', 'lab'),
        schema: {
          tags,
          security: bearer,
          summary: "List labs' records, newest first",
          description:
            'Operations staff and the chair list every lab with a record; a lab only its own. `status` filters ' +
            'on PARTICIPANT or TRUSTED_PARTNER. From visibility, so eventually consistent.',
          querystring: LabQuery,
          response: { 200: page(LabListItem), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => ctx.labs.list(callerOfRequest(req), req.query),
    );

    app.get(
      '/labs/:labId',
      {
        onRequest: allow('ops', 'chair', 'lab'),
        schema: {
          tags,
          security: bearer,
          summary:
            "Read a lab's record: status, cases, early releases, commitments, and the policy's proposal",
          description:
            'Operations staff and the chair read every lab; a lab its own; anyone else: 404. A lab has a record ' +
            'once one of its cases has been accepted (release 5 and later).',
          params: LabParams,
          querystring: NoQuery,
          response: { 200: LabView, ...problems('FORBIDDEN', 'LAB_NOT_FOUND') },
        },
      },
      async (req) => ctx.labs.view(callerOfRequest(req), req.params.labId),
    );

    for (const [key, segment] of Object.entries(ACTIONS) as [keyof typeof LAB_MESSAGES, string][]) {
      const message = LAB_MESSAGES[key];
      ctx.signing.bodies.set(message.name, LabStatusBody);
      app.post(
        `/labs/:labId/${segment}`,
        {
          onRequest: allow('chair'),
          schema: {
            tags,
            security: bearer,
            summary: message.summary,
            description:
              'The chair decides; the policy in force only proposes (`eligibility` in the lab view), and the ' +
              'proposal at the moment of the decision is kept with it. The lab is told by a signed callback. ' +
              'Idempotent with `Idempotency-Key`.',
            headers: SignedActHeaders,
            params: LabParams,
            body: LabStatusBody,
            response: {
              200: LabReceiptView,
              ...problems(
                'FORBIDDEN',
                'LAB_NOT_FOUND',
                'IDEMPOTENCY_KEY_REUSED',
                'SIGNATURE_REQUIRED',
                ...message.rejects,
              ),
            },
          },
        },
        async (req) => {
          const caller = callerOfRequest(req);
          const { labId } = req.params;
          // The chair's decision may be signed (issue 36): checked before it is sent, on a record it may read.
          const signature = () =>
            ctx.signing.verifyInForce(
              {
                record: labId,
                message: message.name,
                fields: req.body,
                principal: caller.principal,
                by: caller.by,
              },
              req.headers,
            );
          return ctx.labs.act(caller, labId, message, req.body, req.headers['idempotency-key'], signature);
        },
      );
    }
  };
