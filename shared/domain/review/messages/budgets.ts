import type { Policy } from '../../policy';
import type { EventType } from '../events';
import type { CaseState } from '../state';
import type { Reject } from './define';

type Budget = keyof NonNullable<Policy['budgets']>;

/** The event that counts each budgeted message, once it is applied. */
const COUNTED_BY: Record<Budget, EventType> = {
  amendments: 'RELEASE_DATE_AMENDED',
  endpointChanges: 'CALLBACK_ENDPOINT_CHANGED',
  supplements: 'SUPPLEMENTED',
  informationRequests: 'INFORMATION_REQUESTED',
};

/**
 * Refuses a message its sender has sent this case as often as the case's policy allows (from policy version
 * 2; a case pinned to version 1 has no budgets). What counts is the timeline: the messages this principal had
 * applied, however they arrived.
 */
export function withinBudget(
  c: CaseState,
  actor: string,
  budget: Budget,
  reject: Reject<'MESSAGE_BUDGET_EXHAUSTED'>,
): void {
  const allowed = (c.policy ?? c.intakePolicy)?.budgets?.[budget];
  if (allowed === undefined) return;
  const sent = c.timeline.filter((e) => e.type === COUNTED_BY[budget] && e.actor === actor).length;
  if (sent >= allowed) {
    reject(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${actor} has sent ${sent} of the ${allowed} ${budget} this case allows`,
    );
  }
}
