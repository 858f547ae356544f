import { addDays } from '../calendar';
import { compress, meet } from '../deadlines';
import type { Policy } from '../policy';
import { REVIEW_STAGES } from '../policy';
import type { IntakeGap, ScreenResult, Submission, SupplementFields } from '../submission';
import { agencyPrincipal, labPrincipal } from '../principal';
import { iso } from '../time';
import { deadlineFrom, due, isGovernment, key, updateDeadline } from './clock';
import { newLedger } from './callbacks';
import { close } from './closing';
import { record } from './record';
import type { CaseState } from './state';
import { capGovernmentDeadlines, openWindow, windowEnd } from './window';

/** A new case, as received: day 0 comes later, at acceptance. */
export function openCase(submission: Submission, now: Date): CaseState {
  const c: CaseState = {
    submission,
    receivedAt: iso(now),
    stage: 'INTAKE',
    shortNotice: false,
    deadlines: {},
    agencies: [],
    informationRequests: [],
    extensionOffers: [],
    fundingLapses: [],
    timeline: [],
    labEvents: [],
    callbacks: newLedger(),
    receipts: {},
    version: 0,
  };
  record(c, now, labPrincipal(submission.labId), 'RECEIVED', 'submission received', {
    receivedAt: iso(now),
    model: { name: submission.model.name, version: submission.model.version },
    ...(submission.previousSubmissionId ? { previousSubmissionId: submission.previousSubmissionId } : {}),
  });
  return c;
}

/** The completeness check (domain.md section 3): required fields, an access arrangement, a callback endpoint. */
export function completenessGaps(s: Submission): IntakeGap[] {
  const gaps: IntakeGap[] = [];
  if (s.model.version === undefined) gaps.push('model.version');
  if (s.model.trainingComputeFlop === undefined) gaps.push('model.trainingComputeFlop');
  if (s.access === undefined) gaps.push('access');
  if (s.callbackUrl === undefined) gaps.push('callbackUrl');
  return gaps;
}

/** The covered-model screen against the policy's thresholds. */
export function screenModel(model: Submission['model'], thresholds: Policy['covered']): ScreenResult {
  const flop = model.trainingComputeFlop ?? 0;
  if (flop >= thresholds.trainingComputeFlop) {
    return {
      covered: true,
      reason: `training compute ${flop} FLOP meets the ${thresholds.trainingComputeFlop} FLOP threshold`,
    };
  }
  const score = model.cyberBenchmarkScore;
  if (score !== undefined && score > thresholds.cyberBenchmarkScore) {
    return {
      covered: true,
      reason: `cyber-benchmark score ${score} is above the bar of ${thresholds.cyberBenchmarkScore}`,
    };
  }
  return {
    covered: false,
    reason: `training compute below ${thresholds.trainingComputeFlop} FLOP and cyber-benchmark score not above ${thresholds.cyberBenchmarkScore}`,
  };
}

export function markDeficient(
  c: CaseState,
  gaps: IntakeGap[],
  problems: string[],
  policy: Policy,
  now: Date,
): void {
  const since = c.deficiency?.since ?? iso(now);
  c.stage = 'DEFICIENT';
  c.intakePolicy = policy;
  c.deficiency = { gaps, since };
  // The supplement period runs from the first finding of deficiency; supplements do not restart it.
  c.deadlines[key.supplement] ??= deadlineFrom(key.supplement, 'lab', now, {
    days: policy.supplementDays,
    calendar: 'CALENDAR_DAYS',
  });
  const supplementDue = iso(due(c, key.supplement, now));
  record(c, now, 'system', 'DEFICIENT', `filing incomplete: ${gaps.join(', ')}`, {
    gaps,
    problems,
    supplementDue,
  });
}

/** Whether a supplement would change the filing: some field it carries differs from what the filing holds. */
export function changesFiling(c: CaseState, fields: SupplementFields): boolean {
  const s = c.submission;
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const model = Object.entries(fields.model ?? {}).some(([k, v]) =>
    differs(v, (s.model as Record<string, unknown>)[k]),
  );
  return (
    model ||
    (fields.access !== undefined && differs(fields.access, s.access)) ||
    (fields.callbackUrl !== undefined && fields.callbackUrl !== s.callbackUrl)
  );
}

