import { z } from 'zod';

/** What an accepted message answers: the timeline entry it made. */
export const Receipt = z.lazy(() =>
  z.object({
    seq: z.int().positive(),
    at: z.iso.datetime(),
    /** The digest of the request that made it, as its sender gave it: a retry with another request is told apart. */
    digest: z.string().optional(),
  }),
);
export type Receipt = z.infer<typeof Receipt>;
