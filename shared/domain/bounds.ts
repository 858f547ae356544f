import { z } from 'zod';

/**
 * Policy data from version 7 (issue 34, item 5): how far one party can grow each long-lived workflow, so that
 * no sender can fill a record's history, its query answer or its lab's callback endpoint and lock the other
 * parties out (a case's own budgets are the policy's `budgets`, from version 2). Each workflow pins the bounds
 * in force when its run starts (release 7) and carries them to the runs it hands on to.
 *
 * Temporal refuses a query answer, an update's answer or a continue-as-new input over 2 MiB (it warns at
 * 512 KiB), and a run over its limit is terminated, not slowed: every bound below keeps a record's worst case
 * under the warning (test/shared/domain/bounds.test.ts computes it).
 */
const build = () => {
  const count = z.int().positive();
  return z.strictObject({
    /** When every long-lived workflow hands its state to a fresh run, whichever comes first. */
    runs: z.strictObject({
      /** Events in a run's history (the server warns at 10,240 and terminates at 51,200). */
      events: count,
      /** Messages (updates and signals) a run accepts (the server allows 2,000 per run). */
      messages: count,
      /** The record's size as JSON, in characters (the server warns at 512 KiB and refuses 2 MiB). */
      stateChars: count,
    }),
    /** Early-access grants (issue 14, part 4): the operator's use reports. */
    grants: z.strictObject({
      /** The rolling period the per-period count is over. */
      periodDays: count,
      /** Use reports one operator may make in one period. */
      usesPerPeriod: count,
      /** Use reports over the grant's whole life. */
      usesTotal: count,
      /** The longest note a use report may carry. */
      noteChars: count,
      /** The use reports a view shows (the latest; the count is always whole). */
      usesShown: count,
    }),
    /** The clearinghouse's findings (issue 15): filings per filer. */
    findings: z.strictObject({
      periodDays: count,
      /** Findings one filer may file about one case (or, naming no case, one lab) in one period. */
      perSubject: count,
      /** Findings one filer may file in all in one period. */
      perFiler: count,
    }),
    /** A determination's commitments (issue 14, part 2): each party's messages to one commitment. */
    commitments: z.strictObject({
      /** Attestations the lab may make (one: a late one from OVERDUE included). */
      attestations: count,
      /** Confirmations and disputes its owner may send (one: either settles it). */
      answers: count,
    }),
    /** Labs' records (issue 14, part 3). */
    labs: z.strictObject({
      periodDays: count,
      /** Designations and revocations the chair may make of one lab in one period. */
      statusChanges: count,
      /** The longest reason a designation or revocation may carry. */
      reasonChars: count,
      /** Closed cases, settled commitments and status changes a record carries; older ones are counted. */
      kept: count,
      /** Cases, commitments and status changes a view shows (the latest; the counts are always whole). */
      shown: count,
    }),
    /** The government's state (domain.md section 4): operations staff's lapses and closures. */
    government: z.strictObject({
      periodDays: count,
      /** New funding lapses in one period (ending the active lapse is never refused). */
      lapses: count,
      /** New closures in one period. */
      closures: count,
      /** A lapse or closure sent again, to reach the cases it missed, in one period. */
      resends: count,
      /** Ended lapses and past closures the state carries (the active lapse and coming closures always). */
      kept: count,
    }),
  });
};
let built: ReturnType<typeof build> | undefined;
/* Built on first use: every cached workflow shares the bundle, and only the registry and the docs parse these. */
export const boundsSchema = (): ReturnType<typeof build> => (built ??= build());
export type Bounds = z.infer<ReturnType<typeof build>>;

/**
 * The bounds of policy version 7, and why (each keeps its record's worst case under `runs.stateChars`):
 * - runs: as a case's (8,000 events, 1,000 messages), and a record under 400,000 characters of JSON;
 * - grants: 10 use reports a day, 100 in a grant's life (a grant lasts about 60 to 120 days), notes of at
 *   most 1,000 characters, the latest 20 shown;
 * - findings: 20 a filer files about one case or lab in 30 days, 200 in all: the clearinghouse validates each
 *   within 5 business days, so one filer cannot bury the others' findings;
 * - commitments: one attestation, one confirmation or dispute;
 * - labs: 4 designations or revocations by the chair in 30 days, reasons of at most 1,000 characters, 200
 *   closed cases and settled commitments carried, 50 shown;
 * - government: 2 new lapses and 10 new closures in 30 days (the most lapses in a year were 2018's three, two
 *   of them three weeks apart; closures come a few a winter), 20 re-sends, 20 past ones carried.
 */
export const BOUNDS_V7: Bounds = {
  runs: { events: 8_000, messages: 1_000, stateChars: 400_000 },
  grants: { periodDays: 1, usesPerPeriod: 10, usesTotal: 100, noteChars: 1_000, usesShown: 20 },
  findings: { periodDays: 30, perSubject: 20, perFiler: 200 },
  commitments: { attestations: 1, answers: 1 },
  labs: { periodDays: 30, statusChanges: 4, reasonChars: 1_000, kept: 200, shown: 50 },
  government: { periodDays: 30, lapses: 2, closures: 10, resends: 20, kept: 20 },
};

/** The bounds a long-lived workflow pins when a run starts under release 7. */
export const BOUNDS_IN_FORCE: Bounds = BOUNDS_V7;

export const DAY_MS = 86_400_000;

/** How many of `times` (ISO instants) fall in the rolling period of `days` that ends at `now`. */
export function inPeriod(times: readonly string[], days: number, now: Date): number {
  const since = now.getTime() - days * DAY_MS;
  return times.filter((t) => Date.parse(t) > since).length;
}

/** The record's size as JSON, in characters: what a query answer or a continue-as-new input carries. */
export const sizeOf = (record: unknown): number => JSON.stringify(record).length;

/** Whether a run should hand its record to a fresh one before the server's limits on a run or a payload. */
export function runIsFull(
  run: { historyLength: number; messages: number; continueAsNewSuggested: boolean },
  record: unknown,
  bounds: Bounds['runs'],
): boolean {
  return (
    run.continueAsNewSuggested ||
    run.historyLength >= bounds.events ||
    run.messages >= bounds.messages ||
    sizeOf(record) >= bounds.stateChars
  );
}
