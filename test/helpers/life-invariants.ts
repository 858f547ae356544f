import type { CaseState, Determination } from '../../shared/domain/review/state';
import { toStatus } from '../../shared/domain/review/to-status';
import { businessDaysAfter, dateOf, isBusinessDate, timeOf } from './counting-invariants';

/**
 * The invariants of domain.md sections 4 and 5 that every case must keep after every step of its life, as an
 * independent reader checks them: the due times are those the case shows (its status), and Washington's dates,
 * times and business days come from Intl (the runtime's own time-zone database) and the federal holidays as
 * the statute sets them (./counting-invariants.ts), not from the product's pinned table or calendar.
 */

/** What an invariant check remembers from one step to the next. */
export interface Watch {
  determination?: Determination;
  labEvents: number;
}

export const newWatch = (): Watch => ({ labEvents: 0 });

export function checkInvariants(c: CaseState, now: number, watch: Watch): void {
  const fail = (what: string): never => {
    throw new Error(`invariant broken at ${new Date(now).toISOString()}: ${what}`);
  };
  const policy = c.policy ?? c.intakePolicy;
  const closed = new Set((c.closures ?? []).flatMap((x) => x.dates));

  // Lab event sequence numbers are contiguous.
  c.labEvents.forEach((e, i) => {
    if (e.sequence !== i + 1) fail(`lab event ${e.id} has sequence ${e.sequence}, expected ${i + 1}`);
  });
  if (c.labEvents.length < watch.labEvents) fail('lab events disappeared');
  watch.labEvents = c.labEvents.length;

  // The determination is issued once and never changes.
  if (
    watch.determination !== undefined &&
    JSON.stringify(c.determination) !== JSON.stringify(watch.determination)
  ) {
    fail(`the determination changed from ${watch.determination.outcome} to ${c.determination?.outcome}`);
  }
  watch.determination ??= c.determination;

  if (c.stage !== 'CLOSED' && policy !== undefined) {
    const status = toStatus(c, new Date(now));
    const end = status.windowEnd === undefined ? Infinity : Date.parse(status.windowEnd);
    for (const d of status.deadlines.filter((x) => x.party !== 'lab' && x.metAt === undefined)) {
      const due = Date.parse(d.dueAt);
      // No government deadline passes the window's end without the lab's consent.
      if (due > end) fail(`${d.key} is due ${d.dueAt}, after the window's end`);
      // It falls due at close of business on a business day, unless capped at the window's end.
      if (d.clock === 'WASHINGTON' && due !== end) {
        const [date, time] = [dateOf(due), timeOf(due)];
        if (time !== policy.businessDays!.closeOfBusiness) fail(`${d.key} is due at ${time} in Washington`);
        if (!isBusinessDate(date, closed)) fail(`${d.key} is due on ${date}, not a business day`);
      }
    }
    // The chair gets its minimum time, unless the window the lab did not extend is shorter.
    const esc = c.escalation;
    const chair = c.policy?.chairMinimum;
    const determination = status.deadlines.find((d) => d.key === 'determination');
    if (esc !== undefined && c.determination === undefined && chair && determination !== undefined) {
      const least = businessDaysAfter(Date.parse(esc.at), chair.days, closed);
      const due = Date.parse(determination.dueAt);
      if (due < least && due !== end) fail(`the chair has until ${determination.dueAt} only`);
    }
  }

  const det = c.determination;
  if (det !== undefined) {
    // A recorded required CONCERNS_UNRESOLVED always ends in escalation or DEFERRAL_RECOMMENDED.
    const unresolved = c.agencies.some((s) => s.required && s.decision?.kind === 'CONCERNS_UNRESOLVED');
    if (unresolved && c.escalation === undefined && det.outcome !== 'DEFERRAL_RECOMMENDED') {
      fail(`a required CONCERNS_UNRESOLVED ended in ${det.outcome} without escalation`);
    }
    // REVIEW_INCOMPLETE is issued only at the window's end (or the release that ends it early).
    if (det.outcome === 'REVIEW_INCOMPLETE') {
      const ending = c.timeline.find((e) => e.type === 'WINDOW_ENDED' || e.type === 'RELEASE_REPORTED');
      if (ending === undefined && c.stage !== 'CLOSED') fail('REVIEW_INCOMPLETE before the window ended');
      if (ending !== undefined && ending.at !== det.issuedAt) {
        fail(`REVIEW_INCOMPLETE issued at ${det.issuedAt}, the window ended at ${ending.at}`);
      }
    }
  }

  if (c.stage === 'CLOSED') {
    // Every toll and every information request is closed when the case closes.
    for (const r of c.informationRequests) if (r.status === 'OPEN') fail(`${r.id} is still OPEN`);
    for (const d of Object.values(c.deadlines)) {
      const open = d.tolls.find((t) => t.to === undefined);
      if (open !== undefined) fail(`${d.key} still has the open toll ${open.id}`);
    }
  }
}
