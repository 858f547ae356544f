import { BOUNDS_IN_FORCE, inPeriod, type Bounds } from '../bounds';
import { rejection } from '../errors';
import { isCompletedReview } from './eligibility';
import type { EarlierRecord, LabRecord } from './record';

/**
 * A lab record's bounds (policy version 7, ../bounds.ts): those it pinned, or, for a record whose run started
 * before release 7, those in force. Validators never run on replay, so a refusal by either changes no history.
 */
export const labBounds = (r: LabRecord): Bounds['labs'] => (r.bounds ?? BOUNDS_IN_FORCE).labs;

/**
 * Refuses a designation or revocation whose reason is longer than the policy allows, or past what the chair
 * may change in the rolling period: a chair toggling a lab's status in a loop can neither fill the record nor
 * flood the lab's callback endpoint.
 */
export function withinStatusBudget(r: LabRecord, now: Date, actor: string, reason: string): void {
  const b = labBounds(r);
  if (reason.length > b.reasonChars) {
    throw rejection(
      'VALIDATION_FAILED',
      `reason: at most ${b.reasonChars} characters (policy version 7); it has ${reason.length}`,
    );
  }
  const mine = r.statusHistory.filter((c) => c.by === actor).map((c) => c.at);
  const recent = inPeriod(mine, b.periodDays, now);
  if (recent >= b.statusChanges) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${actor} has changed ${r.labId}'s status ${recent} time(s) in the last ${b.periodDays} days; the policy allows ${b.statusChanges}`,
    );
  }
}

const noneEarlier = (): EarlierRecord => ({
  cases: 0,
  completedReviews: 0,
  earlyReleases: [],
  commitments: { kept: 0, broken: 0 },
  statusChanges: 0,
});

/** The oldest of the items `foldable` picks, beyond the latest `kept` of them. */
function oldest<T>(items: readonly T[], foldable: (x: T) => boolean, kept: number): Set<T> {
  const candidates = items.filter(foldable);
  return new Set(candidates.slice(0, Math.max(0, candidates.length - kept)));
}

/**
 * What a run hands on (release 7): the record with its oldest closed cases, settled commitments and status
 * changes beyond the policy's `kept` folded into counts, so a lab with many cases (or a chair's long history)
 * never grows its record toward the server's limits. Open cases and pending or overdue commitments are never
 * folded; eligibility (./eligibility.ts) counts what was folded.
 */
export function foldedRecord(r: LabRecord): LabRecord {
  const { kept } = labBounds(r);
  const cases = oldest(r.cases, (c) => c.closedAt !== undefined, kept);
  const commitments = oldest(r.commitments, (c) => c.standing === 'KEPT' || c.standing === 'BROKEN', kept);
  const changes = Math.max(0, r.statusHistory.length - kept);
  if (cases.size === 0 && commitments.size === 0 && changes === 0) return r;
  const was = r.earlier ?? noneEarlier();
  const folded = [...cases];
  const early = folded.filter((c) => c.earlyRelease === true).map((c) => c.releasedAt ?? c.closedAt!);
  const settled = [...commitments];
  return {
    ...r,
    cases: r.cases.filter((c) => !cases.has(c)),
    commitments: r.commitments.filter((c) => !commitments.has(c)),
    statusHistory: r.statusHistory.slice(changes),
    earlier: {
      cases: was.cases + folded.length,
      completedReviews: was.completedReviews + folded.filter(isCompletedReview).length,
      earlyReleases: [...was.earlyReleases, ...early].slice(-kept),
      commitments: {
        kept: was.commitments.kept + settled.filter((c) => c.standing === 'KEPT').length,
        broken: was.commitments.broken + settled.filter((c) => c.standing === 'BROKEN').length,
      },
      statusChanges: was.statusChanges + changes,
    },
  };
}
