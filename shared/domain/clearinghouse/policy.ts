import { FEDERAL_HOLIDAYS_2025_2040 } from '../washington/federal-holidays';
import type { Holiday } from '../washington/holidays';

/**
 * The clearinghouse's policy (issue 15): versioned data, pinned by a finding when it is filed, as a case pins
 * its review policy. A new version is a new entry; an entry is never changed once findings run under it.
 */
export interface ClearinghousePolicy {
  id: string;
  /** The agencies that run the clearinghouse: they validate, reject, coordinate and disclose. */
  clearinghouse: readonly string[];
  /** Validation or rejection is due at close of business this many Washington business days after filing. */
  validationBusinessDays: number;
  /** A validated finding is due remediated this many calendar days after validation (end of that day). */
  remediationDays: number;
  /** The one extension the lab may ask for, in calendar days. */
  extensionDays: number;
  /**
   * The disclosure rule: an overdue remediation is disclosed (TLP:CLEAR) this many calendar days after its
   * deadline passed, unless remediated first. 0 discloses at the deadline.
   */
  disclosureAfterOverdueDays: number;
  closeOfBusiness: string;
  holidays: readonly Holiday[];
}

export const CLEARINGHOUSE_POLICIES: Readonly<Record<string, ClearinghousePolicy>> = {
  'clearinghouse-2026-1': {
    id: 'clearinghouse-2026-1',
    clearinghouse: ['TREASURY', 'NSA', 'CISA'],
    validationBusinessDays: 5,
    remediationDays: 90,
    extensionDays: 30,
    disclosureAfterOverdueDays: 14,
    closeOfBusiness: '17:00',
    holidays: FEDERAL_HOLIDAYS_2025_2040,
  },
};

/** The policy a finding filed now falls under. */
export const CURRENT_CLEARINGHOUSE_POLICY = 'clearinghouse-2026-1';

/** The agencies of the clearinghouse under the policy in force: those who list every finding and take its steps. */
export const clearinghouseAgencies = (): readonly string[] =>
  CLEARINGHOUSE_POLICIES[CURRENT_CLEARINGHOUSE_POLICY].clearinghouse;
