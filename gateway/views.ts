import { audienceOf } from '../shared/domain/review/events';
import type { ReviewStatus } from '../shared/domain/review/status';
import type { Caller } from './auth';
import { isSealedNote } from '../shared/domain/sealed';
import type { KeyRing } from '../shared/node/key-ring';
import { openNote } from '../shared/node/note-seal';
import { ApiError } from './problem';
import type { CaseView, LabCaseView } from '../shared/api/responses';

/**
 * Who may read what of one case (domain.md section 2). Called after the case was read from the workflow;
 * throws the refusal for a caller who may not read it at all.
 *
 * - A lab reads only its own cases; another lab's case is "not found", so ids reveal nothing.
 * - An agency reads the cases whose rosters name it. A restricted note is read by the agencies on the
 *   roster of the stage it was recorded in, and by the chair: national-security notes never reach civilian
 *   agencies, labs or operations staff.
 * - Operations staff read everything but the content of restricted notes; they see that one exists.
 */
export function viewFor(caller: Caller, status: ReviewStatus, notes: KeyRing): LabCaseView | CaseView {
  switch (caller.role) {
    case 'lab':
      if (status.labId !== caller.id) throw new ApiError('CASE_NOT_FOUND');
      return labView(status);
    case 'agency': {
      const stages = new Set(status.agencies.filter((a) => a.agency === caller.id).map((a) => a.stage));
      if (stages.size === 0)
        throw new ApiError('FORBIDDEN', `${caller.id} is not on this case's review rosters`);
      return governmentView(status, 'agency', notes, (stage) => stages.has(stage));
    }
    case 'chair':
      return governmentView(status, 'chair', notes, () => true);
    case 'ops':
      return governmentView(status, 'ops', notes, () => false);
  }
}

/** A sealed note's text; a release-1 case recorded its notes before they were sealed. */
const textOf = (notes: KeyRing, note: string): string => (isSealedNote(note) ? openNote(notes, note) : note);

function governmentView(
  s: ReviewStatus,
  view: CaseView['view'],
  notes: KeyRing,
  readsNotesOf: (stage: string) => boolean,
): CaseView {
  return {
    ...s,
    view,
    agencies: s.agencies.map((a) => {
      if (a.decision?.restrictedNote === undefined) return a;
      const { restrictedNote, ...decision } = a.decision;
      if (readsNotesOf(a.stage))
        return { ...a, decision: { ...decision, restrictedNote: textOf(notes, restrictedNote) } };
      return { ...a, decision: { ...decision, restrictedNoteWithheld: true as const } };
    }),
  };
}

function labView(s: ReviewStatus): LabCaseView {
  const { agencies, escalation, timeline, ...rest } = s;
  return {
    ...rest,
    view: 'lab',
    agencies: agencies.map(({ agency, stage, state, dueAt }) => ({ agency, stage, state, dueAt })),
    escalation: escalation && { at: escalation.at, resolvedAt: escalation.resolvedAt },
    // The events the lab is told about (events.ts), each with the summary written for the lab.
    timeline: timeline.flatMap(({ labSummary, ...e }) =>
      audienceOf(e.type) === 'lab' ? [{ ...e, summary: labSummary ?? e.summary }] : [],
    ),
  };
}
