import type { LabFact } from '../labs/facts';
import type { LabStanding } from '../labs/record';
import type { CaseState } from './state';

/**
 * Rules 5 (issue 14, part 3): what a case tells its lab's record, and the status it pins.
 */

/** Pins the lab's status read with the acceptance's facts, when the case was accepted by them. */
export function pinStanding(c: CaseState, standing: LabStanding | undefined): void {
  if (standing !== undefined && c.acceptedAt !== undefined && c.labStanding === undefined)
    c.labStanding = standing;
}

/** The facts the lab's record is due from this case and has not been told: its acceptance, then its closing. */
export function labFactsDue(c: CaseState, caseId: string): { step: 'ACCEPTED' | 'CLOSED'; fact: LabFact }[] {
  const told = c.labReported ?? [];
  const { submissionId } = c.submission;
  if (c.acceptedAt === undefined || c.policy === undefined) return [];
  const due: { step: 'ACCEPTED' | 'CLOSED'; fact: LabFact }[] = [];
  if (!told.includes('ACCEPTED')) {
    due.push({
      step: 'ACCEPTED',
      fact: {
        kind: 'CASE_ACCEPTED',
        caseId,
        submissionId,
        at: c.acceptedAt,
        policy: { id: c.policy.id, version: c.policy.version },
        status: c.labStanding?.status ?? 'PARTICIPANT',
        ...(c.submission.callbackUrl === undefined ? {} : { callbackUrl: c.submission.callbackUrl }),
      },
    });
  }
  if (
    c.stage === 'CLOSED' &&
    c.closedReason !== undefined &&
    c.closedAt !== undefined &&
    !told.includes('CLOSED')
  ) {
    due.push({
      step: 'CLOSED',
      fact: {
        kind: 'CASE_CLOSED',
        caseId,
        submissionId,
        at: c.closedAt,
        closedReason: c.closedReason,
        ...(c.determination === undefined ? {} : { outcome: c.determination.outcome }),
        ...(c.release === undefined ? {} : { releasedAt: c.release.releasedAt }),
        earlyRelease: c.release?.early === true,
      },
    });
  }
  return due;
}
