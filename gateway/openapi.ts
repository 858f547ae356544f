import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The API page's policy: only its own scripts and styles, framed by no one, and sandboxed without
 * `allow-same-origin`. The page then runs in an opaque origin of its own, so nothing on it, whatever a
 * script it loads does, can read the dashboard's storage or cookies on this origin. "Try it out" is
 * therefore off; use the CLI or curl with a key.
 */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'none'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  sandbox: ['allow-scripts', 'allow-popups'],
};

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
        { name: 'admin', description: 'Administrators: API keys, labs, the access log' },
        { name: 'all roles', description: 'Any authenticated caller' },
        { name: 'system', description: 'Health and readiness, without authentication' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  void app.register(async (docs) => {
    await docs.register(helmet, {
      contentSecurityPolicy: { directives: DOCS_CSP },
      // The page's own scripts and styles load into its opaque origin: they are public files.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      originAgentCluster: false,
    });
    // The sandboxed page has an opaque origin, so its own fetch of the document is cross-origin: allow it
    // (the document is public).
    docs.addHook('onSend', async (req, reply, payload) => {
      if (req.url.startsWith('/docs/json') || req.url.startsWith('/docs/yaml')) {
        void reply.header('access-control-allow-origin', '*');
      }
      return payload;
    });
    await docs.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { schema: { hide: true } }, (_req, reply) => {
    void reply.header('access-control-allow-origin', '*');
    return app.swagger();
  });
}
