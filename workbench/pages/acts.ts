import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Projection, StatementToSign } from '../../shared/api/responses';
import { fieldOfError } from '../../shared/domain/errors';
import { signatureRequired } from '../../shared/domain/signed-act';
import type { Problem } from '../../shared/api/problem';
import { ACTS, fieldOfPath, type Act, type FormValues } from '../acts';
import { fieldsOf, routeOf, takes, washingtonInstant } from '../form-values';
import { washington } from '../format';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';
import { partyName } from './case';
import { SUBJECTS, type SubjectPages } from '../subjects';

/**
 * Each act as a form, in three steps that work with JavaScript off: the form; a review of exactly what will be
 * recorded and which deadlines move (the what-if projection, read from the case); then the act, sent once
 * whatever is clicked twice or reloaded (its idempotency key is minted with the review). Refusals come back
 * beside the field they concern. An act the policy has people sign is signed with a passkey on the review page,
 * which needs JavaScript (the page says so); its script asks for the statement here (…/statement).
 */

interface Params {
  ref: string;
  act: string;
}
interface ActRoute {
  Params: Params;
  Body: FormValues;
}
type ActRequest = FastifyRequest<ActRoute>;

/** The hidden fields a review carries to the act: never the form's own names, so they cannot collide. */
export const Carried = z.object({
  _idempotencyKey: z.string().regex(/^wb-[0-9a-f-]{36}$/),
  _actStatement: z.string().max(11_000).optional(),
  _actPasskey: z.string().max(2_000).optional(),
});

/** The act a path names, on a subject of its kind, offered to this caller; any other is not found. */
function actOf(ctx: PageContext, req: FastifyRequest<{ Params: Params }>, subject: SubjectPages): Act {
  const act = Object.hasOwn(ACTS, req.params.act) ? ACTS[req.params.act] : undefined;
  const caller = ctx.caller(req);
  if (act === undefined || act.subject !== subject.kind || !takes(act, caller))
    throw new WorkbenchError(404, 'No such page');
  return act;
}

/** The form's own values, as typed (only its fields: nothing else is carried or echoed). */
export const valuesOf = (act: Pick<Act, 'fields'>, body: FormValues | undefined): FormValues =>
  Object.fromEntries(act.fields.map((f) => [f.name, body?.[f.name]]));

