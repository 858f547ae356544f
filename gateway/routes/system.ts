import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PLATFORM_ERRORS, problemsOnly } from './context';

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.enum(['ready', 'temporal-unreachable']) });

/** Health (the process answers) and readiness (Temporal answers too); no authentication. */
export const systemRoutes =
  (temporal: Client): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['system'],
          summary: 'The process is up (no key)',
          security: [],
          response: { 200: Health, ...problemsOnly(...PLATFORM_ERRORS) },
        },
      },
      () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['system'],
          summary: 'Temporal is reachable (503 with Retry-After otherwise; no key)',
          security: [],
          response: { 200: Readiness, 503: Readiness, ...problemsOnly(...PLATFORM_ERRORS) },
        },
      },
      async (req, reply) => {
        try {
          const { connection } = temporal;
          await connection.withDeadline(Date.now() + 2_000, () =>
            connection.workflowService.getSystemInfo({}),
          );
          return { status: 'ready' as const };
        } catch (err) {
          req.log.warn({ err }, 'temporal unreachable');
          return reply
            .code(503)
            .header('retry-after', '5')
            .send({ status: 'temporal-unreachable' as const });
        }
      },
    );
  };
