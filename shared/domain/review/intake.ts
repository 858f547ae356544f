import type { ActedBy } from '../acted-by';
import { addDays } from '../calendar';
import { compress, meet, rescale } from '../deadlines';
import type { GovernmentSnapshot } from '../government/state';
import { localDate } from '../washington/zone';
import type { Policy } from '../policy';
import { REVIEW_STAGES } from '../policy-names';
import type { IntakeGap, ScreenResult, Submission, SupplementFields } from '../submission';
import { agencyPrincipal, labPrincipal } from '../principal';
import { iso } from '../time';
import { deadlineFrom, due, isGovernment, key, updateDeadline } from './clock';
import { newLedger } from './callbacks';
import { close } from './closing';
import { activeLapse, tollForLapse, tollOpenClocks } from './funding';
import { placeInOrder } from './order';
import { calendarOf, corrected, countsPrecisely, type RulesVersion } from './rules';
import { labDeadlines } from './lab-deadlines';
import { record } from './record';
import type { CaseState, Closure } from './state';
import { capGovernmentDeadlines, openWindow } from './window';

/** A new case, as received: day 0 comes later, at acceptance. */
export function openCase(
  submission: Submission,
  now: Date,
  rules: RulesVersion = 1,
  by?: ActedBy,
): CaseState {
  const c: CaseState = {
    ...(rules === 1 ? {} : { rules }),
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
  // Who filed, beside the lab (issue 36): the filing is the lab's first act.
  if (by !== undefined) c.timeline[0].by = by;
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
  // From release 3 the lab supplies no score (NSA's benchmark designates): the reason names only what it filed.
  if (score === undefined) {
    return {
      covered: false,
      reason: `training compute ${flop} FLOP is below the ${thresholds.trainingComputeFlop} FLOP threshold`,
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
 * A planned release that leaves no window, or less than the policy's minimum notice, closes the case
 * (INSUFFICIENT_NOTICE): checked at acceptance and, under rules 3, before a designation is asked for.
 */
export function closedForNotice(c: CaseState, policy: Policy, now: Date): boolean {
  const release = new Date(c.submission.plannedReleaseDate);
  const reason =
    release <= now
      ? 'the planned release date has already passed: there is no pre-release window to review in'
      : policy.minimumNoticeDays !== null && release < addDays(now, policy.minimumNoticeDays, 'CALENDAR_DAYS')
        ? `planned release is less than the policy's minimum notice of ${policy.minimumNoticeDays} days away`
        : undefined;
  if (reason === undefined) return false;
  record(c, now, 'system', 'INSUFFICIENT_NOTICE', reason, { reason });
  close(c, 'INSUFFICIENT_NOTICE', now);
  return true;
}

/**
 * Acceptance is day 0: the policy in force now is pinned to the case, every deadline is computed, and a
 * release planned before the window's natural end compresses the government's deadlines into the time left.
 */
export function accept(
  c: CaseState,
  policy: Policy,
  screen: ScreenResult,
  now: Date,
  government?: GovernmentSnapshot,
): void {
  if (closedForNotice(c, policy, now)) return;
  c.policy = policy;
  c.screen = screen;
  c.acceptedAt = iso(now);
  // Rules 2: the closures declared for today or later shape the calendar the deadlines are computed on. Rules 7
  // keeps those the designation's period already followed.
  if (corrected(c) && government !== undefined) {
    const known = countsPrecisely(c) ? (c.closures ?? []) : [];
    const fresh = closuresFrom(government, c, now).filter((x) => !known.some((k) => k.id === x.id));
    c.closures = [...known, ...fresh];
  }
  const { natural, end } = openWindow(c, policy, now);
  const cal = calendarOf(c);

  const add = (d: ReturnType<typeof deadlineFrom>) => (c.deadlines[d.key] = d);
  for (const stage of REVIEW_STAGES) {
    const { roster, deadline } = policy.stages[stage];
    add(deadlineFrom(key.stage(stage), 'government', now, deadline, now, cal));
    for (const { agency, required } of roster) {
      add(deadlineFrom(key.agency(stage, agency), agencyPrincipal(agency), now, deadline, now, cal));
      c.agencies.push({ agency, stage, required, extensionsUsed: 0 });
    }
  }
  add(deadlineFrom(key.determination, 'government', now, policy.determination, now, cal));
  // Rules 7: on business days, in the process's order (./order.ts).
  if (countsPrecisely(c) && cal !== undefined) placeInOrder(c, cal, now, natural);
  if (c.deadlines[key.supplement] !== undefined) updateDeadline(c, key.supplement, (d) => meet(d, now));

  if (end < natural) {
    c.shortNotice = true;
    const scale = corrected(c) ? rescale : compress;
    for (const d of Object.values(c.deadlines)) {
      if (isGovernment(d)) c.deadlines[d.key] = scale(d, now, natural, end);
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
  // Rules 2: a case accepted during a funding lapse starts with its government clocks tolled.
  const lapse = corrected(c) ? government?.lapses.find((l) => l.to === undefined) : undefined;
  if (lapse === undefined) return;
  // Rules 7: a lapse that already tolls the case (its designation) tolls the new clocks too, told once.
  if (countsPrecisely(c) && activeLapse(c)?.id === lapse.id)
    tollOpenClocks(c, lapse.id, lapse.startedBy, now);
  else tollForLapse(c, lapse.id, lapse.reason, lapse.startedBy, now);
}

/** The closures that reach this case: any with a date on or after the day of acceptance (rules 7: or designation). */
export function closuresFrom(government: GovernmentSnapshot, c: CaseState, now: Date): Closure[] {
  const cal = calendarOf(c);
  const today = cal === undefined ? iso(now).slice(0, 10) : localDate(cal.zone, now.getTime());
  return government.closures
    .filter((x) => x.dates.some((d) => d >= today))
    .map(({ id, dates, reason, declaredAt }) => ({ id, dates, reason, declaredAt }));
}