/** The refusals of a body by the API's own shape, each beside its field (or above the form). */
export function problemsOf(act: Pick<Act, 'schema' | 'fields'>, body: unknown): Record<string, string> {
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
export function refusalOf(act: Pick<Act, 'fields'>, problem: Problem): Record<string, string> {
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
    for (const subject of Object.values(SUBJECTS)) actRoutes(app, ctx, subject);
  };

/** The act pages of one kind of subject: /workbench/<segment>/<ref>/acts/<act>[/edit|/review|/statement]. */
function actRoutes(app: FastifyInstance, ctx: PageContext, subject: SubjectPages): void {
  const csrf = app.csrfProtection.bind(app);
  const at = `/${subject.segment}/:ref/acts/:act`;
  const base = (ref: string, act: Act) => `${subject.page(ref)}/acts/${act.name}`;

  const form = async (
    req: ActRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const act = actOf(ctx, req, subject);
    const ref = subject.refOf(req.params.ref);
    const read = await subject.read(ctx, req, ref);
    const html = await ctx.render(req, reply, 'act-form', {
      title: `${act.title} · ${read.label}`,
      act,
      fields: fieldsOf(act, read.case),
      subject: { href: subject.page(ref), label: read.label },
      action: `${base(ref, act)}/review`,
      values,
      errors,
    });
    return reply.status(status).type('text/html; charset=utf-8').send(html);
  };

  app.get<ActRoute>(at, async (req: ActRequest, reply) => form(req, reply, {}, {}));

  // "Change it" on the review page: the form again, with what was typed.
  app.post<ActRoute>(`${at}/edit`, { preHandler: csrf }, async (req: ActRequest, reply) =>
    form(req, reply, valuesOf(actOf(ctx, req, subject), req.body), {}),
  );

  app.post<ActRoute>(`${at}/review`, { preHandler: csrf }, async (req: ActRequest, reply) => {
    const act = actOf(ctx, req, subject);
    const ref = subject.refOf(req.params.ref);
    const caller = ctx.caller(req);
    const values = valuesOf(act, req.body);
    const body = act.body(values, caller);
    const errors = problemsOf(act, body);
    if (Object.keys(errors).length > 0) return form(req, reply, values, errors, 422);
    const read = await subject.read(ctx, req, ref);
    // Which deadlines move, and to when: the case's own projection (it changes nothing).
    const change = act.projection?.(values, caller, ctx.now(), read.case);
    const projected =
      change === undefined || read.case === undefined
        ? undefined
        : await ctx.api(req).call('POST', `${subject.api(ref)}/deadline-projections`, Projection, { change });
    const moves = projected?.ok === true ? projected.body.deadlines.filter((d) => d.shiftMs !== 0) : [];
    // Whether a person signs this act (policy 8 and later): the case's pinned policy, else the policy in force.
    // The API stays the judge: it refuses an unsigned act that must be signed.
    const mustSign = signatureRequired(read.signatures, act.name, caller.by);
    const html = await ctx.render(req, reply, 'act-review', {
      title: `Review: ${act.title}`,
      act,
      fields: fieldsOf(act, read.case),
      subject: { href: subject.page(ref), label: read.label, facts: read.facts },
      values,
      body,
      moves,
      mustSign,
      when: (v: string) => {
        const at = washingtonInstant(v);
        return Number.isNaN(Date.parse(at)) ? v : washington(at);
      },
      partyName,
      action: base(ref, act),
      edit: `${base(ref, act)}/edit`,
      caller,
      idempotencyKey: `wb-${randomUUID()}`,
      statementUrl: `${base(ref, act)}/statement`,
      script: true,
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  // For the page's script: the statement a passkey signs for this act and these values.
  app.post<ActRoute>(`${at}/statement`, { preHandler: csrf }, async (req: ActRequest, reply) => {
    const act = actOf(ctx, req, subject);
    const ref = subject.refOf(req.params.ref);
    const body = act.body(valuesOf(act, req.body), ctx.caller(req));
    const answer = await ctx
      .api(req)
      .call('POST', `${subject.api(ref)}/statements`, StatementToSign, { message: act.name, body });
    if (!answer.ok)
      return reply
        .status(answer.status)
        .send({ error: refusalOf(act, answer.problem)._form ?? answer.problem.title });
    return reply.send(answer.body);
  });

  app.post<ActRoute>(at, { preHandler: csrf }, async (req: ActRequest, reply) => {
    const act = actOf(ctx, req, subject);
    const ref = subject.refOf(req.params.ref);
    const caller = ctx.caller(req);
    const values = valuesOf(act, req.body);
    const carried = Carried.safeParse(req.body);
    if (!carried.success)
      throw new WorkbenchError(400, 'This form was not sent from its review page', 'start the act again');
    const { _idempotencyKey, _actStatement, _actPasskey } = carried.data;
    const route = routeOf(act, act.body(values, caller));
    const answer = await ctx
      .api(req)
      .call('POST', `${subject.api(ref)}/${route.path}`, z.unknown(), route.body, {
        'idempotency-key': _idempotencyKey,
        ...(_actStatement === undefined ? {} : { 'act-statement': _actStatement }),
        ...(_actPasskey === undefined ? {} : { 'act-passkey': _actPasskey }),
      });
    if (!answer.ok) {
      if (answer.status === 404) throw new WorkbenchError(404, `No such ${subject.kind}`);
      return form(req, reply, values, refusalOf(act, answer.problem), answer.status);
    }
    return reply.redirect(`${subject.page(ref)}?recorded=${act.name}`, 303);
  });
}
