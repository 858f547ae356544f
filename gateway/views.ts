import type { CallbackAttempt, CaseView, LabCaseView } from '../shared/api/responses';
import { audienceOf } from '../shared/domain/review/events';
import type { ReviewStatus } from '../shared/domain/review/status';
import { isSealedNote } from '../shared/domain/sealed';
import type { NoteOpener } from '../shared/node/note-seal';
import { BENCHMARK_SCORE_FIELD, restrictedNoteField } from './note-places';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { VIEW_POLICY, type ViewRules } from './view-policy';

/**
 * One case as the caller's role may see it, following the declared view policy (view-policy.ts). Throws "not
 * found" for a case the caller may not read at all, so an id reveals nothing.
 */
/** A case this caller may not read is not found (the answer reveals nothing of it). */
export function assertMayRead(
  caller: Caller,
  status: ReviewStatus,
): { rules: ViewRules; stages: ReadonlySet<string> } {
  // An administrator manages keys and reads no case (closed by default for any role the policy does not name).
  if (caller.role === 'admin' || caller.role === 'operator') throw new ApiError('CASE_NOT_FOUND');
  const rules = VIEW_POLICY[caller.role];
  const stages = new Set(status.agencies.filter((a) => a.agency === caller.id).map((a) => a.stage));
  // The designating agency reads the case it designates, before any roster is set.
  if (status.designation?.agency === caller.id) stages.add('DESIGNATION');
  const mayRead =
    rules.cases === 'all' ||
    (rules.cases === 'own' && status.labId === caller.id) ||
    (rules.cases === 'onRoster' && stages.size > 0);
  if (!mayRead) throw new ApiError('CASE_NOT_FOUND');
  return { rules, stages };
}

export function viewFor(
  caller: Caller,
  caseId: string,
  status: ReviewStatus,
  notes: NoteOpener,
  attempt?: CallbackAttempt,
): LabCaseView | CaseView {
  const { rules, stages } = assertMayRead(caller, status);
  if (caller.role === 'lab') {
    const { lastError: _detail, ...forLab } = attempt ?? {};
    return {
      caseId,
      ...labView(status, rules),
      ...(attempt && { callbackAttempt: forLab as typeof attempt }),
    };
  }
  return {
    caseId,
    ...governmentView(status, caller.role as 'agency' | 'chair' | 'ops', rules, notes, (stage) =>
      stages.has(stage),
    ),
    ...(attempt && { callbackAttempt: attempt }),
  };
}

/**
 * A sealed note's text, opened at the field it is read from (a seal moved there from elsewhere does not open:
 * undefined, shown withheld); a release-1 case recorded its notes before they were sealed.
 */
const textOf = (notes: NoteOpener, note: string, field: string): string | undefined =>
  isSealedNote(note) ? notes.open(note, field) : note;

function governmentView(
  s: ReviewStatus,
  view: CaseView['view'],
  rules: ViewRules,
  notes: NoteOpener,
  onOwnRoster: (stage: string) => boolean,
): Omit<CaseView, 'caseId'> {
  const readsNotesOf = (stage: string) =>
    rules.restrictedNotes === 'all' || (rules.restrictedNotes === 'ownStage' && onOwnRoster(stage));
  const seesMaterialOf = (stage: string) => rules.stageMaterial === 'all' || onOwnRoster(stage);
  const timeline = s.timeline.filter((e) => {
    const audience = audienceOf(e.type);
    return rules.timeline === 'all' || audience !== 'operations';
  });
  return {
    ...s,
    view,
    designation: designationView(
      s.designation,
      notes,
      readsNotesOf('DESIGNATION') || readsNotesOf('NATIONAL_SECURITY'),
    ),
    agencies: s.agencies.map((a) => {
      if (a.decision?.restrictedNote === undefined) return a;
      const { restrictedNote, ...decision } = a.decision;
      const text = readsNotesOf(a.stage)
        ? textOf(notes, restrictedNote, restrictedNoteField(a.agency))
        : undefined;
      if (text !== undefined) return { ...a, decision: { ...decision, restrictedNote: text } };
      return { ...a, decision: { ...decision, restrictedNoteWithheld: true as const } };
    }),
    // Another stage's questions, the lab's answers to them and its agencies' reasons are that stage's.
    informationRequests: s.informationRequests.filter((r) => seesMaterialOf(r.stage)),
    timeline: timeline.map((e) =>
      e.type === 'CLOCK_EXTENDED' &&
      !seesMaterialOf(stageOfExtension(s, e.actor)) &&
      e.labSummary !== undefined
        ? { ...e, summary: e.labSummary }
        : e,
    ),
    callbacks: rules.callbackFailures === 'detail' ? s.callbacks : categoriesOnly(s.callbacks),
  };
}

/**
 * The designation as a government reader sees it: the benchmark's score opened for the designating agency, the
 * national-security roster and the chair; for anyone else only the fact that it exists.
 */
function designationView(
  d: ReviewStatus['designation'],
  notes: NoteOpener,
  readsScore: boolean,
): CaseView['designation'] {
  if (d === undefined) return undefined;
  const { benchmarkScore, ...rest } = d;
  if (benchmarkScore === undefined) return rest;
  const text = readsScore ? textOf(notes, benchmarkScore, BENCHMARK_SCORE_FIELD) : undefined;
  if (text === undefined) return { ...rest, benchmarkScoreWithheld: true };
  return { ...rest, benchmarkScore: Number(text) };
}

/** The stage an agency's extension was in: the stage whose roster names the agency. */
const stageOfExtension = (s: ReviewStatus, actor: string): string =>
  s.agencies.find((a) => `agency:${a.agency}` === actor)?.stage ?? '';

/** Callback failures as categories: which addresses answered how is for operations staff only. */
function categoriesOnly(cb: ReviewStatus['callbacks']): ReviewStatus['callbacks'] {
  return {
    ...cb,
    failing: cb.failing && { ...cb.failing, error: cb.failing.category },
    deliveries: cb.deliveries.map(({ error, httpStatus, ...d }) =>
      d.status === 'FAILED' ? { ...d, error: d.category } : { ...d, httpStatus },
    ),
  };
}

function labView(s: ReviewStatus, rules: ViewRules): Omit<LabCaseView, 'caseId'> {
  const { agencies, escalation, timeline, designation, ...rest } = s;
  const cb = categoriesOnly(s.callbacks);
  return {
    ...rest,
    view: 'lab',
    agencies: agencies.map(({ agency, stage, state, dueAt }) => ({ agency, stage, state, dueAt })),
    // The benchmark's score is the designating agency's restricted field: never the lab's.
    ...(designation && { designation: (({ benchmarkScore: _restricted, ...d }) => d)(designation) }),
    escalation: escalation && { at: escalation.at, resolvedAt: escalation.resolvedAt },
    fundingLapses: s.fundingLapses.map(({ reason: _internal, ...l }) =>
      rules.operationsNotes ? { ...l, reason: _internal } : { ...l, reason: 'funding lapse' },
    ),
    closures: s.closures.map(({ reason: _internal, ...x }) =>
      rules.operationsNotes ? { ...x, reason: _internal } : { ...x, reason: 'closure of federal offices' },
    ),
    callbacks: cb,
    // The events the lab is told about (events.ts), each with the summary written for the lab.
    // Never who in an agency acted (issue 36): the lab learns the agency, not the reviewer.
    timeline: timeline.flatMap(({ labSummary, by: _who, signed: _signed, ...e }) =>
      audienceOf(e.type) === 'lab' ? [{ ...e, summary: labSummary ?? e.summary }] : [],
    ),
  };
}
