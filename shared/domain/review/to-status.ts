import type { Deadline } from '../deadlines';
import { urgency } from '../deadlines';
import { iso } from '../time';
import { closureAhead } from './closures';
import { contextOf, due, dueOf, key, openDeadlines, urgencyOf } from './clock';
import { corrected, rulesOf } from './rules';
import { shownDeadline } from './stage-time';
import { watchedDeadlines } from './wake';
import { windowEnd } from './window';
import { callbackFailing, callbackView } from './callbacks';
import { windowAtRisk } from './extensions';
import { FLAGS, type Flag } from './flags';
import type { CaseState } from './state';
import type { ReviewStatus } from './status';

/**
 * How a case's state reads from outside: its status (the status query), its flags and the next deadline (its
 * search attributes). Kept apart from the status's schema (./status.ts), which the workflow never parses.
 */

export function flagsOf(c: CaseState, now: Date): Flag[] {
  const flags = new Set<Flag>();
  if (c.shortNotice) flags.add('SHORT_NOTICE');
  if (c.stage !== 'CLOSED') {
    for (const d of watchedDeadlines(c, now)) {
      const u = urgency(d, now, c.policy?.atRiskFraction, contextOf(c, c.deadlines[d.key]));
      if (u === 'AT_RISK') flags.add('AT_RISK');
      if (u === 'OVERDUE') flags.add('OVERDUE');
    }
    if (closureAhead(c, now)) flags.add('CLOSURE');
    if (windowAtRisk(c, now)) flags.add('WINDOW_AT_RISK');
    if (c.fundingLapses.some((l) => l.to === undefined)) flags.add('FUNDING_LAPSE');
    if (c.informationRequests.some((r) => r.status === 'OPEN' && r.overdueNoticeAt !== undefined)) {
      flags.add('INFORMATION_OVERDUE');
    }
  }
  if (c.escalation !== undefined && c.escalation.resolvedAt === undefined && c.determination === undefined) {
    flags.add('ESCALATED');
  }
  for (const f of c.determination?.flags ?? []) flags.add(f);
  if (c.agencies.some((s) => s.decision?.kind === 'NO_RESPONSE')) flags.add('NO_RESPONSE');
  if (c.release?.early === true) flags.add('EARLY_RELEASE');
  if (corrected(c) && c.agencies.some((s) => !s.required && s.decision?.kind === 'CONCERNS_UNRESOLVED')) {
    flags.add('ADVISORY_CONCERNS');
  }
  if (callbackFailing(c)) flags.add('CALLBACK_FAILING');
  return FLAGS.filter((f) => flags.has(f));
}

/** The earliest due time among deadlines that still bind someone. */
export function nextDeadlineOf(c: CaseState, now: Date): ReviewStatus['nextDeadline'] {
  if (c.stage === 'CLOSED') return undefined;
  const next = openDeadlines(c)
    .map((d) => ({ key: d.key, party: d.party, dueAt: dueOf(c, d, now) }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return next && { key: next.key, party: next.party, dueAt: iso(next.dueAt) };
}

function agencyState(
  c: CaseState,
  s: CaseState['agencies'][number],
): ReviewStatus['agencies'][number]['state'] {
  if (s.decision !== undefined) return 'DECIDED';
  if (c.stage === 'CLOSED' || c.determination !== undefined) return 'UNDECIDED';
  if (c.stage !== s.stage) return 'NOT_OPEN';
  const waiting = c.informationRequests.some(
    (r) => r.agency === s.agency && r.stage === s.stage && r.status === 'OPEN',
  );
  return waiting ? 'WAITING_FOR_LAB' : 'REVIEWING';
}

export function toStatus(c: CaseState, now: Date): ReviewStatus {
  const s = c.submission;
  // Under rules 2 a stage's deadline is shown as it binds: its own, or an extended agency's later one.
  const shown = (d: Deadline): Deadline => shownDeadline(c, d, now);
  return {
    asOf: iso(now),
    submissionId: s.submissionId,
    labId: s.labId,
    model: s.model,
    callbackUrl: s.callbackUrl,
    previousSubmissionId: s.previousSubmissionId,
    stage: c.stage,
    closedReason: c.closedReason,
    closedAt: c.closedAt,
    requestedPolicyId: s.policyId,
    policy: c.policy && { id: c.policy.id, version: c.policy.version },
    rules: rulesOf(c),
    labStanding: c.labStanding,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    plannedReleaseDate: s.plannedReleaseDate,
    windowEnd: c.acceptedAt === undefined ? undefined : iso(windowEnd(c)),
    screen: c.screen,
    designation: c.designation && { ...c.designation, dueAt: iso(due(c, key.designation, now)) },
    deficiency: c.deficiency && { ...c.deficiency, supplementDue: iso(due(c, key.supplement, now)) },
    agencies: c.agencies.map((slot) => {
      const k = key.agency(slot.stage, slot.agency);
      return {
        ...slot,
        state: agencyState(c, slot),
        dueAt: iso(due(c, k, now)),
        urgency: urgencyOf(c, k, now),
      };
    }),
    deadlines: Object.values(c.deadlines).map((d) => ({
      ...d,
      dueAt: iso(dueOf(c, shown(d), now)),
      urgency: urgency(shown(d), now, c.policy?.atRiskFraction, contextOf(c, d)),
    })),
    nextDeadline: nextDeadlineOf(c, now),
    informationRequests: c.informationRequests,
    extensionOffers: c.extensionOffers,
    fundingLapses: c.fundingLapses,
    closures: c.closures ?? [],
    escalation: c.escalation,
    determination: c.determination,
    release: c.release,
    flags: flagsOf(c, now),
    timeline: c.timeline,
    callbacks: callbackView(c),
  };
}
