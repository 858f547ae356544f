import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PASSKEY_HEADER, PASSKEY_HEADER_MAX } from '../../shared/node/passkey-proof';
import { z } from 'zod';
import type { Message } from '../../shared/domain/review/messages';
import type { Payload } from '../../shared/domain/review/messages/define';
import { CaseParams, IdempotentHeaders, messageBody } from '../../shared/api/requests';
import { Receipt } from '../../shared/api/responses';
import { isSignedActName } from '../../shared/domain/signed-act';
import {
  SIGNATURE_HEADER,
  SIGNATURE_HEADER_MAX,
  STATEMENT_HEADER,
  STATEMENT_HEADER_MAX,
} from '../../shared/node/act-statement';
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

/** The headers of an act that is signed: an Idempotency-Key, and the statement signed with its signature. */
export const SignedActHeaders = IdempotentHeaders.extend({
  // Checked by the gateway's signature check (SIGNATURE_INVALID, 422), which says what is wrong with them.
  [STATEMENT_HEADER]: z
    .string()
    .max(STATEMENT_HEADER_MAX)
    .optional()
    .describe('The statement signed: base64url of its canonical text (POST .../statements writes it)'),
  [SIGNATURE_HEADER]: z
    .string()
    .max(SIGNATURE_HEADER_MAX)
    .optional()
    .describe(
      'The JWS over the statement, its payload detached and unencoded (RFC 7797): `<protected>..<signature>`',
    ),
  [PASSKEY_HEADER]: z
    .string()
    .max(PASSKEY_HEADER_MAX)
    .optional()
    .describe(
      "A person's signature: base64url of the WebAuthn assertion's JSON (`startAuthentication()`'s answer), " +
        "whose challenge is the statement's SHA-256",
    ),
});

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
  const body = route.request?.body ?? messageBody(message as Message, pathFields);
  // An act that is signed (issue 36) may carry its statement and signature; the statement's fields are its body.
  const signable = isSignedActName(message.name);
  if (signable) ctx.signing.bodies.set(message.name, body);
  app.post(
    route.url,
    {
      onRequest: allow(...message.senders),
      schema: {
        tags: route.tags,
        security: bearer,
        summary: message.summary,
        description: message.description,
        headers: signable ? SignedActHeaders : IdempotentHeaders,
        params,
        body,
        response: {
          200: Receipt,
          ...problems(
            ...CASE_UPDATE_ERRORS,
            'PAYLOAD_TOO_LARGE',
            ...message.rejects,
            ...(namesCallbackUrl ? (['CALLBACK_URL_UNSAFE'] as const) : []),
            ...(signable ? (['SIGNATURE_INVALID'] as const) : []),
          ),
        },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const { caseId: ref, ...fromPath } = req.params as Record<string, string>;
      // Resolved first: a note in the message is sealed for this case (./agency.ts).
      const caseId = await ctx.cases.resolve(caller, ref);
      const toSend =
        route.request === undefined
          ? req.body
          : route.request.toMessage(req.body as never, { caseId, caller });
      // A new callback endpoint (an endpoint change, a supplement) is checked before it reaches the case.
      for (const at of namesCallbackUrl ? CALLBACK_URL_AT : []) {
        const url = at.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], toSend);
        if (typeof url === 'string') await ctx.checkCallbackUrl(url, at.join('/'));
      }
      const signature = isSignedActName(message.name)
        ? await ctx.signing.verify(
            {
              record: caseId,
              message: message.name,
              fields: { ...(req.body as object), ...fromPath },
              principal: caller.principal,
              by: caller.by,
            },
            req.headers,
          )
        : undefined;
      const payload = {
        ...toSend,
        ...fromPath,
        actor: caller.principal,
        ...(signature === undefined ? {} : { signed: signature.signed }),
      } as Payload<S>;
      // A retry is told from another request by the request as sent, not by its (randomly) sealed fields.
      const asSent = { ...(req.body as object), ...fromPath, actor: caller.principal };
      const receipt = await ctx.cases.act(
        caller,
        caseId,
        message,
        payload,
        // A signed statement applies once: its nonce keys the update when the request names no key of its own.
        req.headers['idempotency-key'] ?? (signature && `signed:${signature.nonce}`),
        undefined,
        asSent,
      );
      route.accepted?.(payload);
      return receipt;
    },
  );
}
