import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiKeys } from '../../shared/node/api-keys';
import { renderMetrics, type ProductMetrics } from '../../shared/node/metrics';
import { allow, authenticate } from '../auth';
import { bearer } from './context';

/**
 * Prometheus scrape endpoint for operations: the product's metrics and the Temporal runtime's, behind an ops
 * API key (Prometheus sends it with `authorization: { credentials: <key> }`).
 */
export const metricsRoutes =
  (metrics: ProductMetrics, keys: ApiKeys, runtimeMetricsUrl: string | undefined): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/metrics',
      {
        onRequest: [authenticate(keys), allow('ops')],
        schema: {
          tags: ['system'],
          security: bearer,
          summary:
            'Prometheus metrics (ops key): cases by stage, at risk, overdue, decisions, callbacks, API latency',
        },
      },
      async (_req, reply) =>
        reply
          .type('text/plain; version=0.0.4; charset=utf-8')
          .send(await renderMetrics(metrics, runtimeMetricsUrl)),
    );
  };
