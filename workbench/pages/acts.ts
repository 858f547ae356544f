import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Projection, StatementToSign } from '../../shared/api/responses';
import { fieldOfError } from '../../shared/domain/errors';
import { signatureRequired } from '../../shared/domain/signed-act';
import type { Problem } from '../../shared/api/problem';
import { ACTS, fieldOfPath, type Act, type FormValues } from '../acts';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';
import { caseRefOf, partyName, readCase } from './case';

/**
 * Each act as a form, in three steps that work with JavaScript off: the form; a review of exactly what will be
 * recorded and which deadlines move (the what-if projection, read from the case); then the act, sent once
 * whatever is clicked twice or reloaded (its idempotency key is minted with the review). Refusals come back
 * beside the field they concern. An act the policy has people sign is signed with a passkey on the review page,
 * which needs JavaScript (the page says so); its script asks for the statement here (…/statement).
 */

interface Params {
  caseId: string;
  act: string;
}
interface ActRoute {
  Params: Params;
  Body: FormValues;
}
type ActRequest = FastifyRequest<ActRoute>;

/** The hidden fields a review carries to the act: never the form's own names, so they cannot collide. */
const Carried = z.object({
  _idempotencyKey: z.string().regex(/^wb-[0-9a-f-]{36}$/),
  _actStatement: z.string().max(11_000).optional(),
  _actPasskey: z.string().max(2_000).optional(),
});

/** The act a path names, offered to this caller; any other is not found. */
function actOf(ctx: PageContext, req: FastifyRequest<{ Params: Params }>): Act {
  const act = Object.hasOwn(ACTS, req.params.act) ? ACTS[req.params.act] : undefined;
  const caller = ctx.caller(req);
  if (act === undefined || act.role !== caller.role || (act.only !== undefined && act.only !== caller.id))
    throw new WorkbenchError(404, 'No such page');
  return act;
}

/** The form's own values, as typed (only its fields: nothing else is carried or echoed). */
const valuesOf = (act: Act, body: FormValues | undefined): FormValues =>
  Object.fromEntries(act.fields.map((f) => [f.name, body?.[f.name]]));

/** The refusals of a body by the API's own shape, each beside its field (or above the form). */
function problemsOf(act: Act, body: unknown): Record<string, string> {
  const parsed = act.schema().safeParse(body);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOfPath(act, issue.path as (string | number)[]) ?? '_form';
    errors[field] ??= issue.message;
  }
  return errors;
}

/** An API refusal, beside the field it concerns: a validation issue by its path, else the code's field. */
function refusalOf(act: Act, problem: Problem): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of problem.issues ?? []) {
    const path = issue.path.split('/').filter((p) => p !== '');
    errors[(issue.in === 'body' ? fieldOfPath(act, path) : undefined) ?? '_form'] ??= issue.message;
  }
  if (problem.issues === undefined || problem.issues.length === 0) {
    const field = fieldOfError(problem.code);
    const words = `${problem.title}${problem.detail === undefined ? '' : `: ${problem.detail}`}`;
    const here = field !== undefined && act.fields.some((f) => f.name === field) ? field : '_form';
    errors[here] = words;
  }
  return errors;
}

