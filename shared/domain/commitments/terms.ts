import { z } from 'zod';
import { DayCount } from '../day-count';

/**
 * Policy data from version 4 (issue 14): how a commitment of a determination is kept. The lab attests within
 * `due` of the determination (calendar days end at 24:00 in Washington, business days at close of business);
 * the owning agency (or the chair, for its own) confirms or disputes within `confirmWithin` of the
 * attestation, and its silence confirms. An overdue commitment stays overdue until the lab attests.
 */
export const CommitmentTerms = z.object({
  due: DayCount,
  confirmWithin: DayCount,
});
export type CommitmentTerms = z.infer<typeof CommitmentTerms>;

/** The terms of policy version 4, and of a case whose pinned policy predates them. */
export const DEFAULT_COMMITMENT_TERMS: CommitmentTerms = {
  due: { days: 30, calendar: 'CALENDAR_DAYS' },
  confirmWithin: { days: 10, calendar: 'BUSINESS_DAYS' },
};
