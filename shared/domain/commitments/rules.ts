import type { DayCount } from '../day-count';
import { iso } from '../time';
import {
  businessCalendar,
  businessDaysAfter,
  endOfDayAfter,
  type BusinessCalendar,
} from '../washington/business-calendar';
import { AMERICA_NEW_YORK_2025C } from '../washington/zone-america-new-york-2025c';
import { commitmentCallbackPayload } from './callbacks';
import type { CommitmentEventType, CommitmentFiling, CommitmentRecord } from './commitment';

/**
 * A commitment's rules, pure: the workflow (workflows/commitment) calls them with the workflow's clock, and so
 * can a test. Business days fall due at close of business in Washington, calendar days at 24:00 there.
 */

/** A filing's calendar: Washington's close of business and the policy's holidays (a commitment's, a grant's). */
type Calendared = Pick<CommitmentFiling, 'calendar'>;
const calendars = new WeakMap<Calendared, BusinessCalendar>();
const calendarOf = (f: Calendared): BusinessCalendar => {
  const known = calendars.get(f);
  if (known !== undefined) return known;
  const cal = businessCalendar(
    AMERICA_NEW_YORK_2025C,
    f.calendar.closeOfBusiness,
    f.calendar.holidays.map((h) => h.date),
  );
  calendars.set(f, cal);
  return cal;
};

/** `count` after the instant `from`, on the filing's calendar. */
export function after(f: Calendared, from: number, count: DayCount): number {
  const cal = calendarOf(f);
  return count.calendar === 'BUSINESS_DAYS'
    ? businessDaysAfter(cal, from, count.days)
    : endOfDayAfter(cal, from, count.days);
}

export const isCommitmentClosed = (r: CommitmentRecord): boolean => r.closedAt !== undefined;

function record(
  r: CommitmentRecord,
  type: CommitmentEventType,
  now: Date,
  actor: string,
  note?: string,
): void {
  const seq = r.events.length + 1;
  const at = iso(now);
  r.events.push({ seq, type, at, actor, ...(note === undefined ? {} : { note }) });
  // The lab hears of every step (when its case had an endpoint).
  if (r.filing.callbackUrl !== undefined) {
    r.callbacks.push({
      seq,
      type,
      at,
      status: 'PENDING',
      attempts: 0,
      payload: commitmentCallbackPayload(r),
    });
  }
}

/** A commitment just handed over: open, due the terms' `due` after the determination. */
export function openCommitment(filing: CommitmentFiling, now: Date): CommitmentRecord {
  const r: CommitmentRecord = {
    filing,
    state: 'OPEN',
    flags: [],
    openedAt: iso(now),
    dueAt: iso(after(filing, Date.parse(filing.determinedAt), filing.terms.due)),
    events: [],
    callbacks: [],
  };
  record(r, 'COMMITMENT_OPENED', now, 'system');
  return r;
}

/** The lab attests it kept the commitment; late when it was overdue. The owner's period starts now. */
export function attestCommitment(r: CommitmentRecord, now: Date, actor: string, statement: string): void {
  if (r.state === 'OVERDUE') r.flags.push('ATTESTED_LATE');
  r.state = 'ATTESTED';
  r.attestedAt = iso(now);
  r.confirmationDue = iso(after(r.filing, now.getTime(), r.filing.terms.confirmWithin));
  record(r, 'COMMITMENT_ATTESTED', now, actor, statement);
}

function settle(r: CommitmentRecord, now: Date): void {
  r.closedAt = iso(now);
  r.confirmationDue = undefined;
}

export function confirmCommitment(r: CommitmentRecord, now: Date, actor: string, note?: string): void {
  r.state = 'CONFIRMED';
  settle(r, now);
  record(r, 'COMMITMENT_CONFIRMED', now, actor, note);
}

export function disputeCommitment(r: CommitmentRecord, now: Date, actor: string, reason: string): void {
  r.state = 'DISPUTED';
  settle(r, now);
  record(r, 'COMMITMENT_DISPUTED', now, actor, reason);
}

/**
 * What the clock does: an open commitment past its due date is overdue (until the lab attests, late); an
 * attestation the owner left unanswered past its deadline stands.
 */
export function advanceCommitment(r: CommitmentRecord, now: Date): void {
  const t = now.getTime();
  if (r.state === 'OPEN' && t >= Date.parse(r.dueAt)) {
    r.state = 'OVERDUE';
    record(r, 'COMMITMENT_OVERDUE', now, 'system');
  }
  if (r.state === 'ATTESTED' && t >= Date.parse(r.confirmationDue!)) {
    r.flags.push('CONFIRMED_BY_SILENCE');
    confirmCommitment(r, now, 'system', 'the owner did not answer the attestation in time: it stands');
  }
}

/** The next instant the clock changes something, or undefined when only a message can (closed, or overdue). */
export function nextCommitmentWake(r: CommitmentRecord): number | undefined {
  if (isCommitmentClosed(r)) return undefined;
  if (r.state === 'OPEN') return Date.parse(r.dueAt);
  if (r.state === 'ATTESTED') return Date.parse(r.confirmationDue!);
  return undefined;
}

/** The next deadline anyone owes, and whose it is: the lab's attestation, or the owner's answer. */
export function nextCommitmentDeadline(r: CommitmentRecord): { at: string; party: string } | undefined {
  if (r.state === 'OPEN') return { at: r.dueAt, party: 'lab' };
  if (r.state === 'ATTESTED') return { at: r.confirmationDue!, party: r.filing.owner };
  return undefined;
}
