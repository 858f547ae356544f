import { EnrolmentError } from '../shared/node/people';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Problem, type Issue } from '../shared/api/problem';
import { ERRORS, type ErrorCode } from '../shared/domain/errors';
import { KeyChangeError } from '../shared/node/api-keys';
import { PasskeyChangeError } from '../shared/node/passkeys';

/** Seconds a client should wait before retrying while Temporal is unavailable. */
const RETRY_AFTER_SECONDS = 5;

/** An error the HTTP layer answers with a problem document carrying `code`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly issues?: Issue[],
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(detail ?? ERRORS[code].title, options);
    this.headers = options?.headers ?? {};
    this.name = 'ApiError';
  }

  /** Headers the answer carries (Allow for a 405). */
  readonly headers: Record<string, string>;

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/**
 * A change to one of the gateway's stores (API keys, passkeys), its refusal answered as its catalogue code: the
 * stores throw their own errors, which carry the code, so they need not know about HTTP.
 */
export async function storeChange<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (err instanceof KeyChangeError || err instanceof PasskeyChangeError || err instanceof EnrolmentError)
      throw new ApiError(err.code, err.message);
    throw err;
  }
}

export function problemOf(err: ApiError, req: FastifyRequest): Problem {
  return {
    type: `urn:frontier-review:error:${err.code}`,
    title: ERRORS[err.code].title,
    status: err.status,
    code: err.code,
    detail: err.detail,
    instance: req.url,
    requestId: req.id,
    issues: err.issues,
  };
}

export function sendProblem(reply: FastifyReply, err: ApiError): FastifyReply {
  void reply.headers(err.headers);
  if (err.code === 'TEMPORAL_UNAVAILABLE' || err.code === 'IDENTITY_PROVIDER_UNAVAILABLE')
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  if (err.code === 'UNAUTHENTICATED') void reply.header('www-authenticate', 'Bearer realm="frontier-review"');
  return reply.code(err.status).type('application/problem+json').send(problemOf(err, reply.request));
}

function validationIssues(err: FastifyError): Issue[] {
  const where = err.validationContext ?? 'body';
  if (!hasZodFastifySchemaValidationErrors(err)) {
    return [{ in: where, path: '', code: 'invalid', message: err.message }];
  }
  return err.validation.map((v) => ({
    in: where,
    path: v.instancePath,
    code: v.keyword,
    message: v.message ?? 'invalid',
  }));
}

/** Fastify's own errors (parsing, limits, validation) as catalogue errors. */
function fromFastify(err: FastifyError): ApiError | undefined {
  if (err.validation !== undefined) {
    return new ApiError('VALIDATION_FAILED', 'the request does not match the schema', validationIssues(err));
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('PAYLOAD_TOO_LARGE', err.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError('VALIDATION_FAILED', err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    default:
      return byStatus(err);
  }
}

/** Any other refusal of Fastify's (a client error), by its status; server errors stay internal. */
function byStatus(err: FastifyError): ApiError | undefined {
  const status = err.statusCode ?? 500;
  if (status >= 500) return undefined;
  const code: ErrorCode =
    (
      {
        404: 'NOT_FOUND',
        405: 'METHOD_NOT_ALLOWED',
        413: 'PAYLOAD_TOO_LARGE',
        414: 'URI_TOO_LONG',
        415: 'UNSUPPORTED_MEDIA_TYPE',
        431: 'HEADERS_TOO_LARGE',
      } as const
    )[status] ?? 'VALIDATION_FAILED';
  return new ApiError(code, err.message);
}

/** The one place errors become responses: known codes keep their status, anything else is a 500 without internals. */
export function handleError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = err instanceof ApiError ? err : fromFastify(err);
  if (known !== undefined) {
    if (known.status >= 500) req.log.warn({ err, code: known.code }, 'request failed');
    return sendProblem(reply, known);
  }
  req.log.error({ err }, 'unhandled error');
  return sendProblem(reply, new ApiError('INTERNAL', `see request ${req.id} in the server log`));
}
