import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SubmissionCreated } from '../../shared/api/responses';
import { WorkbenchError } from '../errors';
import { FILING } from '../filing';
import { washingtonInstant, type FormValues } from '../form-values';
import { washington } from '../format';
import type { PageContext } from '../context';
import { Carried, problemsOf, refusalOf, valuesOf } from './acts';

/**
 * Filing a submission in the labs' portal (issue 38), in the three steps of every act: the form, a review of
 * exactly what will be filed, then the filing, sent once whatever is clicked twice or reloaded (its idempotency
 * key is minted with the review). Refusals, the form's and the API's, come back beside their fields.
 */
type FilingRequest = FastifyRequest<{ Body: FormValues }>;

const SUBJECT = { href: '/workbench/my-cases', label: 'your cases', facts: [] };

export const filingPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    const labOnly = (req: FastifyRequest) => {
      if (ctx.caller(req).role !== 'lab') throw new WorkbenchError(404, 'No such page');
    };
    const form = async (
      req: FastifyRequest,
      reply: FastifyReply,
      values: FormValues,
      errors: Record<string, string>,
      status = 200,
    ) => {
      labOnly(req);
      const html = await ctx.render(req, reply, 'act-form', {
        title: FILING.title,
        act: FILING,
        fields: FILING.fields,
        subject: SUBJECT,
        action: '/workbench/filing/review',
        values,
        errors,
      });
      return reply.status(status).type('text/html; charset=utf-8').send(html);
    };

    app.get('/filing', async (req, reply) => form(req, reply, {}, {}));

    app.post<{ Body: FormValues }>('/filing/edit', { preHandler: csrf }, async (req: FilingRequest, reply) =>
      form(req, reply, valuesOf(FILING, req.body), {}),
    );

    app.post<{ Body: FormValues }>(
      '/filing/review',
      { preHandler: csrf },
      async (req: FilingRequest, reply) => {
        labOnly(req);
        const values = valuesOf(FILING, req.body);
        const errors = problemsOf(FILING, FILING.body(values));
        if (Object.keys(errors).length > 0) return form(req, reply, values, errors, 422);
        const html = await ctx.render(req, reply, 'act-review', {
          title: `Review: ${FILING.title}`,
          act: FILING,
          fields: FILING.fields,
          subject: SUBJECT,
          values,
          moves: [],
          mustSign: false,
          when: (v: string) => {
            const at = washingtonInstant(v);
            return Number.isNaN(Date.parse(at)) ? v : washington(at);
          },
          action: '/workbench/filing',
          edit: '/workbench/filing/edit',
          caller: ctx.caller(req),
          idempotencyKey: `wb-${randomUUID()}`,
          statementUrl: '',
        });
        return reply.type('text/html; charset=utf-8').send(html);
      },
    );

    app.post<{ Body: FormValues }>('/filing', { preHandler: csrf }, async (req: FilingRequest, reply) => {
      labOnly(req);
      const values = valuesOf(FILING, req.body);
      const carried = Carried.safeParse(req.body);
      if (!carried.success)
        throw new WorkbenchError(
          400,
          'This form was not sent from its review page',
          'start the filing again',
        );
      const answer = await ctx.api(req).call('POST', '/submissions', SubmissionCreated, FILING.body(values), {
        'idempotency-key': carried.data._idempotencyKey,
      });
      if (!answer.ok) return form(req, reply, values, refusalOf(FILING, answer.problem), answer.status);
      return reply.redirect(
        `/workbench/cases/${encodeURIComponent(answer.body.caseId)}?recorded=${FILING.name}`,
        303,
      );
    });
  };
