import { dueAt } from '../../shared/domain/deadlines';
import { contextOf, isGovernment } from '../../shared/domain/review/clock';
import type { CaseState, Determination } from '../../shared/domain/review/state';
import { windowEnd } from '../../shared/domain/review/window';
import { businessDaysAfter, businessCalendar } from '../../shared/domain/washington/business-calendar';
import { AMERICA_NEW_YORK_2025C } from '../../shared/domain/washington/zone-america-new-york-2025c';

/**
 * The invariants of domain.md sections 4 and 5 that every case must keep after every step of its life, as an
 * independent reader checks them: Washington's dates and times come from Intl (the runtime's own time-zone
 * database), not from the product's pinned table.
 */

const washington = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

function inWashington(at: number): { date: string; time: string; weekday: string } {
  const p = Object.fromEntries(washington.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: p.weekday };
}

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
  const policy = c.policy!;
  const holidays = new Set(policy.businessDays?.holidays.map((h) => h.date) ?? []);
  const closed = new Set([...holidays, ...(c.closures ?? []).flatMap((x) => x.dates)]);
  const end = windowEnd(c).getTime();

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

  if (c.stage !== 'CLOSED') {
    for (const d of Object.values(c.deadlines).filter((x) => isGovernment(x) && x.metAt === undefined)) {
      const due = dueAt(d, new Date(now), contextOf(c, d)).getTime();
      // No government deadline passes the window's end without the lab's consent.
      if (due > end) fail(`${d.key} is due ${new Date(due).toISOString()}, after the window's end`);
      // It falls due at close of business on a business day, unless capped at the window's end.
      if (d.clock === 'WASHINGTON' && due !== end) {
        const w = inWashington(due);
        if (w.time !== policy.businessDays!.closeOfBusiness)
          fail(`${d.key} is due at ${w.time} in Washington`);
        if (w.weekday === 'Sat' || w.weekday === 'Sun' || closed.has(w.date)) {
          fail(`${d.key} is due on ${w.weekday} ${w.date}, not a business day`);
        }
      }
    }
    // The chair gets its minimum time, unless the window the lab did not extend is shorter.
    const esc = c.escalation;
    if (esc !== undefined && c.determination === undefined && policy.chairMinimum && policy.businessDays) {
      const cal = businessCalendar(AMERICA_NEW_YORK_2025C, policy.businessDays.closeOfBusiness, closed);
      const least = businessDaysAfter(cal, Date.parse(esc.at), policy.chairMinimum.days);
      const due = dueAt(
        c.deadlines.determination,
        new Date(now),
        contextOf(c, c.deadlines.determination),
      ).getTime();
      if (due < least && due !== end) fail(`the chair has until ${new Date(due).toISOString()} only`);
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
