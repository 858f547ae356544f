import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ERRORS } from '../shared/domain/errors';
import { rolesAllowed } from './auth';
import { PROBLEM_CODES } from './routes/context';

type Transform = typeof jsonSchemaTransform;
type TransformObject = typeof jsonSchemaTransformObject;

/** A stable operationId from the method and path, e.g. POST /v1/submissions/{caseId}/decisions. */
const operationId = (method: string, url: string): string =>
  method.toLowerCase() +
  url
    .split('/')
    .filter((part) => part !== '')
    .map((part) => part.replace(/^:/, 'by-'))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter((w) => w !== '')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** Who may call a route, as its description says it and `x-roles` lists it. */
function rolesOf(route: { onRequest?: unknown; schema?: { security?: unknown[] } }): {
  text: string;
  roles?: readonly string[];
} {
  const roles = rolesAllowed(route.onRequest);
  if (roles !== undefined) return { text: `**Roles:** ${roles.join(', ')}.`, roles };
  if (route.schema?.security?.length === 0) return { text: '**Roles:** anyone; no credential needed.' };
  return { text: '**Roles:** any authenticated caller.' };
}

/** Each operation gets its operationId (SDK generators and the linter need one) and names the roles it allows. */
const withOperationId: Transform = (input) => {
  const out = jsonSchemaTransform(input);
  const method = Array.isArray(input.route.method) ? input.route.method[0] : input.route.method;
  const { text, roles } = rolesOf(input.route as Parameters<typeof rolesOf>[0]);
  const description = [(out.schema as { description?: string }).description, text]
    .filter(Boolean)
    .join('\n\n');
  return {
    ...out,
    schema: {
      operationId: operationId(method, input.url),
      ...out.schema,
      description,
      ...(roles === undefined ? {} : { 'x-roles': roles }),
    },
  };
};

/**
 * The document without schemas no operation refers to (zod's registry holds every schema with an id), and with
 * the links from a filing to its case's operations.
 */
const withoutUnusedSchemas: TransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as {
    components?: { schemas?: Record<string, unknown> };
  } & Record<string, unknown>;
  const schemas = doc.components?.schemas;
  if (schemas === undefined) return doc as ReturnType<TransformObject>;
  let kept = { ...schemas };
  for (;;) {
    const { components: _c, ...rest } = doc;
    const text = JSON.stringify([rest, kept]);
    const used = Object.fromEntries(
      Object.entries(kept).filter(([name, schema]) => {
        const ref = `"#/components/schemas/${name}"`;
        // Referred to from the paths, or from another kept schema (not only from itself).
        return text.split(ref).length - 1 > JSON.stringify(schema).split(ref).length - 1;
      }),
    );
    if (Object.keys(used).length === Object.keys(kept).length) break;
    kept = used;
  }
  const paths = withProblemExamples(withCaseLinks(doc.paths as Paths));
  return { ...doc, paths, components: { ...doc.components, schemas: kept } } as ReturnType<TransformObject>;
};

interface Response {
  description?: string;
  links?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }>;
}
type Operation = { operationId?: string; responses?: Record<string, Response> };
type Paths = Record<string, Record<string, Operation>>;

/**
 * OpenAPI links from a filing's answer to every operation on one case, so a client (or a fuzzer's stateful
 * phase) can follow `caseId` from `POST /v1/submissions` into the case's routes.
 */
function withCaseLinks(paths: Paths): Paths {
  const filing = paths['/v1/submissions']?.post;
  if (filing?.responses === undefined) return paths;
  const links = Object.fromEntries(
    Object.entries(paths)
      .filter(([path]) => path.startsWith('/v1/submissions/{caseId}'))
      .flatMap(([path, ops]) =>
        Object.values(ops)
          .filter((op) => op.operationId !== undefined)
          .map((op) => [
            op.operationId!,
            {
              operationId: op.operationId,
              parameters: { caseId: '$response.body#/caseId' },
              description: `The filed case, at ${path}`,
            },
          ]),
      ),
  );
  const responses = Object.fromEntries(
    Object.entries(filing.responses).map(([status, r]) => [
      status,
      status.startsWith('2') ? { ...r, links } : r,
    ]),
  );
  return { ...paths, '/v1/submissions': { ...paths['/v1/submissions'], post: { ...filing, responses } } };
}

/** An example of each problem a response may carry, from the one catalogue. */
function withProblemExamples(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, ops]) => [
      path,
      Object.fromEntries(
        Object.entries(ops).map(([method, op]) => [
          method,
          {
            ...op,
            responses: Object.fromEntries(
              Object.entries(op.responses ?? {}).map(([status, r]) => {
                const codes = PROBLEM_CODES.get(r.description ?? '');
                const media = r.content?.['application/problem+json'];
                if (codes === undefined || media === undefined) return [status, r];
                const examples = Object.fromEntries(
                  codes.map((code) => [
                    code,
                    {
                      summary: ERRORS[code].title,
                      value: {
                        type: `urn:frontier-review:error:${code}`,
                        title: ERRORS[code].title,
                        status: ERRORS[code].status,
                        code,
                        instance: path.replace(/\{(\w+)\}/g, (_m, name: string) => `example-${name}`),
                        requestId: '6f1c2e0a-5b7d-4c3e-9a1f-2d8b4e6c0a11',
                      },
                    },
                  ]),
                );
                return [
                  status,
                  { ...r, content: { ...r.content, 'application/problem+json': { ...media, examples } } },
                ];
              }),
            ),
          },
        ]),
      ),
    ]),
  );
}

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
        license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
        description:
          'Pre-release review of covered frontier AI models: labs file and follow their submissions, agencies ' +
          'review, the chair resolves escalations, operations staff watch every case. Authenticate with ' +
          '`Authorization: Bearer <API key or access token>`; the credential decides who you are. Errors are RFC 9457 problem ' +
          'documents with a stable `code`. Actions accept an `Idempotency-Key` header: a retry with the same ' +
          'key is applied once.',
      },
      servers: [{ url: '/', description: 'This gateway' }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: "An API key, or a person's access token from the identity provider (OpenID Connect)",
          },
        },
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
    transform: withOperationId,
    transformObject: withoutUnusedSchemas,
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
