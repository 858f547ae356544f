import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Message } from '../../shared/domain/review/messages';
import type { Payload } from '../../shared/domain/review/messages/define';
import { CaseParams, IdempotentHeaders, messageBody } from '../../shared/api/requests';
import { Receipt } from '../../shared/api/responses';
import { allow, callerOfRequest } from '../auth';
import { bearer, CASE_UPDATE_ERRORS, problems, type RouteContext } from './context';

/** The Fastify instance a route module gets, typed by the zod provider. */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

export interface ActionRoute<S extends z.ZodRawShape> {
  /** The path; a `:name` other than `:caseId` is a field of the message's body. */
  url: string;
  message: Message<string, S>;
  tags: string[];
  /**
   * The HTTP body, where it differs from the message's (a restricted note is written in plain text), and how
   * it becomes the message's fields.
   */
  request?: { body: z.ZodObject; toMessage: (body: never) => object };
  /** Runs once the message was accepted (metrics). */
  accepted?: (payload: Payload<S>) => void;
}

const pathFieldsOf = (url: string): string[] =>
  [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).filter((name) => name !== 'caseId');

/**
 * One message to one case, everything derived from its entry in the message table: who may send it, the
 * body (its payload without `actor`, which comes from the caller's credential, and without the path's
 * fields), the refusals it can produce, its description. The answer is the message's receipt. An
 * `Idempotency-Key` makes a retry apply once.
 */
export function actionRoute<S extends z.ZodRawShape>(
  app: ZodApp,
  ctx: RouteContext,
  route: ActionRoute<S>,
): void {
  const { message } = route;
  const pathFields = pathFieldsOf(route.url);
  const params = CaseParams.extend(
    Object.fromEntries(pathFields.map((f) => [f, message.body[f] as z.ZodType])),
  ).strict();
  app.post(
    route.url,
    {
      onRequest: allow(...message.senders),
      schema: {
        tags: route.tags,
        security: bearer,
        summary: message.summary,
        description: message.description,
        headers: IdempotentHeaders,
        params,
        body: route.request?.body ?? messageBody(message as Message, pathFields),
        response: {
          200: Receipt,
          ...problems(...CASE_UPDATE_ERRORS, 'PAYLOAD_TOO_LARGE', ...message.rejects),
        },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const { caseId: ref, ...fromPath } = req.params as Record<string, string>;
      const body = route.request === undefined ? req.body : route.request.toMessage(req.body as never);
      const payload = { ...body, ...fromPath, actor: caller.principal } as Payload<S>;
      // A retry is told from another request by the request as sent, not by its (randomly) sealed fields.
      const asSent = { ...(req.body as object), ...fromPath, actor: caller.principal };
      const caseId = await ctx.cases.resolve(caller, ref);
      const receipt = await ctx.cases.act(
        caller,
        caseId,
        message,
        payload,
        req.headers['idempotency-key'],
        undefined,
        asSent,
      );
      route.accepted?.(payload);
      return receipt;
    },
  );
}
