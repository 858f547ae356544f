import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * OpenAPI 3.1 generated from the routes' zod schemas, served as JSON at /openapi.json, with a browsable page
 * at /docs. Call on the root instance before the routes: the document collects them as they are added.
 */
export function registerOpenApi(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'frontier-review API',
        version: '1.0.0',
        description:
          'Pre-release review of covered frontier AI models: labs file and follow their submissions, agencies ' +
          'review, the chair resolves escalations, operations staff watch every case. Authenticate with ' +
          '`Authorization: Bearer <API key>`; the key decides who you are. Errors are RFC 9457 problem ' +
          'documents with a stable `code`. Actions accept an `Idempotency-Key` header: a retry with the same ' +
          'key is applied once.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key' } },
      },
      tags: [
        { name: 'lab', description: 'Developers of covered models' },
        { name: 'agency', description: 'Reviewing agencies, on their own slot in the open stage' },
        { name: 'chair', description: 'The review chair' },
        { name: 'ops', description: 'Operations staff' },
        { name: 'all roles', description: 'Any authenticated caller' },
        { name: 'system', description: 'Health and readiness, without authentication' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
