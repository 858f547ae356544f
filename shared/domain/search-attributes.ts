import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The search attributes operations staff filter on. The dev server registers them at start-up
 * (see shared/node/dev-server.ts); an existing cluster needs them registered once by its operators.
 */
export const SA = {
  stage: defineSearchAttributeKey('ReviewStage', SearchAttributeType.KEYWORD),
  lab: defineSearchAttributeKey('ReviewLab', SearchAttributeType.KEYWORD),
  /** The lab's own submission id (set at start from release 2; the case id carries the lab too). */
  submission: defineSearchAttributeKey('ReviewSubmission', SearchAttributeType.KEYWORD),
  policy: defineSearchAttributeKey('ReviewPolicy', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('ReviewNextDeadline', SearchAttributeType.DATETIME),
  windowEnd: defineSearchAttributeKey('ReviewWindowEnd', SearchAttributeType.DATETIME),
  atRisk: defineSearchAttributeKey('ReviewAtRisk', SearchAttributeType.BOOL),
  overdue: defineSearchAttributeKey('ReviewOverdue', SearchAttributeType.BOOL),
  outcome: defineSearchAttributeKey('ReviewOutcome', SearchAttributeType.KEYWORD),
  callbackFailing: defineSearchAttributeKey('ReviewCallbackFailing', SearchAttributeType.BOOL),
  flags: defineSearchAttributeKey('ReviewFlags', SearchAttributeType.KEYWORD_LIST),
  /** Agencies whose decision the open stage still waits for. */
  awaiting: defineSearchAttributeKey('ReviewAwaiting', SearchAttributeType.KEYWORD_LIST),
  /** Whose the next deadline is (`lab`, `agency:NSA`, `chair`, ...), so a list names it without reading the case. */
  nextParty: defineSearchAttributeKey('ReviewNextParty', SearchAttributeType.KEYWORD),
  /**
   * A clearinghouse finding's state (RECEIVED, VALIDATED, ...), and the case id of its review. A finding's
   * workflow also sets ReviewLab, ReviewNextDeadline, ReviewOverdue and ReviewFlags (VALIDATION_OVERDUE,
   * REMEDIATION_OVERDUE): lists tell cases and findings apart by WorkflowType.
   */
  findingState: defineSearchAttributeKey('FindingState', SearchAttributeType.KEYWORD),
  findingCase: defineSearchAttributeKey('FindingCase', SearchAttributeType.KEYWORD),
  /**
   * A tracked item's state and owner: a commitment's (OPEN, ATTESTED, ..., and `agency:NSA` or `chair`). SQL
   * visibility has ten Keyword columns, so later kinds of item share these two rather than take their own. A
   * commitment also sets ReviewLab and ReviewSubmission (its case), ReviewOverdue, ReviewFlags,
   * ReviewNextDeadline and ReviewNextParty; lists tell the kinds apart by WorkflowType.
   */
  itemState: defineSearchAttributeKey('ItemState', SearchAttributeType.KEYWORD),
  itemOwner: defineSearchAttributeKey('ItemOwner', SearchAttributeType.KEYWORD),
} as const;

/** Server-side type names, as `temporal server start-dev --search-attribute Name=Type` spells them. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export const searchAttributeDefinitions = (): { name: string; type: string }[] =>
  Object.values(SA).map((k) => ({ name: k.name, type: CLI_TYPE[k.type] }));