export function applySupplement(c: CaseState, fields: SupplementFields, now: Date) {
  const s = c.submission;
  c.submission = {
    ...s,
    model: { ...s.model, ...fields.model },
    access: fields.access ?? s.access,
    callbackUrl: fields.callbackUrl ?? s.callbackUrl,
  };
  c.stage = 'INTAKE';
  return record(
    c,
    now,
    labPrincipal(s.labId),
    'SUPPLEMENTED',
    `supplemented ${Object.keys(fields).join(', ')}`,
    {
      fields: Object.keys(fields),
    },
  );
}

export function closeNotCovered(c: CaseState, screen: ScreenResult, now: Date): void {
  c.screen = screen;
  record(c, now, 'system', 'NOT_COVERED', screen.reason, { reason: screen.reason });
  close(c, 'NOT_COVERED', now);
}

/**
 * Acceptance is day 0: the policy in force now is pinned to the case, every deadline is computed, and a
 * release planned before the window's natural end compresses the government's deadlines into the time left.
 */
export function accept(c: CaseState, policy: Policy, screen: ScreenResult, now: Date): void {
  const release = new Date(c.submission.plannedReleaseDate);
  if (release <= now) {
    const reason = 'the planned release date has already passed: there is no pre-release window to review in';
    record(c, now, 'system', 'INSUFFICIENT_NOTICE', reason, { reason });
    close(c, 'INSUFFICIENT_NOTICE', now);
    return;
  }
  if (
    policy.minimumNoticeDays !== null &&
    release < addDays(now, policy.minimumNoticeDays, 'CALENDAR_DAYS')
  ) {
    const reason = `planned release is less than the policy's minimum notice of ${policy.minimumNoticeDays} days away`;
    record(c, now, 'system', 'INSUFFICIENT_NOTICE', reason, { reason });
    close(c, 'INSUFFICIENT_NOTICE', now);
    return;
  }
  c.policy = policy;
  c.screen = screen;
  c.acceptedAt = iso(now);
  const { natural, end } = openWindow(c, policy, now);

  const add = (d: ReturnType<typeof deadlineFrom>) => (c.deadlines[d.key] = d);
  for (const stage of REVIEW_STAGES) {
    const { roster, deadline } = policy.stages[stage];
    add(deadlineFrom(key.stage(stage), 'government', now, deadline));
    for (const { agency, required } of roster) {
      add(deadlineFrom(key.agency(stage, agency), agencyPrincipal(agency), now, deadline));
      c.agencies.push({ agency, stage, required, extensionsUsed: 0 });
    }
  }
  add(deadlineFrom(key.determination, 'government', now, policy.determination));
  if (c.deadlines[key.supplement] !== undefined) updateDeadline(c, key.supplement, (d) => meet(d, now));

  if (end < natural) {
    c.shortNotice = true;
    for (const d of Object.values(c.deadlines)) {
      if (isGovernment(d)) c.deadlines[d.key] = compress(d, now, natural, end);
    }
  }
  capGovernmentDeadlines(c);
  c.stage = 'NATIONAL_SECURITY';
  record(c, now, 'system', 'ACCEPTED', `accepted under ${policy.id} v${policy.version}: ${screen.reason}`, {
    acceptedAt: iso(now),
    policy: { id: policy.id, version: policy.version },
    shortNotice: c.shortNotice,
    deadlines: labDeadlines(c, now),
  });
  record(c, now, 'system', 'STAGE_OPENED', 'national-security review opened', {
    stage: 'NATIONAL_SECURITY',
    dueAt: iso(due(c, key.stage('NATIONAL_SECURITY'), now)),
  });
}

/** The deadlines the lab is told about: its window and the government's stage and determination dates. */
export function labDeadlines(c: CaseState, now: Date) {
  return {
    windowEnd: iso(windowEnd(c)),
    nationalSecurityReview: iso(due(c, key.stage('NATIONAL_SECURITY'), now)),
    civilianReview: iso(due(c, key.stage('CIVILIAN'), now)),
    determination: iso(due(c, key.determination, now)),
  };
}
