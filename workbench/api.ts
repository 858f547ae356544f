import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { Problem } from '../shared/api/problem';
import { page } from '../shared/api/responses';
import { WorkbenchError } from './errors';

/**
 * The workbench asks the API, in-process, as the person signed in: every page is what the API answers that
 * person (the view policy, the refusals, the access log and the rate limits are the API's own), never a
 * second reading of the cases.
 */
export type Answer<T> =
  { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

export class Api {
  constructor(
    private readonly app: FastifyInstance,
    private readonly token: string,
    /** The browser's request, whose id and address the API's lines carry. */
    private readonly from: FastifyRequest,
  ) {}

  async call<T>(
    method: 'GET' | 'POST',
    url: string,
    shape: z.ZodType<T>,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await this.app.inject({
      method,
      url: `/v1${url}`,
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-request-id': this.from.id,
        'user-agent': this.from.headers['user-agent'] ?? 'workbench',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      remoteAddress: this.from.ip,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    const json: unknown = res.body === '' ? undefined : JSON.parse(res.body);
    if (res.statusCode >= 400) return { ok: false, status: res.statusCode, problem: Problem.parse(json) };
    return { ok: true, status: res.statusCode, body: shape.parse(json) };
  }

  /** Every item of a paged list, 100 at a time, up to `limit`; `more` says whether the list went on past it. */
  async readAll<T>(url: string, item: z.ZodType<T>, limit: number): Promise<{ items: T[]; more: boolean }> {
    const shape = page(item);
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const next = cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const answer = await this.read<{ items: T[]; nextCursor?: string }>(
        `${url}${url.includes('?') ? '&' : '?'}pageSize=100${next}`,
        shape,
      );
      items.push(...answer.items);
      cursor = answer.nextCursor;
    } while (cursor !== undefined && items.length < limit);
    return { items, more: cursor !== undefined };
  }

  /** A read that must succeed: a refusal becomes the page's own (404 stays 404, so nothing is revealed). */
  async read<T>(url: string, shape: z.ZodType<T>): Promise<T> {
    const answer = await this.call('GET', url, shape);
    if (!answer.ok) throw new WorkbenchError(answer.status, answer.problem.title, answer.problem.detail);
    return answer.body;
  }
}
