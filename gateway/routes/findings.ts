import { isSignedActName } from '../../shared/domain/signed-act';
import { SignedActHeaders } from './action';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  FileFindingBody,
  FindingFiled,
  FindingListItem,
  FindingParams,
  FindingQuery,
  FindingReceiptView,
  FindingView,
  findingMessageBody,
} from '../../shared/api/findings';
import { IdempotentHeaders, NoQuery } from '../../shared/api/requests';
import { page } from '../../shared/api/responses';
import { FINDING_MESSAGES } from '../../shared/domain/clearinghouse/messages';
import { allow, callerOfRequest } from '../auth';
import { bearer, problems, type RouteContext } from './context';
import type { ZodApp } from './action';

const tags = ['clearinghouse'];

/** The path segment of each message to a finding. */
const ACTIONS: Record<keyof typeof FINDING_MESSAGES, string> = {
  validate: 'validation',
  reject: 'rejection',
  extend: 'extension',
  remediated: 'remediation',
  disclose: 'disclosure',
};

/**
 * The AI cybersecurity clearinghouse (issue 15): agencies and labs file findings; the clearinghouse's agencies
 * (Treasury, NSA, CISA) validate or reject them, confirm remediation or disclose; the lab asks for its one
 * extension. Each read is at the detail the finding's TLP allows the reader.
 */
export const findingRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/findings',
      {
        onRequest: allow('agency', 'lab', 'operator'),
        schema: {
          tags,
          security: bearer,
          summary: 'File a finding (idempotent)',
          description:
            'An agency files about any lab’s model, naming its review case (`caseId`) or the lab (`labId`); a lab ' +
            'about its own; an early-access operator about a model the lab granted it access to, naming its case ' +
            '(`caseId`, `<labId>:<submissionId>`; else 403 NOT_ENTITLED). The severity is a CVSS base vector, scored on receipt. The title and description are ' +
            'sealed before they reach the workflow. A retry with the same `Idempotency-Key` returns the first ' +
            'finding (200); the same key with another filing is 409 IDEMPOTENCY_KEY_REUSED. A filer files at most ' +
            '20 findings about one case (or lab) and 200 in all in 30 days (policy version 7); past that, 422 ' +
            'MESSAGE_BUDGET_EXHAUSTED and nothing is filed.',
          headers: IdempotentHeaders,
          body: FileFindingBody,
          response: {
            201: FindingFiled,
            200: FindingFiled,
            ...problems(
              'FORBIDDEN',
              'NOT_ENTITLED',
              'PAYLOAD_TOO_LARGE',
              'CASE_NOT_FOUND',
              'CASE_ID_AMBIGUOUS',
              'CVSS_VECTOR_INVALID',
              'FINDING_LAB_MISMATCH',
              'FINDING_SUBJECT_MISSING',
              'FINDING_CALLBACK_NOT_ALLOWED',
              'IDEMPOTENCY_KEY_REUSED',
              'CALLBACK_URL_UNSAFE',
              'MESSAGE_BUDGET_EXHAUSTED',
            ),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        // A lab's own endpoint for a finding without a case is checked at the door, as a filing's is.
        if (caller.role === 'lab' && req.body.callbackUrl !== undefined)
          await ctx.checkCallbackUrl(req.body.callbackUrl);
        const result = await ctx.findings.file(caller, req.body, req.headers['idempotency-key']);
        return reply
          .code(result.created ? 201 : 200)
          .header('location', `/v1/findings/${result.findingId}`)
          .send(result);
      },
    );

    app.get(
      '/findings',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab'),
        schema: {
          tags,
          security: bearer,
          summary: 'List findings, newest first',
          description:
            'Operations staff, the chair and the clearinghouse’s agencies list every finding; a lab its own. ' +
            'Another agency sees the open findings of the cases it reviews on those cases. From visibility, so ' +
            'eventually consistent: read a finding for its TLP, severity and detail.',
          querystring: FindingQuery,
          response: { 200: page(FindingListItem), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => ctx.findings.list(callerOfRequest(req), req.query),
    );

    app.get(
      '/findings/:findingId',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab', 'operator'),
        schema: {
          tags,
          security: bearer,
          summary: 'Read one finding, at the detail its TLP allows the caller',
          description:
            'The clearinghouse, the filer and the lab’s named security contacts read the detail always; beyond ' +
            'them TLP:RED no one, AMBER the agencies reviewing the model and the chair, GREEN every agency, the ' +
            'chair, operations staff and early-access operators, CLEAR anyone. Others who may know of the finding (operations staff, the ' +
            'chair, the lab’s other keys, the reviewing agencies) see its state, deadlines and severity rating ' +
            'with `detailWithheld`. Anyone else: 404.',
          params: FindingParams,
          querystring: NoQuery,
          response: {
            200: FindingView,
            ...problems('FORBIDDEN', 'FINDING_NOT_FOUND', 'ACCESS_LOG_UNAVAILABLE'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const view = await ctx.findings.view(caller, req.params.findingId);
        if (view.detail !== undefined) {
          await ctx.accessLog.record(req, caller, 'FINDING_READ', { subject: view.findingId });
        }
        return view;
      },
    );

    for (const [key, segment] of Object.entries(ACTIONS) as [keyof typeof FINDING_MESSAGES, string][]) {
      findingAction(app, ctx, key, `/findings/:findingId/${segment}`);
    }
  };

function findingAction(
  app: ZodApp,
  ctx: RouteContext,
  key: keyof typeof FINDING_MESSAGES,
  url: string,
): void {
  const message = FINDING_MESSAGES[key];
  const body = findingMessageBody(key);
  const signable = isSignedActName(message.name);
  if (signable) ctx.signing.bodies.set(message.name, body);
  app.post(
    url,
    {
      onRequest: allow(message.sender === 'lab' ? 'lab' : 'agency'),
      schema: {
        tags,
        security: bearer,
        summary: message.summary,
        description:
          message.sender === 'lab'
            ? 'Sent by the lab whose model the finding concerns.'
            : 'Sent by one of the clearinghouse’s agencies (Treasury, NSA, CISA under the policy in force).',
        headers: signable ? SignedActHeaders : IdempotentHeaders,
        params: FindingParams,
        body,
        response: {
          200: FindingReceiptView,
          ...problems(
            'FORBIDDEN',
            'FINDING_NOT_FOUND',
            'IDEMPOTENCY_KEY_REUSED',
            ...message.rejects,
            ...(signable ? (['SIGNATURE_REQUIRED'] as const) : []),
          ),
        },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const { findingId } = req.params;
      // A signed act is checked before it is sent (issue 36), once the finding is known to this caller.
      const name = message.name;
      const signature = isSignedActName(name)
        ? () =>
            ctx.signing.verifyInForce(
              {
                record: findingId,
                message: name,
                fields: req.body,
                principal: caller.principal,
                by: caller.by,
              },
              req.headers,
            )
        : undefined;
      return ctx.findings.act(
        caller,
        findingId,
        message,
        req.body,
        req.headers['idempotency-key'],
        signature,
      );
    },
  );
}
