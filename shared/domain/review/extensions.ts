import { addDays } from '../calendar';
import { extend } from '../deadlines';
import type { Actor } from '../principal';
import { iso } from '../time';
import { endOfDayAfter } from '../washington/business-calendar';
import { due, isGovernment, key, openDeadlines, uncappedDue, updateDeadline } from './clock';
import { record } from './record';
import { calendarOf, corrected } from './rules';
import { neededDue, pendingOverrunMs } from './stage-time';
import type { AgencySlot, CaseState, ExtensionOffer } from './state';
import { consentTo, windowEnd } from './window';

/** An agency extends its own deadline, once, within the policy's limit; checked by the validator. */
export function requestExtension(
  c: CaseState,
  slot: AgencySlot,
  days: number,
  reason: string,
  actor: Actor,
  now: Date,
) {
  slot.extensionsUsed += 1;
  const k = key.agency(slot.stage, slot.agency);
  updateDeadline(c, k, (d) =>
    extend(d, { id: `${slot.agency}-ext-${slot.extensionsUsed}`, who: actor, days, at: iso(now) }),
  );
  return record(
    c,
    now,
    actor,
    'CLOCK_EXTENDED',
    `${slot.agency} extended its ${slot.stage} deadline by ${days} day(s): ${reason}`,
    {
      agency: slot.agency,
      stage: slot.stage,
      days,
      newDueAt: iso(due(c, k, now)),
    },
  );
}

/** The latest due time any open government deadline would need, were the window no limit. */
export function neededWindowEnd(c: CaseState, now: Date): Date | undefined {
  // Rules 2 counts the open stage's possible overrun into what follows it (stage time is protected).
  // The open stage's possible overrun is the same for every deadline: counted once.
  const pending = corrected(c) ? pendingOverrunMs(c, now) : 0;
  const needs = openDeadlines(c)
    .filter(isGovernment)
    .map((d) => (corrected(c) ? neededDue(c, d, now, pending) : uncappedDue(c, d, now).getTime()));
  return needs.length === 0 ? undefined : new Date(Math.max(...needs));
}

export const windowAtRisk = (c: CaseState, now: Date): boolean => {
  const need = neededWindowEnd(c, now);
  return c.acceptedAt !== undefined && c.stage !== 'CLOSED' && need !== undefined && need > windowEnd(c);
};

/**
 * No government deadline may pass the window's end without the lab's consent. When one would, the case is
 * WINDOW_AT_RISK and the lab is offered an extension to the needed end; a declined offer is not repeated
 * unless the need grows beyond it.
 */
export function offerExtensionIfAtRisk(c: CaseState, now: Date): boolean {
  if (!windowAtRisk(c, now)) return false;
  const need = neededWindowEnd(c, now)!;
  const last = c.extensionOffers[c.extensionOffers.length - 1];
  if (
    last !== undefined &&
    (last.response === undefined || Date.parse(last.proposedWindowEnd) >= need.getTime())
  ) {
    return false;
  }
  // The window keeps the policy's gap after the determination (5 days in the 90-day policy), so the lab's
  // release-eligibility never coincides with a determination falling due.
  const gap = c.policy!.windowDays - c.policy!.determination.days;
  const cal = calendarOf(c);
  const proposed =
    cal === undefined
      ? addDays(need, gap, 'CALENDAR_DAYS')
      : new Date(endOfDayAfter(cal, need.getTime(), gap));
  const offer = {
    id: `offer-${c.extensionOffers.length + 1}`,
    proposedWindowEnd: iso(proposed),
    offeredAt: iso(now),
  };
  c.extensionOffers.push(offer);
  record(
    c,
    now,
    'system',
    'WINDOW_AT_RISK',
    `government deadlines need the window until ${offer.proposedWindowEnd}`,
    {
      offerId: offer.id,
      windowEnd: iso(windowEnd(c)),
      proposedWindowEnd: offer.proposedWindowEnd,
    },
  );
  return true;
}

/** The offer with this id, while the lab has not answered it. */
export const openOffer = (c: CaseState, offerId: string): ExtensionOffer | undefined =>
  c.extensionOffers.find((o) => o.id === offerId && o.response === undefined);

export function respondToOffer(
  c: CaseState,
  offer: ExtensionOffer,
  accept: boolean,
  actor: Actor,
  now: Date,
) {
  offer.response = accept ? 'ACCEPTED' : 'DECLINED';
  offer.respondedAt = iso(now);
  if (accept) consentTo(c, offer.proposedWindowEnd);
  return record(
    c,
    now,
    actor,
    accept ? 'WINDOW_EXTENDED' : 'EXTENSION_DECLINED',
    accept ? `lab extended its window to ${offer.proposedWindowEnd}` : 'lab declined the window extension',
    {
      offerId: offer.id,
      accepted: accept,
      windowEnd: iso(windowEnd(c)),
    },
  );
}
