import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PasskeyCreationOptions, PasskeyList, PasskeyView } from '../../shared/api/passkeys';
import { WorkbenchError } from '../errors';
import type { PageContext } from '../context';

/**
 * The person's passkeys, in the workbench: the list and revocation work with JavaScript off; registering one
 * needs JavaScript (the browser creates it only when a script asks), and its script calls the two steps here,
 * which are the API's own (POST /v1/passkeys/registration-options, POST /v1/passkeys).
 */
export const passkeyPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    app.get('/passkeys', async (req, reply) => {
      const list = await ctx.api(req).read('/passkeys', PasskeyList);
      const html = await ctx.render(req, reply, 'passkeys', {
        title: 'Your passkeys',
        passkeys: list.items,
        revoked: (req.query as { revoked?: unknown }).revoked === '1',
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.post('/passkeys/options', { preHandler: csrf }, async (req, reply) => {
      const answer = await ctx
        .api(req)
        .call('POST', '/passkeys/registration-options', PasskeyCreationOptions, {});
      if (!answer.ok)
        return reply.status(answer.status).send({ error: answer.problem.detail ?? answer.problem.title });
      return reply.send(answer.body);
    });

    app.post<{ Body: { response?: string } }>('/passkeys', { preHandler: csrf }, async (req, reply) => {
      let registration: unknown;
      try {
        registration = JSON.parse(req.body.response ?? '');
      } catch {
        return reply.status(400).send({ error: 'the browser sent no passkey' });
      }
      const answer = await ctx.api(req).call('POST', '/passkeys', PasskeyView, registration);
      if (!answer.ok)
        return reply.status(answer.status).send({ error: answer.problem.detail ?? answer.problem.title });
      return reply.status(201).send(answer.body);
    });

    app.post<{ Params: { passkeyId: string } }>(
      '/passkeys/:passkeyId/revocation',
      { preHandler: csrf },
      async (req: FastifyRequest<{ Params: { passkeyId: string } }>, reply) => {
        const answer = await ctx
          .api(req)
          .call('POST', `/passkeys/${encodeURIComponent(req.params.passkeyId)}/revocation`, z.unknown(), {});
        if (!answer.ok) throw new WorkbenchError(answer.status, answer.problem.title, answer.problem.detail);
        return reply.redirect('/workbench/passkeys?revoked=1', 303);
      },
    );
  };
