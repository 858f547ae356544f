import type { SearchAttributePair, SearchAttributeUpdatePair } from '@temporalio/common';
import { SA } from '../search-attributes';
import type { Submission } from '../submission';
import { pendingDesignation } from './designation';
import { openCase } from './intake';
import { CURRENT_RULES } from './rules';
import { windowEnd } from './window';
import { openStage, slotsOf } from './stages';
import { flagsOf, nextDeadlineOf } from './to-status';
import type { CaseState } from './state';
import { iso } from '../time';
import { due, key } from './clock';

const awaiting = (c: CaseState): string[] => {
  const designation = pendingDesignation(c);
  if (designation !== undefined) return [designation.agency];
  const stage = openStage(c);
  return stage === undefined
    ? []
    : slotsOf(c, stage)
        .filter((s) => s.decision === undefined)
        .map((s) => s.agency);
};

/**
 * Each awaited agency's own deadline as of `now` (its extension and its tolls counted): what the agency's inbox
 * sorts by. Kept in the case's memo (`awaitingDue`), since visibility cannot order by a custom attribute.
 */
export function awaitingDueOf(c: CaseState, now: Date): Record<string, string> {
  const designation = pendingDesignation(c);
  if (designation !== undefined) return { [designation.agency]: iso(due(c, key.designation, now)) };
  const stage = openStage(c);
  if (stage === undefined) return {};
  return Object.fromEntries(
    slotsOf(c, stage)
      .filter((s) => s.decision === undefined)
      .map((s) => [s.agency, iso(due(c, key.agency(stage, s.agency), now))]),
  );
}

/**
 * What operations staff filter on, as of `now`. Unset values are null, which removes them. `nextParty`: whose
 * the next deadline is (cases whose runs predate it replay without it).
 */
export function searchAttributesOf(c: CaseState, now: Date, nextParty: boolean): SearchAttributeUpdatePair[] {
  const flags = flagsOf(c, now);
  const next = nextDeadlineOf(c, now);
  return [
    { key: SA.stage, value: c.stage },
    { key: SA.lab, value: c.submission.labId },
    { key: SA.policy, value: c.policy?.id ?? c.submission.policyId },
    { key: SA.nextDeadline, value: next ? new Date(next.dueAt) : null },
    { key: SA.windowEnd, value: c.acceptedAt ? windowEnd(c) : null },
    { key: SA.atRisk, value: flags.includes('AT_RISK') },
    { key: SA.overdue, value: flags.includes('OVERDUE') },
    { key: SA.outcome, value: c.determination?.outcome ?? null },
    { key: SA.flags, value: flags },
    { key: SA.awaiting, value: awaiting(c) },
    { key: SA.callbackFailing, value: flags.includes('CALLBACK_FAILING') },
    ...(nextParty ? [{ key: SA.nextParty, value: next?.party ?? null }] : []),
  ] as SearchAttributeUpdatePair[];
}

/** A value as lists see it: an empty list is no value, as an unset attribute is. */
const shown = (value: unknown): unknown => (Array.isArray(value) && value.length === 0 ? null : value);

/** The attributes as one string, to tell whether they changed since the last upsert. */
export const rendered = (pairs: readonly { key: { name: string }; value: unknown }[]): string =>
  JSON.stringify(pairs.map((p) => [p.key.name, shown(p.value ?? null)]));

/**
 * What a new case's start request sets: the lab's submission id and the attributes of a case just received, so
 * that lists show it from its start and its workflow has nothing to upsert before intake.
 */
export function startAttributes(submission: Submission, now: Date): SearchAttributePair[] {
  const received = searchAttributesOf(openCase(submission, now, CURRENT_RULES), now, true);
  return [
    ...(received.filter((p) => shown(p.value) !== null) as SearchAttributePair[]),
    { key: SA.submission, value: submission.submissionId },
  ];
}
