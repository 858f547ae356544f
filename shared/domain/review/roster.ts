import type { ReviewStageName } from '../policy';
import type { AgencySlot, CaseState } from './state';

/** The agencies reviewing in a stage. */
export const slotsOf = (c: CaseState, stage: ReviewStageName): AgencySlot[] =>
  c.agencies.filter((s) => s.stage === stage);

export const slotOf = (c: CaseState, stage: ReviewStageName, agency: string): AgencySlot | undefined =>
  c.agencies.find((s) => s.stage === stage && s.agency === agency);

/** The review stage open now, if any. */
export const openStage = (c: CaseState): ReviewStageName | undefined =>
  c.stage === 'NATIONAL_SECURITY' || c.stage === 'CIVILIAN' ? c.stage : undefined;

/** Required agencies of a stage that have no position yet. */
export const undecidedRequired = (c: CaseState, stage: ReviewStageName): AgencySlot[] =>
  slotsOf(c, stage).filter((s) => s.required && s.decision === undefined);
