import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Message } from '../../shared/domain/review/messages';
import type { Payload } from '../../shared/domain/review/messages/define';
import { CaseParams, IdempotentHeaders, messageBody } from '../../shared/api/requests';
import { Receipt } from '../../shared/api/responses';
import { allow, callerOfRequest, type Caller } from '../auth';
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
  request?: { body: z.ZodObject; toMessage: (body: never, to: { caseId: string; caller: Caller }) => object };
  /** Runs once the message was accepted (metrics). */
  accepted?: (payload: Payload<S>) => void;
}

/** Where a message's body names a callback endpoint: an endpoint change's, a supplement's fields. */
const CALLBACK_URL_AT = [['callbackUrl'], ['fields', 'callbackUrl']] as const;

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
  const namesCallbackUrl = CALLBACK_URL_AT.some(([first]) => first in message.body);
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
          ...problems(
            ...CASE_UPDATE_ERRORS,
            'PAYLOAD_TOO_LARGE',
            ...message.rejects,
            ...(namesCallbackUrl ? (['CALLBACK_URL_UNSAFE'] as const) : []),
          ),
        },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const { caseId: ref, ...fromPath } = req.params as Record<string, string>;
      // Resolved first: a note in the message is sealed for this case (./agency.ts).
      const caseId = await ctx.cases.resolve(caller, ref);
      const body =
        route.request === undefined
          ? req.body
          : route.request.toMessage(req.body as never, { caseId, caller });
      // A new callback endpoint (an endpoint change, a supplement) is checked before it reaches the case.
      for (const at of namesCallbackUrl ? CALLBACK_URL_AT : []) {
        const url = at.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], body);
        if (typeof url === 'string') await ctx.checkCallbackUrl(url, at.join('/'));
      }
      const payload = { ...body, ...fromPath, actor: caller.principal } as Payload<S>;
      // A retry is told from another request by the request as sent, not by its (randomly) sealed fields.
      const asSent = { ...(req.body as object), ...fromPath, actor: caller.principal };
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
