import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/domain/errors';
import type { Receipt as ReceiptType } from '../../shared/domain/messages';
import type { Principal } from '../../shared/domain/principal';
import { allow, callerOfRequest, type Role } from '../auth';
import { IdempotentHeaders, Receipt } from '../schemas';
import { bearer, CASE_UPDATE_ERRORS, problems, type RouteContext } from './context';

/** The Fastify instance a route module gets, typed by the zod provider. */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

export interface ActionSpec<P extends z.ZodObject, B extends z.ZodObject, T> {
  url: string;
  roles: Role[];
  tags: string[];
  summary: string;
  description?: string;
  params: P;
  body: B;
  update: UpdateDefinition<ReceiptType, [T]>;
  /** The codes this update's validator may answer with, for the OpenAPI document. */
  errors: ErrorCode[];
  payload: (actor: Principal, params: z.infer<P>, body: z.infer<B>) => T;
  /** Runs once the update was accepted (metrics). */
  accepted?: (payload: T) => void;
}

/**
 * One action on one case: the body is the update's payload without `actor`, which comes from the API key;
 * the answer is the update's receipt. An `Idempotency-Key` makes a retry apply once.
 */
export function actionRoute<P extends z.ZodObject, B extends z.ZodObject, T>(
  app: ZodApp,
  ctx: RouteContext,
  spec: ActionSpec<P, B, T>,
): void {
  app.post(
    spec.url,
    {
      onRequest: allow(...spec.roles),
      schema: {
        tags: spec.tags,
        security: bearer,
        summary: spec.summary,
        description: spec.description,
        headers: IdempotentHeaders,
        params: spec.params,
        body: spec.body,
        response: { 200: Receipt, ...problems(...CASE_UPDATE_ERRORS, 'PAYLOAD_TOO_LARGE', ...spec.errors) },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const params = req.params as z.infer<P> & { submissionId: string };
      const payload = spec.payload(caller.principal, params, req.body as z.infer<B>);
      const receipt = await ctx.cases.act(
        caller,
        params.submissionId,
        spec.update,
        payload,
        req.headers['idempotency-key'],
      );
      spec.accepted?.(payload);
      return receipt;
    },
  );
}
