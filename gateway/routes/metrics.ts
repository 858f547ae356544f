import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { onRequestAsyncHookHandler } from 'fastify';
import { renderMetrics, VisibilityUnavailable, type ProductMetrics } from '../../shared/node/metrics';
import { ApiError } from '../problem';
import { allow } from '../auth';
import { z } from 'zod';
import { bearer, problemsOnly } from './context';

const MetricsText = z.string().meta({ description: 'Prometheus text exposition format 0.0.4' });

/**
 * Prometheus scrape endpoint for operations: the product's metrics and the Temporal runtime's, behind an ops
 * API key (Prometheus sends it with `authorization: { credentials: <key> }`).
 */
export const metricsRoutes =
  (
    metrics: ProductMetrics,
    auth: onRequestAsyncHookHandler,
    runtimeMetricsUrl: string | undefined,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/metrics',
      {
        onRequest: [auth, allow('ops')],
        schema: {
          tags: ['system'],
          security: bearer,
          summary:
            'Prometheus metrics (ops key): cases by stage, at risk, overdue, decisions, callbacks, API latency',
          description:
            'Visibility counts have a deadline of 3 s: when visibility is slow the last counts that answered are ' +
            'served; when none ever did, 503 with Retry-After.',
          response: {
            200: {
              description: 'The metrics',
              content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: MetricsText } },
            },
            ...problemsOnly('UNAUTHENTICATED', 'FORBIDDEN', 'TEMPORAL_UNAVAILABLE'),
          },
        },
      },
      async (_req, reply) => {
        let text: string;
        try {
          text = await renderMetrics(metrics, runtimeMetricsUrl);
        } catch (err) {
          if (err instanceof VisibilityUnavailable) {
            throw new ApiError('TEMPORAL_UNAVAILABLE', err.message, undefined, { cause: err });
          }
          throw err;
        }
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
      },
    );
  };
