import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CallbackSecretRotated, CallbackSecretState } from '../../shared/api/callback-secrets';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';

/**
 * The lab's callback secret (issue 38): how many secrets sign its callbacks, a rotation (the new secret shown
 * on this page once, never again), and its completion. Each case's delivery log and redelivery are on the
 * case's page.
 */
export const callbackPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    const labOnly = (req: FastifyRequest) => {
      if (ctx.caller(req).role !== 'lab') throw new WorkbenchError(404, 'No such page');
    };

    app.get('/callbacks', async (req: FastifyRequest<{ Querystring: { completed?: string } }>, reply) => {
      labOnly(req);
      const state = await ctx.api(req).read('/callback-secret', CallbackSecretState);
      const html = await ctx.render(req, reply, 'callbacks', {
        title: 'Your callbacks’ signing secret',
        state,
        completed: req.query.completed === '1',
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.post('/callbacks/rotation', { preHandler: csrf }, async (req, reply) => {
      labOnly(req);
      const answer = await ctx.api(req).call('POST', '/callback-secret/rotation', CallbackSecretRotated, {});
      if (!answer.ok) throw new WorkbenchError(answer.status, answer.problem.title, answer.problem.detail);
      const { secret, ...state } = answer.body;
      const html = await ctx.render(req, reply, 'callbacks', {
        title: 'A new signing secret',
        state,
        secret,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.post('/callbacks/rotation/completion', { preHandler: csrf }, async (req, reply) => {
      labOnly(req);
      const answer = await ctx
        .api(req)
        .call('POST', '/callback-secret/rotation/completion', CallbackSecretState, {});
      if (!answer.ok) throw new WorkbenchError(answer.status, answer.problem.title, answer.problem.detail);
      return reply.redirect('/workbench/callbacks?completed=1', 303);
    });
  };
