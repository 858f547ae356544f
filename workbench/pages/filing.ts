import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FindingFiled } from '../../shared/api/findings';
import { GrantListItem } from '../../shared/api/grants';
import { SubmissionCreated } from '../../shared/api/responses';
import { WorkbenchError } from '../errors';
import { FILING, FINDING_FILING } from '../filing';
import { washingtonInstant, type Field, type FormValues } from '../form-values';
import { washington } from '../format';
import type { PageContext } from '../context';
import { Carried, problemsOf, refusalOf, valuesOf } from './acts';

/**
 * What the portal files, in the three steps of every act: the form, a review of exactly what will be filed,
 * then the filing, sent once whatever is clicked twice or reloaded (its idempotency key is minted with the
 * review). Refusals, the form's and the API's, come back beside their fields. A lab files a submission
 * (/workbench/filing); an operator a finding about a model it was granted (/workbench/finding-filing).
 */
type FilingRequest = FastifyRequest<{ Body: FormValues }>;

interface Creation {
  /** Its pages: /workbench/<segment>[/edit|/review]. */
  segment: string;
  role: 'lab' | 'operator';
  form: {
    name: string;
    title: string;
    effect: string;
    subject: string;
    fields: readonly Field[];
    schema(): z.ZodType;
    body(values: FormValues): Record<string, unknown>;
  };
  back: { href: string; label: string };
  /** The API route that files it, and the page of what it filed. */
  api: string;
  created: z.ZodType<{ caseId?: string; findingId?: string }>;
  page(created: { caseId?: string; findingId?: string }): string;
  /** The form's fields as this person may fill them (a select's choices read from the API). */
  fields(ctx: PageContext, req: FastifyRequest): Promise<readonly Field[]>;
}

const CREATIONS: readonly Creation[] = [
  {
    segment: 'filing',
    role: 'lab',
    form: FILING,
    back: { href: '/workbench/my-cases', label: 'your cases' },
    api: '/submissions',
    created: SubmissionCreated,
    page: (c) => `/workbench/cases/${encodeURIComponent(c.caseId!)}`,
    fields: async () => FILING.fields,
  },
  {
    segment: 'finding-filing',
    role: 'operator',
    form: FINDING_FILING,
    back: { href: '/workbench/grants', label: 'your early access' },
    api: '/findings',
    created: FindingFiled,
    page: (c) => `/workbench/findings/${encodeURIComponent(c.findingId!)}`,
    // The models the operator holds early access to, by their cases.
    fields: async (ctx, req) => {
      const { items } = await ctx.api(req).readAll('/grants', GrantListItem, 500);
      const cases = [...new Set(items.filter((g) => g.state === 'ACTIVE').flatMap((g) => g.caseId ?? []))];
      return FINDING_FILING.fields.map((f) =>
        f.name === 'caseId' ? { ...f, options: cases.map((c) => ({ value: c, label: c })) } : f,
      );
    },
  },
];

export const filingPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    for (const c of CREATIONS) {
      const mine = (req: FastifyRequest) => {
        if (ctx.caller(req).role !== c.role) throw new WorkbenchError(404, 'No such page');
      };
      const form = async (
        req: FastifyRequest,
        reply: FastifyReply,
        values: FormValues,
        errors: Record<string, string>,
        status = 200,
      ) => {
        mine(req);
        const html = await ctx.render(req, reply, 'act-form', {
          title: c.form.title,
          act: c.form,
          fields: await c.fields(ctx, req),
          subject: c.back,
          action: `/workbench/${c.segment}/review`,
          values,
          errors,
        });
        return reply.status(status).type('text/html; charset=utf-8').send(html);
      };

      app.get(`/${c.segment}`, async (req, reply) => form(req, reply, {}, {}));

      app.post<{ Body: FormValues }>(
        `/${c.segment}/edit`,
        { preHandler: csrf },
        async (req: FilingRequest, reply) => form(req, reply, valuesOf(c.form, req.body), {}),
      );

      app.post<{ Body: FormValues }>(
        `/${c.segment}/review`,
        { preHandler: csrf },
        async (req: FilingRequest, reply) => {
          mine(req);
          const values = valuesOf(c.form, req.body);
          const errors = problemsOf(c.form, c.form.body(values));
          if (Object.keys(errors).length > 0) return form(req, reply, values, errors, 422);
          const html = await ctx.render(req, reply, 'act-review', {
            title: `Review: ${c.form.title}`,
            act: c.form,
            fields: await c.fields(ctx, req),
            subject: { ...c.back, facts: [] },
            values,
            moves: [],
            mustSign: false,
            when: (v: string) => {
              const at = washingtonInstant(v);
              return Number.isNaN(Date.parse(at)) ? v : washington(at);
            },
            action: `/workbench/${c.segment}`,
            edit: `/workbench/${c.segment}/edit`,
            caller: ctx.caller(req),
            idempotencyKey: `wb-${randomUUID()}`,
            statementUrl: '',
          });
          return reply.type('text/html; charset=utf-8').send(html);
        },
      );

      app.post<{ Body: FormValues }>(
        `/${c.segment}`,
        { preHandler: csrf },
        async (req: FilingRequest, reply) => {
          mine(req);
          const values = valuesOf(c.form, req.body);
          const carried = Carried.safeParse(req.body);
          if (!carried.success)
            throw new WorkbenchError(400, 'This form was not sent from its review page', 'start again');
          const answer = await ctx.api(req).call('POST', c.api, c.created, c.form.body(values), {
            'idempotency-key': carried.data._idempotencyKey,
          });
          if (!answer.ok) return form(req, reply, values, refusalOf(c.form, answer.problem), answer.status);
          return reply.redirect(`${c.page(answer.body)}?recorded=${c.form.name}`, 303);
        },
      );
    }
  };
