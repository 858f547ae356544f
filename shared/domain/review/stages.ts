import { endToll, meet, shift } from '../deadlines';
import type { DecisionInput } from '../decisions';
import type { ReviewStageName } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { deadline, due, isDue, isGovernment, key, openDeadlines, uncappedDue, updateDeadline } from './clock';
import { labDeadlines } from './lab-deadlines';
import { record } from './record';
import { openStage, slotsOf, undecidedRequired } from './roster';
import { calendarOf, corrected, countsPrecisely } from './rules';
import { wallDays } from '../washington/zone';
import { isLater } from './stage-time';
import type { AgencySlot, CaseState } from './state';

export { openStage, slotOf, slotsOf } from './roster';

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
 * Rules 2: the window's end came before the agency's own deadline (it was capped there): its review was cut
 * short, which is not silence.
 */
export const cutShortByWindow = (c: CaseState, slot: AgencySlot, now: Date): boolean =>
  isDue(c, key.window, now) &&
  uncappedDue(c, deadline(c, key.agency(slot.stage, slot.agency)), now).getTime() > now.getTime();

/**
 * When a stage's last required position came: a decision when it was recorded, a silence when the agency's
 * deadline fell due (not the moment the timer's task ran, which may be a little later).
 */
function closedAt(c: CaseState, stage: ReviewStageName, now: Date): number {
  const times = slotsOf(c, stage)
    .filter((s) => s.required && s.decision !== undefined)
    .map((s) =>
      s.decision!.kind === 'NO_RESPONSE'
        ? Math.min(now.getTime(), due(c, key.agency(stage, s.agency), now).getTime())
        : Date.parse(s.decision!.recordedAt),
    );
  return times.length === 0 ? now.getTime() : Math.max(...times);
}

/**
 * Rules 2: a stage that closes after its own deadline (an agency's deadline ran past it) moves every later
 * government deadline by the delay, so the next stage and the determination keep their time.
 */
function protectLaterDeadlines(c: CaseState, stage: ReviewStageName, now: Date): number {
  const ownDue = due(c, key.stage(stage), now).getTime();
  const closed = closedAt(c, stage, now);
  const delay = closed - ownDue;
  if (delay <= 0) return 0;
  // Rules 7: whole days on Washington's wall clock, rounded up, from each due date as it stands.
  const cal = countsPrecisely(c) ? calendarOf(c) : undefined;
  const days = cal === undefined ? {} : { days: Math.max(1, Math.ceil(wallDays(cal.zone, ownDue, closed))) };
  const s = { id: `${stage}-overrun`, reason: 'STAGE_OVERRUN' as const, ms: delay, at: iso(now), ...days };
  for (const d of openDeadlines(c).filter((x) => isGovernment(x) && isLater(c, x))) {
    c.deadlines[d.key] = shift(d, s);
  }
  return delay;
}

/**
 * Time-driven progress of the open review stage: silent agencies at their deadlines, then, once every
 * agency has a position, the stage closes and the next one opens. Returns true when anything changed.
 * Under rules 2 only the required agencies hold a stage open, and the stage's overrun moves what follows.
 */
export function advanceStage(c: CaseState, now: Date): boolean {
  const stage = openStage(c);
  if (stage === undefined) return false;
  let changed = false;
  for (const slot of slotsOf(c, stage)) {
    if (slot.decision !== undefined || !isDue(c, key.agency(stage, slot.agency), now)) continue;
    if (corrected(c) && cutShortByWindow(c, slot, now)) continue;
    recordSilence(c, slot, now);
    changed = true;
  }
  const holding = corrected(c) ? undecidedRequired(c, stage) : slotsOf(c, stage).filter((s) => !s.decision);
  if (holding.length > 0) return changed;

  if (corrected(c)) {
    // An advisory agency still reviewing has no more say in this stage.
    for (const slot of slotsOf(c, stage).filter((s) => s.decision === undefined)) {
      updateDeadline(c, key.agency(stage, slot.agency), (d) => meet(d, now));
    }
    const delay = protectLaterDeadlines(c, stage, now);
    updateDeadline(c, key.stage(stage), (d) => meet(d, now));
    record(c, now, 'system', 'STAGE_CLOSED', `${stage} review closed`, {
      stage,
      ...(delay > 0 ? { lateByMs: delay, deadlines: labDeadlines(c, now) } : {}),
    });
  } else {
    updateDeadline(c, key.stage(stage), (d) => meet(d, now));
    record(c, now, 'system', 'STAGE_CLOSED', `${stage} review closed`, { stage });
  }
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
