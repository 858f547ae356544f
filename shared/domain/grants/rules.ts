import { after } from '../commitments/rules';
import { iso } from '../time';
import { grantCallbackPayload } from './callbacks';
import type { CaseClosing, GrantEndReason, GrantEventType, GrantFiling, GrantRecord } from './grant';

/**
 * A grant's rules, pure: the workflow (workflows/grant) calls them with the workflow's clock, and so can a test.
 * The lab's answer falls due at close of business in Washington (business days), an end at 24:00 there.
 */

export const isGrantClosed = (r: GrantRecord): boolean => r.closedAt !== undefined;

function record(r: GrantRecord, type: GrantEventType, now: Date, actor: string, note?: string): void {
  const seq = r.events.length + 1;
  const at = iso(now);
  r.events.push({ seq, type, at, actor, ...(note === undefined ? {} : { note }) });
  // The lab hears of every step (when its case had an endpoint).
  if (r.filing.callbackUrl !== undefined) {
    r.callbacks.push({ seq, type, at, status: 'PENDING', attempts: 0, payload: grantCallbackPayload(r) });
  }
}

/** A grant just nominated: the lab's answer is due the terms' `answerWithin` after the nomination. */
export function openGrant(filing: GrantFiling, now: Date): GrantRecord {
  const r: GrantRecord = {
    filing,
    state: 'NOMINATED',
    answerDue: iso(after(filing, Date.parse(filing.nominatedAt), filing.terms.answerWithin)),
    uses: 0,
    events: [],
    callbacks: [],
  };
  record(r, 'GRANT_NOMINATED', now, filing.nominatedBy, filing.reason);
  return r;
}

/** Where an active grant's end falls: the release plus its days, or the window's end plus its days. */
function endOf(r: GrantRecord): number {
  const f = r.filing;
  const released = r.caseClosed?.releasedAt;
  return released !== undefined
    ? after(f, Date.parse(released), f.terms.afterRelease)
    : after(f, Date.parse(f.windowEndsAt), f.terms.afterWindow);
}

function close(r: GrantRecord, now: Date): void {
  r.closedAt = iso(now);
}

function end(
  r: GrantRecord,
  now: Date,
  reason: GrantEndReason,
  type: GrantEventType,
  actor: string,
  note?: string,
) {
  r.state = 'ENDED';
  r.endReason = reason;
  close(r, now);
  record(r, type, now, actor, note);
}

/** The lab approves: access runs from now to the grant's end. */
export function approveGrant(r: GrantRecord, now: Date, actor: string, note?: string): void {
  r.state = 'ACTIVE';
  r.approvedAt = iso(now);
  r.endsAt = iso(endOf(r));
  record(r, 'GRANT_APPROVED', now, actor, note);
}

export function declineGrant(r: GrantRecord, now: Date, actor: string, note?: string): void {
  r.state = 'DECLINED';
  close(r, now);
  record(r, 'GRANT_DECLINED', now, actor, note);
}

/** Either side ends it sooner: the lab, the nominating agency, or the operator. */
export function revokeGrant(r: GrantRecord, now: Date, actor: string, reason: string): void {
  end(r, now, 'REVOKED', 'GRANT_REVOKED', actor, reason);
}

export function reportUse(r: GrantRecord, now: Date, actor: string, note: string): void {
  r.uses += 1;
  record(r, 'GRANT_USE_REPORTED', now, actor, note);
}

/**
 * The case closed (its review tells the grant): withdrawn, the grant ends now; released or the window ended,
 * an active grant's end follows the release (or stays the window's end plus its days); a nomination not yet
 * answered lapses, since the model is no longer before its release window.
 */
export function caseClosed(r: GrantRecord, now: Date, closing: CaseClosing): void {
  if (isGrantClosed(r) || r.caseClosed !== undefined) return;
  r.caseClosed = closing;
  if (closing.reason === 'WITHDRAWN' && r.state === 'ACTIVE') {
    return end(r, now, 'WITHDRAWN', 'GRANT_WITHDRAWN', 'system', 'the lab withdrew the case');
  }
  if (r.state === 'NOMINATED') {
    r.state = 'LAPSED';
    close(r, now);
    return record(
      r,
      'GRANT_LAPSED',
      now,
      'system',
      `the case closed (${closing.reason}) before the lab answered`,
    );
  }
  const endsAt = iso(endOf(r));
  if (endsAt !== r.endsAt) {
    r.endsAt = endsAt;
    const why =
      closing.releasedAt === undefined
        ? 'the window ended'
        : `the model was released at ${closing.releasedAt}`;
    record(r, 'GRANT_END_SET', now, 'system', `${why}: access ends at ${endsAt}`);
  }
}

/** What the clock does: an unanswered nomination lapses at its deadline; an active grant expires at its end. */
export function advanceGrant(r: GrantRecord, now: Date): void {
  const t = now.getTime();
  if (r.state === 'NOMINATED' && t >= Date.parse(r.answerDue)) {
    r.state = 'LAPSED';
    close(r, now);
    record(r, 'GRANT_LAPSED', now, 'system', 'the lab did not answer in time: participation is voluntary');
  }
  if (r.state === 'ACTIVE' && t >= Date.parse(r.endsAt!)) {
    end(r, now, 'EXPIRED', 'GRANT_EXPIRED', 'system');
  }
}

/** The next instant the clock changes something, or undefined once closed. */
export function nextGrantWake(r: GrantRecord): number | undefined {
  if (r.state === 'NOMINATED') return Date.parse(r.answerDue);
  if (r.state === 'ACTIVE') return Date.parse(r.endsAt!);
  return undefined;
}

/** The next deadline, and whose it is: the lab's answer, or the grant's end (no one's: the operator's access). */
export function nextGrantDeadline(r: GrantRecord): { at: string; party: string } | undefined {
  if (r.state === 'NOMINATED') return { at: r.answerDue, party: 'lab' };
  if (r.state === 'ACTIVE') return { at: r.endsAt!, party: r.filing.operator };
  return undefined;
}
