import { iso } from '../time';
import {
  businessCalendar,
  businessDaysAfter,
  endOfDayAfter,
  type BusinessCalendar,
} from '../washington/business-calendar';
import { AMERICA_NEW_YORK_2025C } from '../washington/zone-america-new-york-2025c';
import { findingCallbackPayload } from './callbacks';
import type { FindingEventType, FindingFiling, FindingFlag, FindingRecord } from './finding';
import { CLOSED_FINDING_STATES } from './finding';
import { CLEARINGHOUSE_POLICIES, type ClearinghousePolicy } from './policy';

/**
 * The clearinghouse's rules for one finding, pure: the workflow (workflows/finding) calls them with the
 * workflow's clock, and so can a test. Government deadlines fall due at close of business in Washington.
 */

export const policyOfFinding = (r: { filing: FindingFiling }): ClearinghousePolicy =>
  CLEARINGHOUSE_POLICIES[r.filing.policyId];

const calendarOf = (p: ClearinghousePolicy): BusinessCalendar =>
  businessCalendar(
    AMERICA_NEW_YORK_2025C,
    p.closeOfBusiness,
    p.holidays.map((h) => h.date),
  );

export const isFindingClosed = (r: FindingRecord): boolean => CLOSED_FINDING_STATES.includes(r.state);

function record(r: FindingRecord, type: FindingEventType, now: Date, actor: string, note?: string): void {
  const seq = r.events.length + 1;
  const at = iso(now);
  r.events.push({ seq, type, at, actor, ...(note === undefined ? {} : { note }) });
  // The lab hears of every step of a finding about its model (when it gave an endpoint).
  if (r.filing.callbackUrl !== undefined) {
    r.callbacks.push({ seq, type, at, status: 'PENDING', attempts: 0, payload: findingCallbackPayload(r) });
  }
}

const unflag = (r: FindingRecord, flag: FindingFlag): void => {
  r.flags = r.flags.filter((f) => f !== flag);
};

/** A finding just filed: received, its validation due after the policy's business days. */
export function receiveFinding(filing: FindingFiling, now: Date): FindingRecord {
  const policy = CLEARINGHOUSE_POLICIES[filing.policyId];
  const r: FindingRecord = {
    filing,
    state: 'RECEIVED',
    flags: [],
    receivedAt: iso(now),
    validationDue: iso(businessDaysAfter(calendarOf(policy), now.getTime(), policy.validationBusinessDays)),
    extended: false,
    tlp: filing.tlp,
    events: [],
    callbacks: [],
  };
  record(r, 'FINDING_RECEIVED', now, filing.filedBy);
  return r;
}

export function validateFinding(r: FindingRecord, now: Date, actor: string, note?: string): void {
  const policy = policyOfFinding(r);
  r.state = 'VALIDATED';
  r.validatedAt = iso(now);
  r.remediationDue = iso(endOfDayAfter(calendarOf(policy), now.getTime(), policy.remediationDays));
  unflag(r, 'VALIDATION_OVERDUE');
  record(r, 'FINDING_VALIDATED', now, actor, note);
}

export function rejectFinding(r: FindingRecord, now: Date, actor: string, reason: string): void {
  r.state = 'REJECTED';
  r.closedAt = iso(now);
  unflag(r, 'VALIDATION_OVERDUE');
  record(r, 'FINDING_REJECTED', now, actor, reason);
}

/** The lab's one extension: the remediation deadline moves by the policy's days, to the end of that day. */
export function extendRemediation(r: FindingRecord, now: Date, actor: string, reason: string): void {
  const policy = policyOfFinding(r);
  const due = Date.parse(r.remediationDue!);
  r.remediationDue = iso(endOfDayAfter(calendarOf(policy), due - 1, policy.extensionDays));
  r.extended = true;
  record(r, 'REMEDIATION_EXTENDED', now, actor, reason);
}

export function remediateFinding(r: FindingRecord, now: Date, actor: string, note?: string): void {
  r.state = 'REMEDIATED';
  r.closedAt = iso(now);
  r.disclosureDue = undefined;
  unflag(r, 'REMEDIATION_OVERDUE');
  record(r, 'FINDING_REMEDIATED', now, actor, note);
}

/** Disclosed: public from now on (TLP:CLEAR). */
export function discloseFinding(r: FindingRecord, now: Date, actor: string, note?: string): void {
  r.state = 'DISCLOSED';
  r.tlp = 'CLEAR';
  r.closedAt = iso(now);
  r.disclosureDue = undefined;
  record(r, 'FINDING_DISCLOSED', now, actor, note);
}

/**
 * What the clock does: a validation or remediation past its deadline is flagged once; an overdue remediation
 * is disclosed once the policy's grace after its deadline has passed too.
 */
export function advanceFinding(r: FindingRecord, now: Date): void {
  const t = now.getTime();
  if (r.state === 'RECEIVED' && t >= Date.parse(r.validationDue) && !r.flags.includes('VALIDATION_OVERDUE')) {
    r.flags.push('VALIDATION_OVERDUE');
    record(r, 'VALIDATION_OVERDUE', now, 'system');
  }
  if (r.state !== 'VALIDATED') return;
  const due = Date.parse(r.remediationDue!);
  if (t >= due && !r.flags.includes('REMEDIATION_OVERDUE')) {
    const policy = policyOfFinding(r);
    r.flags.push('REMEDIATION_OVERDUE');
    r.disclosureDue = iso(
      policy.disclosureAfterOverdueDays === 0
        ? due
        : endOfDayAfter(calendarOf(policy), due - 1, policy.disclosureAfterOverdueDays),
    );
    record(r, 'REMEDIATION_OVERDUE', now, 'system');
  }
  if (r.disclosureDue !== undefined && t >= Date.parse(r.disclosureDue)) {
    discloseFinding(r, now, 'system', 'the remediation deadline passed; disclosed under the policy’s rule');
  }
}

/** The next instant the clock changes something, or undefined when only a message can. */
export function nextFindingWake(r: FindingRecord): number | undefined {
  if (r.state === 'RECEIVED')
    return r.flags.includes('VALIDATION_OVERDUE') ? undefined : Date.parse(r.validationDue);
  if (r.state !== 'VALIDATED') return undefined;
  if (!r.flags.includes('REMEDIATION_OVERDUE')) return Date.parse(r.remediationDue!);
  return r.disclosureDue === undefined ? undefined : Date.parse(r.disclosureDue);
}

/** The next deadline anyone owes, for lists: validation, then remediation. */
export function nextFindingDeadline(r: FindingRecord): string | undefined {
  if (r.state === 'RECEIVED') return r.validationDue;
  if (r.state === 'VALIDATED') return r.remediationDue;
  return undefined;
}
