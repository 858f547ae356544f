import { endToll, meet } from '../deadlines';
import type { DecisionInput } from '../decisions';
import type { ReviewStageName } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { due, isDue, key, updateDeadline } from './clock';
import { record } from './record';
import type { AgencySlot, CaseState } from './state';

export const slotsOf = (c: CaseState, stage: ReviewStageName): AgencySlot[] =>
  c.agencies.filter((s) => s.stage === stage);

export const slotOf = (c: CaseState, stage: ReviewStageName, agency: string): AgencySlot | undefined =>
  c.agencies.find((s) => s.stage === stage && s.agency === agency);

export const openStage = (c: CaseState): ReviewStageName | undefined =>
  c.stage === 'NATIONAL_SECURITY' || c.stage === 'CIVILIAN' ? c.stage : undefined;

/** An agency's decision; the first one for a stage stands. */
export function recordDecision(
  c: CaseState,
  slot: AgencySlot,
  input: DecisionInput,
  actor: Actor,
  now: Date,
) {
  slot.decision = {
    kind: input.kind,
    summary: input.summary,
    restrictedNote: input.restrictedNote,
    commitments: input.commitments ?? [],
    recordedAt: iso(now),
    recordedBy: actor,
  };
  const k = key.agency(slot.stage, slot.agency);
  updateDeadline(c, k, (d) => meet(d, now));
  // A decision settles the agency's open information request: the lab's answer is no longer needed.
  for (const r of c.informationRequests) {
    if (r.agency === slot.agency && r.stage === slot.stage && r.status === 'OPEN') {
      r.status = 'CLOSED_BY_DECISION';
      updateDeadline(c, k, (d) => endToll(d, r.id, now));
      updateDeadline(c, key.information(r.id), (d) => meet(d, now));
    }
  }
  return record(c, now, actor, 'DECISION_RECORDED', `${slot.agency} recorded ${input.kind} in ${slot.stage}`);
}

/** Silence at an agency's deadline is NO_RESPONSE: flagged, never shown as a clearance. */
function recordSilence(c: CaseState, slot: AgencySlot, now: Date): void {
  const k = key.agency(slot.stage, slot.agency);
  slot.decision = {
    kind: 'NO_RESPONSE',
    summary: 'No response by the deadline.',
    commitments: [],
    recordedAt: iso(now),
    recordedBy: 'system',
    silentAfterCompression: c.compressedByLab?.includes(k) === true ? true : undefined,
  };
  updateDeadline(c, k, (d) => meet(d, now));
  record(c, now, 'system', 'NO_RESPONSE', `${slot.agency} did not respond by its ${slot.stage} deadline`);
}

/**
 * Time-driven progress of the open review stage: silent agencies at their deadlines, then, once every
 * agency has a position, the stage closes and the next one opens. Returns true when anything changed.
 */
export function advanceStage(c: CaseState, now: Date): boolean {
  const stage = openStage(c);
  if (stage === undefined) return false;
  let changed = false;
  for (const slot of slotsOf(c, stage)) {
    if (slot.decision === undefined && isDue(c, key.agency(stage, slot.agency), now)) {
      recordSilence(c, slot, now);
      changed = true;
    }
  }
  if (slotsOf(c, stage).some((s) => s.decision === undefined)) return changed;

  updateDeadline(c, key.stage(stage), (d) => meet(d, now));
  record(c, now, 'system', 'STAGE_CLOSED', `${stage} review closed`, { stage });
  if (stage === 'NATIONAL_SECURITY') {
    c.stage = 'CIVILIAN';
    // The civilian clock's due time is counted from acceptance; its at-risk share from when it opens.
    for (const k of [
      key.stage('CIVILIAN'),
      ...slotsOf(c, 'CIVILIAN').map((s) => key.agency('CIVILIAN', s.agency)),
    ]) {
      updateDeadline(c, k, (d) => ({ ...d, startsAt: iso(now) }));
    }
    record(c, now, 'system', 'STAGE_OPENED', 'civilian review opened', {
      stage: 'CIVILIAN',
      dueAt: iso(due(c, key.stage('CIVILIAN'), now)),
    });
  } else {
    c.stage = 'DETERMINATION';
    updateDeadline(c, key.determination, (d) => ({ ...d, startsAt: iso(now) }));
  }
  return true;
}
