import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Logger } from '../shared/node/logger';

export interface AppDeps {
  logger: Logger;
  temporal: Client;
}

/** Builds the HTTP gateway without listening, so tests can `inject` requests in-process. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = deps.logger.child({ component: 'gateway' });
  const app = Fastify({
    loggerInstance,
    bodyLimit: 256 * 1024,
    requestIdHeader: 'x-request-id',
  });

  app.get('/health', () => ({ status: 'ok' }));

  app.get('/ready', async (_req, reply) => {
    try {
      const { connection } = deps.temporal;
      await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
      return { status: 'ready' };
    } catch (err) {
      app.log.warn({ err }, 'temporal unreachable');
      return reply.code(503).header('retry-after', '5').send({ status: 'temporal-unreachable' });
    }
  });

  return app;
}
