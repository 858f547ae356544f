import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { SA } from '../search-attributes';
import { windowEnd } from './window';
import { openStage, slotsOf } from './stages';
import { flagsOf, nextDeadlineOf } from './status';
import type { CaseState } from './state';

const awaiting = (c: CaseState): string[] => {
  const stage = openStage(c);
  return stage === undefined
    ? []
    : slotsOf(c, stage)
        .filter((s) => s.decision === undefined)
        .map((s) => s.agency);
};

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
