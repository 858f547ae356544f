import { z } from 'zod';

/** One field-level problem in a request that failed validation. */
export const Issue = z.object({
  in: z.enum(['body', 'querystring', 'params', 'headers']),
  path: z.string(),
  code: z.string(),
  message: z.string(),
});
export type Issue = z.infer<typeof Issue>;

/** An RFC 9457 problem document; `code` is a stable code from the error catalogue. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    issues: z.array(Issue).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
