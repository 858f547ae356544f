import { z } from 'zod';
import { IsoDate } from '../washington/zone';
import { Deadline, urgency, Urgency } from '../deadlines';
import { ModelDescription, ScreenResult } from '../submission';
import { IntakeGap } from '../submission';
import { iso } from '../time';
import { closureAhead } from './closures';
import { contextOf, due, dueOf, key, openDeadlines, urgencyOf } from './clock';
import { corrected, rulesOf } from './rules';
import { openStage } from './roster';
import { effectiveStageDeadline } from './stage-time';
import { watchedDeadlines } from './wake';
import { windowEnd } from './window';
import { callbackFailing, callbackView } from './callbacks';
import { windowAtRisk } from './extensions';
import {
  CallbackErrorCategory,
  ClosedReason,
  Determination,
  Flag,
  RecordedDecision,
  Stage,
  TimelineEntry,
  type CaseState,
} from './state';

export const DeadlineView = Deadline.extend({ dueAt: z.iso.datetime(), urgency: Urgency });
export type DeadlineView = z.infer<typeof DeadlineView>;

/** The whole case as the status query returns it; the gateway trims it per role. */
export const ReviewStatus = z.object({
  asOf: z.iso.datetime(),
  submissionId: z.string(),
  labId: z.string(),
  model: ModelDescription,
  callbackUrl: z.string().optional(),
  previousSubmissionId: z.string().optional(),
  stage: Stage,
  closedReason: ClosedReason.optional(),
  closedAt: z.iso.datetime().optional(),
  requestedPolicyId: z.string(),
  policy: z.object({ id: z.string(), version: z.int() }).optional(),
  /** The rules version the case runs under (domain code, pinned at its start). */
  rules: z.int().positive(),
  receivedAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().optional(),
  plannedReleaseDate: z.iso.datetime(),
  windowEnd: z.iso.datetime().optional(),
  screen: ScreenResult.optional(),
  deficiency: z
    .object({ gaps: z.array(IntakeGap), since: z.iso.datetime(), supplementDue: z.iso.datetime() })
    .optional(),
  agencies: z.array(
    z.object({
      agency: z.string(),
      stage: z.string(),
      required: z.boolean(),
      state: z.enum(['NOT_OPEN', 'REVIEWING', 'WAITING_FOR_LAB', 'DECIDED', 'UNDECIDED']),
      decision: RecordedDecision.optional(),
      extensionsUsed: z.int(),
      dueAt: z.iso.datetime(),
      urgency: Urgency,
    }),
  ),
  deadlines: z.array(DeadlineView),
  nextDeadline: z.object({ key: z.string(), party: z.string(), dueAt: z.iso.datetime() }).optional(),
  informationRequests: z.array(
    z.object({
      id: z.string(),
      agency: z.string(),
      stage: z.string(),
      questions: z.array(z.string()),
      askedAt: z.iso.datetime(),
      dueAt: z.iso.datetime(),
      status: z.enum(['OPEN', 'ANSWERED', 'CLOSED_BY_DECISION', 'CLOSED_WITH_CASE']),
      answeredAt: z.iso.datetime().optional(),
      answer: z.string().optional(),
      overdueNoticeAt: z.iso.datetime().optional(),
      tollCapReachedAt: z.iso.datetime().optional(),
    }),
  ),
  extensionOffers: z.array(
    z.object({
      id: z.string(),
      proposedWindowEnd: z.iso.datetime(),
      offeredAt: z.iso.datetime(),
      response: z.enum(['ACCEPTED', 'DECLINED']).optional(),
      respondedAt: z.iso.datetime().optional(),
    }),
  ),
  fundingLapses: z.array(
    z.object({ id: z.string(), reason: z.string(), from: z.iso.datetime(), to: z.iso.datetime().optional() }),
  ),
  closures: z.array(
    z.object({ id: z.string(), dates: z.array(IsoDate), reason: z.string(), declaredAt: z.iso.datetime() }),
  ),
  escalation: z
    .object({
      at: z.iso.datetime(),
      unresolvedAgencies: z.array(z.string()),
      resolvedAt: z.iso.datetime().optional(),
      resolvedBy: z.string().optional(),
    })
    .optional(),
  determination: Determination.optional(),
  release: z
    .object({ releasedAt: z.iso.datetime(), reportedAt: z.iso.datetime(), early: z.boolean() })
    .optional(),
  flags: z.array(Flag),
  timeline: z.array(TimelineEntry),
  callbacks: z.object({
    endpoint: z.string().optional(),
    events: z.int(),
    delivered: z.int(),
    pending: z.int(),
    failing: z
      .object({
        eventId: z.string(),
        error: z.string(),
        category: CallbackErrorCategory,
        at: z.iso.datetime(),
      })
      .optional(),
    deliveries: z.array(
      z.object({
        eventId: z.string(),
        status: z.enum(['DELIVERED', 'FAILED']),
        at: z.iso.datetime(),
        attempts: z.int().optional(),
        httpStatus: z.int().optional(),
        error: z.string().optional(),
        category: CallbackErrorCategory.optional(),
        endpoint: z.string(),
      }),
    ),
  }),
});
export type ReviewStatus = z.infer<typeof ReviewStatus>;

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
  return Flag.options.filter((f) => flags.has(f));
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
  const stage = openStage(c);
  // Under rules 2 a stage's deadline is shown as it binds: its own, or an extended agency's later one.
  const shown = (d: Deadline): Deadline =>
    corrected(c) && stage !== undefined && d.key === key.stage(stage)
      ? effectiveStageDeadline(c, stage, now)
      : d;
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
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    plannedReleaseDate: s.plannedReleaseDate,
    windowEnd: c.acceptedAt === undefined ? undefined : iso(windowEnd(c)),
    screen: c.screen,
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
