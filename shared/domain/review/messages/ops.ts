import { z } from 'zod';
import { Id } from '../../submission';
import { ClosureDates } from '../../government/state';
import * as callbacks from '../callbacks';
import * as closures from '../closures';
import * as funding from '../funding';
import { corrected, countsPrecisely } from '../rules';
import type { CaseState } from '../state';
import { defineMessage } from './define';

const ops = ['ops'] as const;

/** Rules 7: a case waiting for its designation already runs a government clock, which lapses and closures reach. */
const governmentClockBeforeAcceptance = (c: CaseState): boolean =>
  countsPrecisely(c) && c.stage === 'DESIGNATION';

export const tollClocks = defineMessage({
  name: 'tollClocks',
  summary: "Funding lapse: toll this case's government clocks",
  senders: ops,
  body: () => ({ lapseId: Id, reason: z.string().min(1).max(2000) }),
  rejects: ['NOT_ACCEPTED', 'FUNDING_LAPSE_ACTIVE'],
  check: ({ c, msg, reject }) => {
    if (c.acceptedAt === undefined && !governmentClockBeforeAcceptance(c)) reject('NOT_ACCEPTED');
    if (funding.activeLapse(c) !== undefined || c.fundingLapses.some((l) => l.id === msg.lapseId)) {
      reject('FUNDING_LAPSE_ACTIVE');
    }
  },
  apply: ({ c, now, msg }) => funding.tollForLapse(c, msg.lapseId, msg.reason, msg.actor, now),
});

export const resumeClocks = defineMessage({
  name: 'resumeClocks',
  summary: "End a funding lapse: resume this case's government clocks",
  senders: ops,
  body: () => ({ lapseId: Id }),
  rejects: ['FUNDING_LAPSE_NOT_ACTIVE'],
  target: ({ c, msg, reject }) => {
    const lapse = funding.activeLapse(c);
    return lapse?.id === msg.lapseId ? lapse : reject('FUNDING_LAPSE_NOT_ACTIVE');
  },
  apply: ({ c, now, msg, target }) => funding.resumeAfterLapse(c, target, msg.actor, now),
});

export const declareClosure = defineMessage({
  name: 'declareClosure',
  summary: "Closure of federal offices: this case's deadlines that fall on it move to the next business day",
  senders: ops,
  body: () => ({ closureId: Id, dates: ClosureDates, reason: z.string().min(1).max(2000) }),
  rejects: ['NOT_ACCEPTED', 'RULES_TOO_OLD', 'CLOSURE_ALREADY_DECLARED'],
  check: ({ c, msg, reject }) => {
    if (c.acceptedAt === undefined && !governmentClockBeforeAcceptance(c)) reject('NOT_ACCEPTED');
    if (!corrected(c))
      reject('RULES_TOO_OLD', 'this case runs under rules 1, which keep UTC days without closures');
    if ((c.closures ?? []).some((x) => x.id === msg.closureId)) reject('CLOSURE_ALREADY_DECLARED');
  },
  apply: ({ c, now, msg, fixes }) => closures.declareClosure(c, msg, msg.actor, now, fixes),
});

export const redeliverCallbacks = defineMessage({
  name: 'redeliverCallbacks',
  summary: "Redeliver a case's status callbacks",
  description:
    'Without `eventId`: everything pending from the failing event on. With one: that event again (receivers ' +
    'de-duplicate by event id), once at a time. Operations staff redeliver any case’s; a lab its own (issue 38).',
  senders: ['ops', 'lab'],
  /** Without eventId: everything pending from the failed event on. With one: that event (again). */
  body: () => ({ eventId: z.string().min(1).max(200).optional() }),
  rejects: ['NOTHING_TO_REDELIVER', 'CALLBACK_EVENT_NOT_FOUND'],
  whileClosed: true,
  check: ({ c, msg, reject }) => {
    const blocked = c.callbacks.blockedOn;
    if (msg.eventId === undefined) {
      if (blocked === undefined) reject('NOTHING_TO_REDELIVER', 'no callback is failing');
      return;
    }
    const index = callbacks.eventIndex(c, msg.eventId);
    if (index < 0) reject('CALLBACK_EVENT_NOT_FOUND', `no event ${msg.eventId}`);
    if (msg.eventId !== blocked && index >= c.callbacks.cursor) {
      reject('NOTHING_TO_REDELIVER', `${msg.eventId} has not been attempted yet`);
    }
    if (c.callbacks.redeliver.includes(msg.eventId)) {
      reject('NOTHING_TO_REDELIVER', `${msg.eventId} is already waiting to be sent again`);
    }
  },
  apply: ({ c, now, msg }) => callbacks.redeliverCallbacks(c, msg.eventId, msg.actor, now),
});
