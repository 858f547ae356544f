/**
 * The flags a case can carry, in the order its status lists them. Apart from the schema (./state.ts), so that
 * the workflow, which computes flags and never parses them, does not build it.
 */
export const FLAGS = [
  'SHORT_NOTICE',
  'AT_RISK',
  'OVERDUE',
  'ESCALATED',
  'CHAIR_DID_NOT_RESOLVE',
  'WINDOW_AT_RISK',
  'NO_RESPONSE',
  'INFORMATION_OVERDUE',
  'FUNDING_LAPSE',
  'EARLY_RELEASE',
  'CALLBACK_FAILING',
  /** Rules 2: an advisory agency recorded CONCERNS_UNRESOLVED (it never changes the outcome). */
  'ADVISORY_CONCERNS',
  /** Rules 2: a declared closure of federal offices is in force now or ahead. */
  'CLOSURE',
  /** Rules 2: the window's end cut short at least one required review. */
  'REVIEW_CUT_SHORT',
] as const;
export type Flag = (typeof FLAGS)[number];
