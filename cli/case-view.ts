import type { CaseView, LabCaseView } from '../shared/api/responses';
import { describeActedBy } from '../shared/domain/acted-by';
import { cut, fields, heading, list, relative, table, when, type Cell } from './output';

export type AnyCaseView = CaseView | LabCaseView;
type DeadlineView = AnyCaseView['deadlines'][number];

/** What moved a deadline: tolled intervals, extensions, when it was met. */
function ledger(d: DeadlineView): string | undefined {
  const parts = [
    ...d.tolls.map((t) => `tolled ${when(t.from)}–${t.to === undefined ? 'open' : when(t.to)} (${t.reason})`),
    ...d.extensions.map((e) => `+${e.days}d by ${e.who}`),
    ...(d.metAt === undefined ? [] : [`met ${when(d.metAt)}`]),
  ];
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** A due time with how far it is from the case's `asOf`; a met deadline needs no countdown. */
const due = (iso: string, asOf: string, met = false): string =>
  met ? `${when(iso)}` : `${when(iso)} (${relative(iso, asOf)})`;

function model(v: AnyCaseView): string {
  const m = v.model;
  const compute =
    m.trainingComputeFlop === undefined ? undefined : `${m.trainingComputeFlop.toExponential()} FLOP`;
  const cyber = m.cyberBenchmarkScore === undefined ? undefined : `cyber benchmark ${m.cyberBenchmarkScore}`;
  const details = [compute, cyber].filter((x) => x !== undefined).join(', ');
  return `${[m.name, m.version].filter((x) => x !== undefined).join(' ')}${details === '' ? '' : ` (${details})`}`;
}

/** The screen's proposal and the designating agency's call (rules 3). */
function designation(v: AnyCaseView): string | undefined {
  const d = v.designation;
  if (d === undefined) return undefined;
  const way = (covered: boolean) => (covered ? 'covered' : 'not covered');
  if (d.decision === undefined) {
    return `${d.agency} designates by ${due(d.dueAt, v.asOf)}; the screen proposes ${way(d.proposal.covered)}`;
  }
  const by = d.decision.source === 'AGENCY' ? `by ${d.agency}` : `(${d.agency} silent: the proposal stood)`;
  const score =
    'benchmarkScore' in d && d.benchmarkScore !== undefined
      ? `; benchmark score ${d.benchmarkScore}`
      : 'benchmarkScoreWithheld' in d && d.benchmarkScoreWithheld === true
        ? '; benchmark score withheld'
        : '';
  return `${way(d.decision.covered)} ${by} ${when(d.decision.at)}: ${d.decision.reason}${score}`;
}

function summary(v: AnyCaseView): string {
  const escalation =
    v.escalation === undefined
      ? undefined
      : `${when(v.escalation.at)}${'unresolvedAgencies' in v.escalation ? `, unresolved: ${v.escalation.unresolvedAgencies.join(', ')}` : ''}` +
        (v.escalation.resolvedAt === undefined
          ? ', awaiting the chair'
          : `, resolved ${when(v.escalation.resolvedAt)}`);
  const release =
    v.release === undefined
      ? `planned ${when(v.plannedReleaseDate)}`
      : `released ${when(v.release.releasedAt)}${v.release.early ? ' (early)' : ''}`;
  const cb = v.callbacks;
  const failing =
    cb.failing === undefined
      ? ''
      : `; FAILING since ${when(cb.failing.at)}: ${cb.failing.eventId}: ${cb.failing.error}`;
  const pairs: [string, Cell][] = [
    ['lab', v.labId],
    ['model', model(v)],
    ['stage', v.stage],
    ['closed', v.closedReason === undefined ? undefined : `${v.closedReason} ${when(v.closedAt) ?? ''}`],
    [
      'policy',
      v.policy === undefined ? `${v.requestedPolicyId} (requested)` : `${v.policy.id} v${v.policy.version}`,
    ],
    ['flags', list(v.flags) ?? 'none'],
    [
      'next deadline',
      v.nextDeadline === undefined
        ? undefined
        : `${v.nextDeadline.key} (${v.nextDeadline.party}) ${due(v.nextDeadline.dueAt, v.asOf)}`,
    ],
    ['received', when(v.receivedAt)],
    ['accepted', when(v.acceptedAt)],
    ['window end', v.windowEnd === undefined ? undefined : due(v.windowEnd, v.asOf, v.stage === 'CLOSED')],
    ['release', release],
    [
      'screen',
      v.screen === undefined
        ? undefined
        : `${v.screen.covered ? 'covered' : 'not covered'}: ${v.screen.reason}`,
    ],
    ['designation', designation(v)],
    [
      'deficiency',
      v.deficiency === undefined
        ? undefined
        : `missing ${v.deficiency.gaps.join(', ')}; supplement due ${due(v.deficiency.supplementDue, v.asOf)}`,
    ],
    ['escalated', escalation],
    ['previous', v.previousSubmissionId],
    ['callbacks', `${cb.delivered} of ${cb.events} delivered, ${cb.pending} pending${failing}`],
  ];
  return fields(pairs);
}

function agencies(v: AnyCaseView): string {
  if (v.view === 'lab') {
    return table(
      ['agency', 'stage', 'state', 'due'],
      v.agencies.map((a) => [a.agency, a.stage, a.state, due(a.dueAt, v.asOf, a.state === 'DECIDED')]),
    );
  }
  return table(
    ['agency', 'stage', 'state', 'due', 'urgency', 'decision', 'summary'],
    v.agencies.map((a) => [
      a.required ? a.agency : `${a.agency} (optional)`,
      a.stage,
      a.state,
      due(a.dueAt, v.asOf, a.urgency === 'MET'),
      a.urgency,
      a.decision === undefined
        ? undefined
        : `${a.decision.kind}${a.decision.restrictedNoteWithheld === true ? ' (restricted note withheld)' : ''}`,
      a.decision === undefined ? undefined : cut(a.decision.summary, 60),
    ]),
  );
}

function determination(v: AnyCaseView): string {
  const d = v.determination;
  if (d === undefined) return '';
  return (
    heading('Determination') +
    fields([
      ['outcome', d.outcome],
      ['issued', `${when(d.issuedAt)} by ${d.by}`],
      ['rationale', d.rationale],
      ['commitments', list(d.commitments) ?? 'none'],
      ['flags', list(d.flags)],
    ]) +
    (d.agencySummaries.length === 0
      ? ''
      : table(
          ['agency', 'position', 'summary'],
          d.agencySummaries.map((s) => [s.agency, s.kind, cut(s.summary, 80)]),
        )) +
    // Rules 4: each commitment is tracked on its own (`commitment show <id>`), with its owner.
    (d.owned === undefined || d.owned.length === 0
      ? ''
      : table(
          ['commitment', 'owner', 'text'],
          d.owned.map((o) => [o.commitmentId, o.owner, cut(o.text, 80)]),
        ))
  );
}

/** Sections that only appear when the case has something in them. */
function extras(v: AnyCaseView): string {
  let text = '';
  if (v.informationRequests.length > 0) {
    text +=
      heading('Information requests') +
      table(
        ['id', 'agency', 'status', 'asked', 'due', 'questions'],
        v.informationRequests.map((r) => [
          r.id,
          r.agency,
          r.status,
          when(r.askedAt),
          r.status === 'OPEN' ? due(r.dueAt, v.asOf) : when(r.dueAt),
          cut(r.questions.join(' | '), 60),
        ]),
      );
  }
  if (v.extensionOffers.length > 0) {
    text +=
      heading('Window extension offers') +
      table(
        ['id', 'offered', 'proposed window end', 'response'],
        v.extensionOffers.map((o) => [
          o.id,
          when(o.offeredAt),
          when(o.proposedWindowEnd),
          o.response ?? 'awaiting the lab',
        ]),
      );
  }
  if (v.fundingLapses.length > 0) {
    text +=
      heading('Funding lapses') +
      table(
        ['id', 'reason', 'from', 'to'],
        v.fundingLapses.map((l) => [l.id, l.reason, when(l.from), when(l.to) ?? 'open']),
      );
  }
  return text;
}

/** The principal, and who acted for it where the view shows it (a government view; never the lab's). */
function actorCell(e: AnyCaseView['timeline'][number]): string {
  const by = (e as CaseView['timeline'][number]).by;
  return by === undefined ? e.actor : `${e.actor} (${describeActedBy(by)})`;
}

function timeline(v: AnyCaseView, tail: number): string {
  const shown = tail === Infinity ? v.timeline : v.timeline.slice(Math.max(0, v.timeline.length - tail));
  const title =
    shown.length === v.timeline.length
      ? `Timeline (${v.timeline.length} entries)`
      : `Timeline (last ${shown.length} of ${v.timeline.length}; --timeline all for every entry)`;
  return (
    heading(title) +
    table(
      ['seq', 'at', 'actor', 'type', 'summary'],
      // Who acted beside the principal, where the view shows it (never the lab's).
      shown.map((e) => [
        e.seq,
        when(e.at),
        actorCell(e),
        e.type,
        cut(e.summary, 80),
      ]),
    )
  );
}

/** One case as a person reads it: the summary, deadlines, agencies, then what happened last. */
export function renderCase(v: AnyCaseView, timelineTail: number): string {
  const deadlines = table(
    ['deadline', 'party', 'due', 'urgency', 'ledger'],
    v.deadlines.map((d) => [
      d.key,
      d.party,
      due(d.dueAt, v.asOf, d.metAt !== undefined),
      d.urgency,
      ledger(d),
    ]),
  );
  return (
    `Case ${v.caseId} (${v.view} view, as of ${when(v.asOf)})\n\n` +
    summary(v) +
    heading('Deadlines') +
    deadlines +
    heading('Agencies') +
    agencies(v) +
    determination(v) +
    extras(v) +
    timeline(v, timelineTail)
  );
}
