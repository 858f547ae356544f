import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { rejection } from '../errors';
import { actedBy } from '../acted-by';
import { Principal, roleOf } from '../principal';
import { isUnsealed } from '../sealed';
import { Id } from '../submission';
import { localDate } from '../washington/zone';
import { AMERICA_NEW_YORK_2025C } from '../washington/zone-america-new-york-2025c';
import type { GovernmentChange } from './fan-out';
import { activeLapseOf, ClosureDates, type GovernmentSnapshot } from './state';
import { budgetOf, withinGovernmentBudget, type Sent } from './bounds';

/**
 * The messages of the government-state workflow (./state.ts), sent by operations staff. Each is recorded
 * once in the government's history and then reaches every open case as a message of its own; the answer
 * counts what it changed. A message that would change nothing, neither the government's state nor any case,
 * is refused with the reason.
 */

/*
 * Lazy (built on first parse): only the government's workflow parses these, and every review case shares its
 * bundle, so built eagerly they would cost each cached review case their schemas.
 */
const sender = () => ({ actor: Principal, by: actedBy().optional(), digest: z.string().optional() });

export const StartLapse = z.lazy(() =>
  z.strictObject({ ...sender(), lapseId: Id, reason: z.string().min(1).max(2000) }),
);
export type StartLapse = z.infer<typeof StartLapse>;
export const EndLapse = z.lazy(() => z.strictObject({ ...sender(), lapseId: Id }));
export type EndLapse = z.infer<typeof EndLapse>;
export const DeclareClosure = z.lazy(() =>
  z.strictObject({ ...sender(), closureId: Id, dates: ClosureDates, reason: z.string().min(1).max(2000) }),
);
export type DeclareClosure = z.infer<typeof DeclareClosure>;

export const startLapseUpdate = defineUpdate<GovernmentChange, [StartLapse]>('startLapse');
export const endLapseUpdate = defineUpdate<GovernmentChange, [EndLapse]>('endLapse');
export const declareClosureUpdate = defineUpdate<GovernmentChange, [DeclareClosure]>('declareClosure');
export const governmentQuery = defineQuery<GovernmentSnapshot>('government');

/** The payload, sealed and from operations staff; anything else is refused before it is read. */
function parsed<T>(schema: z.ZodType<T>, raw: unknown, name: string): T {
  if (isUnsealed(raw))
    throw rejection('PAYLOAD_NOT_SEALED', `${name} was not sealed with a key of this deployment`);
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw rejection(
      'VALIDATION_FAILED',
      result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  if (roleOf((result.data as { actor: string }).actor) !== 'ops') {
    throw rejection('NOT_ENTITLED', `${name} is sent by operations staff`);
  }
  return result.data;
}

/*
 * Release 7: `sent` is what operations staff sent in the budgets' period (./bounds.ts); each check refuses a
 * message past its budget last, after every other reason.
 */

export function checkStartLapse(g: GovernmentSnapshot, raw: unknown, sent: readonly Sent[] = []): StartLapse {
  const msg = parsed(StartLapse, raw, 'startLapse');
  const active = activeLapseOf(g);
  if (active !== undefined && active.id !== msg.lapseId) {
    throw rejection(
      'FUNDING_LAPSE_ACTIVE',
      `funding lapse ${active.id} has been active since ${active.from}`,
    );
  }
  const ended = g.lapses.find((l) => l.id === msg.lapseId && l.to !== undefined);
  if (ended !== undefined)
    throw rejection('FUNDING_LAPSE_ENDED', `funding lapse ${ended.id} ended at ${ended.to}`);
  const known = g.lapses.some((l) => l.id === msg.lapseId);
  withinGovernmentBudget(sent, budgetOf('lapse', known), msg.actor, new Date());
  return msg;
}

export function checkEndLapse(g: GovernmentSnapshot, raw: unknown, sent: readonly Sent[] = []): EndLapse {
  const msg = parsed(EndLapse, raw, 'endLapse');
  if (!g.lapses.some((l) => l.id === msg.lapseId)) {
    const active = activeLapseOf(g);
    throw rejection(
      'FUNDING_LAPSE_NOT_ACTIVE',
      active === undefined
        ? `no funding lapse ${msg.lapseId} was started`
        : `the active funding lapse is ${active.id}`,
    );
  }
  // Ending the active lapse is never refused; ending one again (to reach cases it missed) is a re-send.
  const ended = g.lapses.some((l) => l.id === msg.lapseId && l.to !== undefined);
  if (ended) withinGovernmentBudget(sent, 'resends', msg.actor, new Date());
  return msg;
}

export function checkDeclareClosure(
  g: GovernmentSnapshot,
  raw: unknown,
  now: Date,
  sent: readonly Sent[] = [],
): DeclareClosure {
  const msg = parsed(DeclareClosure, raw, 'declareClosure');
  const today = localDate(AMERICA_NEW_YORK_2025C, now.getTime());
  const past = msg.dates.filter((d) => d < today);
  if (past.length > 0)
    throw rejection('CLOSURE_IN_THE_PAST', `${past.join(', ')} is before today (${today}) in Washington`);
  const same = g.closures.find((x) => x.id === msg.closureId);
  if (same !== undefined && [...same.dates].sort().join() !== [...msg.dates].sort().join()) {
    throw rejection(
      'CLOSURE_ALREADY_DECLARED',
      `closure ${same.id} is declared for ${same.dates.join(', ')}`,
    );
  }
  withinGovernmentBudget(sent, budgetOf('closure', same !== undefined), msg.actor, now);
  return msg;
}
