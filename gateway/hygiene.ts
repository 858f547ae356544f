import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { ERRORS } from '../shared/domain/errors';
import { ApiError, sendProblem } from './problem';

/**
 * What the gateway does with input that never reaches a route: bodies that are not valid UTF-8, methods a
 * path does not answer, requests too large for the server to read. Each becomes a problem document with a
 * catalogue code, never Fastify's or Node's own answer, and changes nothing.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** JSON bodies must be valid UTF-8: a replacement character would silently alter what the caller sent. */
export function strictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new ApiError('VALIDATION_FAILED', 'the body is not valid UTF-8'), undefined);
      return;
    }
    void parseJson(req, text, done);
  });
}

/** The methods each path answers, so a method a path does not answer is 405 with Allow, not a 404. */
export function methodsOfPaths(app: FastifyInstance): (req: FastifyRequest) => string[] {
  const router = FindMyWay();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat() as HTTPMethod[]) {
      if (method === 'HEAD' || router.hasRoute(method, route.url)) continue;
      router.on(method, route.url, () => undefined);
    }
  });
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return (req) => {
    const path = req.url.split('?')[0];
    return methods.filter((m) => router.find(m as HTTPMethod, path) !== null);
  };
}

/** The answer when no route takes the request: 405 with Allow for a known path, else 404. */
export function notFound(allowed: (req: FastifyRequest) => string[]) {
  return (req: FastifyRequest): ApiError => {
    const methods = allowed(req);
    if (methods.length > 0 && !methods.includes(req.method)) {
      return new ApiError(
        'METHOD_NOT_ALLOWED',
        `${req.url.split('?')[0]} answers ${methods.join(', ')}`,
        undefined,
        {
          headers: { allow: methods.join(', ') },
        },
      );
    }
    return new ApiError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
  };
}

/** Requests Node refuses before Fastify sees them (headers too large, a malformed request line). */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const code = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'VALIDATION_FAILED';
  const { status, title } = ERRORS[code];
  const body = JSON.stringify({
    type: `urn:frontier-review:error:${code}`,
    title,
    status,
    code,
    detail: code === 'HEADERS_TOO_LARGE' ? 'the request headers are too large' : 'the request is malformed',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fastify's own refusals (a path parameter too long, a URL it cannot decode) as problem documents. */
export function frameworkErrors(
  err: Error & { code?: string },
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  const known =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ApiError('URI_TOO_LONG', 'a path segment is too long')
      : new ApiError('VALIDATION_FAILED', 'the URL is not valid');
  sendProblem(reply, known);
}
