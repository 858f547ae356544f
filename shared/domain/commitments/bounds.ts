import { BOUNDS_IN_FORCE } from '../bounds';
import { rejection } from '../errors';
import type { CommitmentEventType, CommitmentRecord } from './commitment';

/** What each of a commitment's messages counts against (policy version 7's `commitments`). */
const COUNTED_BY: Record<'attestations' | 'answers', readonly CommitmentEventType[]> = {
  attestations: ['COMMITMENT_ATTESTED'],
  answers: ['COMMITMENT_CONFIRMED', 'COMMITMENT_DISPUTED'],
};

/**
 * Refuses a message its sender has sent this commitment as often as the bounds allow (release 7): one
 * attestation, one confirmation or dispute. The states already allow no more; the budget holds the same line
 * should a later rule reopen a commitment. Counted from the timeline, as a case's budgets are.
 */
export function withinCommitmentBudget(
  r: CommitmentRecord,
  actor: string,
  budget: 'attestations' | 'answers',
): void {
  const allowed = BOUNDS_IN_FORCE.commitments[budget];
  const sent = r.events.filter((e) => COUNTED_BY[budget].includes(e.type) && e.actor === actor).length;
  if (sent >= allowed) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${actor} has sent ${sent} of the ${allowed} ${budget} a commitment allows (policy version 7)`,
    );
  }
}
