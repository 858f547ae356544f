import { z } from 'zod';

/**
 * Modules evaluated once per worker and shared by every cached workflow (the bundler's `preloadModules`), instead
 * of once per workflow. The SDK freezes the objects a preloaded module exports, zod's global configuration among
 * them, and zod completes that configuration lazily: the default locale's messages with the first schema, the
 * memoizer with the first object schema. Frozen half-done, every workflow fails at load ("Cannot add property
 * memoizer, object is not extensible", seen with a single string schema here). So this module builds one schema
 * of each kind the domain uses, and parses with each, before the freeze.
 */
const kinds = [
  z.string().min(1).max(2).regex(/x/).startsWith('x').includes('x').trim().length(1),
  z.int().min(0).max(1).positive().nonnegative(),
  z.number().gt(0).lt(1),
  z.boolean(),
  z.literal('x'),
  z.enum(['x']),
  z.url(),
  z.uuid(),
  z.iso.datetime(),
  z.iso.date(),
  z.unknown(),
  z
    .object({ x: z.string() })
    .extend({ y: z.string() })
    .pick({ x: true })
    .omit({ x: true })
    .partial()
    .strict(),
  z.strictObject({ x: z.string() }),
  z.array(z.string()),
  z.string().array(),
  z.union([z.string(), z.int()]),
  z.discriminatedUnion('k', [z.object({ k: z.literal('a') })]),
  z.record(z.string(), z.string()),
  z.string().optional().nullable().default('x'),
  z
    .string()
    .refine(() => true)
    .superRefine(() => {})
    .check(() => {}),
  z.string().transform((s) => s.length),
  z.string().meta({ format: 'x' }),
];
for (const kind of kinds) kind.safeParse(undefined);