export const actPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    const base = (ref: string, act: Act) => `/workbench/cases/${encodeURIComponent(ref)}/acts/${act.name}`;

    const form = async (
      req: ActRequest,
      reply: FastifyReply,
      values: FormValues,
      errors: Record<string, string>,
      status = 200,
    ) => {
      const act = actOf(ctx, req);
      const ref = caseRefOf(req.params.caseId);
      const c = await readCase(ctx, req, ref);
      const html = await ctx.render(req, reply, 'act-form', {
        title: `${act.title} · ${c.caseId}`,
        act,
        c,
        action: `${base(ref, act)}/review`,
        values,
        errors,
      });
      return reply.status(status).type('text/html; charset=utf-8').send(html);
    };

    app.get<ActRoute>('/cases/:caseId/acts/:act', async (req: ActRequest, reply) => form(req, reply, {}, {}));

    // "Change it" on the review page: the form again, with what was typed.
    app.post<ActRoute>(
      '/cases/:caseId/acts/:act/edit',
      { preHandler: csrf },
      async (req: ActRequest, reply) => form(req, reply, valuesOf(actOf(ctx, req), req.body), {}),
    );

    app.post<ActRoute>(
      '/cases/:caseId/acts/:act/review',
      { preHandler: csrf },
      async (req: ActRequest, reply) => {
        const act = actOf(ctx, req);
        const ref = caseRefOf(req.params.caseId);
        const caller = ctx.caller(req);
        const values = valuesOf(act, req.body);
        const body = act.body(values, caller);
        const errors = problemsOf(act, body);
        if (Object.keys(errors).length > 0) return form(req, reply, values, errors, 422);
        const c = await readCase(ctx, req, ref);
        // Which deadlines move, and to when: the case's own projection (it changes nothing).
        const change = act.projection?.(values, caller, ctx.now());
        const projected =
          change === undefined
            ? undefined
            : await ctx
                .api(req)
                .call('POST', `/submissions/${encodeURIComponent(ref)}/deadline-projections`, Projection, {
                  change,
                });
        const moves = projected?.ok === true ? projected.body.deadlines.filter((d) => d.shiftMs !== 0) : [];
        // The case's pinned policy says whether a person signs this act (policy 8 and later); before acceptance
        // pins one, the policy it was filed under as it stands. The API stays the judge: it refuses an unsigned act.
        const pinned =
          c.policy === undefined
            ? ctx.opts.policies.inForce(c.requestedPolicyId)
            : ctx.opts.policies.version(c.policy.id, c.policy.version);
        const mustSign = signatureRequired(pinned?.signatures, act.name, caller.by);
        const html = await ctx.render(req, reply, 'act-review', {
          title: `Review: ${act.title}`,
          act,
          c,
          values,
          body,
          moves,
          mustSign,
          partyName,
          action: base(ref, act),
          edit: `${base(ref, act)}/edit`,
          caller,
          idempotencyKey: `wb-${randomUUID()}`,
          statementUrl: `${base(ref, act)}/statement`,
          script: true,
        });
        return reply.type('text/html; charset=utf-8').send(html);
      },
    );

    // For the page's script: the statement a passkey signs for this act and these values.
    app.post<ActRoute>(
      '/cases/:caseId/acts/:act/statement',
      { preHandler: csrf },
      async (req: ActRequest, reply) => {
        const act = actOf(ctx, req);
        const ref = caseRefOf(req.params.caseId);
        const body = act.body(valuesOf(act, req.body), ctx.caller(req));
        const answer = await ctx
          .api(req)
          .call('POST', `/submissions/${encodeURIComponent(ref)}/statements`, StatementToSign, {
            message: act.name,
            body,
          });
        if (!answer.ok)
          return reply
            .status(answer.status)
            .send({ error: refusalOf(act, answer.problem)._form ?? answer.problem.title });
        return reply.send(answer.body);
      },
    );

    app.post<ActRoute>('/cases/:caseId/acts/:act', { preHandler: csrf }, async (req: ActRequest, reply) => {
      const act = actOf(ctx, req);
      const ref = caseRefOf(req.params.caseId);
      const caller = ctx.caller(req);
      const values = valuesOf(act, req.body);
      const carried = Carried.safeParse(req.body);
      if (!carried.success)
        throw new WorkbenchError(400, 'This form was not sent from its review page', 'start the act again');
      const { _idempotencyKey, _actStatement, _actPasskey } = carried.data;
      const answer = await ctx
        .api(req)
        .call(
          'POST',
          `/submissions/${encodeURIComponent(ref)}/${act.path}`,
          z.unknown(),
          act.body(values, caller),
          {
            'idempotency-key': _idempotencyKey,
            ...(_actStatement === undefined ? {} : { 'act-statement': _actStatement }),
            ...(_actPasskey === undefined ? {} : { 'act-passkey': _actPasskey }),
          },
        );
      if (!answer.ok) {
        if (answer.status === 404) throw new WorkbenchError(404, 'No such case');
        return form(req, reply, values, refusalOf(act, answer.problem), answer.status);
      }
      return reply.redirect(`/workbench/cases/${encodeURIComponent(ref)}?recorded=${act.name}`, 303);
    });
  };
