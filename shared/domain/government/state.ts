import { z } from 'zod';
import { actedBy } from '../acted-by';
import { Principal } from '../principal';
import { Id } from '../submission';
import { IsoDate } from '../washington/zone';

/**
 * The state of the government that every case shares (domain.md section 4): funding lapses and unscheduled
 * closures of federal offices. It is recorded once, in one long-lived workflow, however many cases it
 * touches; acceptance consults it, and each change reaches the open cases as a message.
 */
export const GOVERNMENT_WORKFLOW_TYPE = 'government';
/** One per deployment: the cases a deployment's workers serve share their task queue, and so their government. */
export const governmentWorkflowId = (taskQueue: string): string => `government-${taskQueue}`;

/*
 * Lazy (built on their first parse): every review case evaluates this module (it shares the government's
 * bundle), and only the gateway's responses and the government's own messages parse these.
 */
export const Lapse = z.lazy(() =>
  z.object({
    id: Id,
    reason: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime().optional(),
    startedBy: Principal,
    endedBy: Principal.optional(),
    /** Who started and ended it, beside the principal (issue 36; absent before it). */
    startedActedBy: actedBy().optional(),
    endedActedBy: actedBy().optional(),
  }),
);
export type Lapse = z.infer<typeof Lapse>;

export const ClosureDates = z.lazy(() =>
  z
    .array(IsoDate)
    .min(1)
    .max(31)
    .refine((ds) => new Set(ds).size === ds.length, 'each date once')
    .meta({ uniqueItems: true }),
);

export const GovernmentClosure = z.lazy(() =>
  z.object({
    id: Id,
    dates: ClosureDates,
    reason: z.string(),
    declaredAt: z.iso.datetime(),
    declaredBy: Principal,
    /** Who declared it, beside the principal (issue 36; absent before it). */
    declaredActedBy: actedBy().optional(),
  }),
);
export type GovernmentClosure = z.infer<typeof GovernmentClosure>;

/** What acceptance reads: every lapse and closure so far. */
export const GovernmentSnapshot = z.lazy(() =>
  z.object({
    lapses: z.array(Lapse),
    closures: z.array(GovernmentClosure),
  }),
);
export type GovernmentSnapshot = z.infer<typeof GovernmentSnapshot>;

export const emptyGovernment = (): GovernmentSnapshot => ({ lapses: [], closures: [] });

export const activeLapseOf = (g: GovernmentSnapshot): Lapse | undefined =>
  g.lapses.find((l) => l.to === undefined);
