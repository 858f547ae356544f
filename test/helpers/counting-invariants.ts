import type { CaseView, LifeRecord, LifeStep } from './case-life';

/**
 * The counting rules of domain.md section 4 ("Counting, precisely") as invariants of what a case life observed
 * (./case-life.ts, `observe`). Each is an independent oracle: Washington's dates and wall clock come from Intl
 * (the runtime's own time-zone database), the federal holidays from the statute's rules written out below, and
 * the expected due times from those, never from the product's dueAt, windowEnd or business calendar. Each
 * check throws `counting invariant broken (<name>)` with the dates, or returns how many cases it judged.
 *
 * Rules 1-6 predate these rules: test/meta/counting-invariants.test.ts shows each invariant failing on a rules-6
 * life at issue 35's dates, and keeping on one that obeys it. The lives (test/shared/domain/review/lives.test.ts)
 * run them for every case whose rules are COUNTING_RULES_FROM or later.
 */

/** The rules version that counts as domain.md's "Counting, precisely" says (issue 35). */
export const COUNTING_RULES_FROM = 7;

/** Each invariant's name, as its violations are reported, and what it holds in domain.md's words. */
export const COUNTING_INVARIANTS = {
  extension:
    "an extension of N days leaves the agency's due time later by at least N calendar days, unless capped at " +
    "the window's end or moved back by the order rule",
  toll:
    'a toll under half a day moves nothing; a longer one moves a deadline by its length in whole days on ' +
    "Washington's wall clock, rounded, then to a business day",
  order:
    'designation < national-security stage < civilian stage < determination < window end after moving to ' +
    "business days, with at least one business day between the determination and the window's end",
  designation:
    "a funding lapse tolls, and a closure moves, NSA's designation deadline like every government clock",
  lapseOffer:
    "a case whose tolled deadlines would pass the window's end during a lapse is offered the window extension " +
    'then, not when the lapse ends',
} as const;
export type CountingInvariant = keyof typeof COUNTING_INVARIANTS;

const DAY_MS = 86_400_000;
/** Close of business in Washington: the policy's, 17:00 in every preset (domain.md section 4). */
const CLOSE_OF_BUSINESS = '17:00';

// ---------------------------------------------------------------------------------------------------------
// Washington's calendar, independently

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function wall(at: number): { date: string; time: string; local: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const [y, mo, d, h, mi, s] = [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number);
  const ms = ((at % 1000) + 1000) % 1000;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    local: Date.UTC(y, mo - 1, d, h, mi, s, ms),
  };
}

/** Washington's date of an instant, 'YYYY-MM-DD'. */
export const dateOf = (at: number): string => wall(at).date;

/** Washington's wall-clock time of an instant, 'HH:MM'. */
export const timeOf = (at: number): string => wall(at).time;

/** Days between two instants on Washington's wall clock: a daylight-saving change adds or removes nothing. */
export const wallDays = (from: number, to: number): number => (wall(to).local - wall(from).local) / DAY_MS;

export const plusDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The instant a Washington date and time occur (EDT or EST, whichever Intl says is in force). */
export function instantIn(date: string, time: string): number {
  for (const offset of ['-04:00', '-05:00']) {
    const t = Date.parse(`${date}T${time}:00${offset}`);
    const w = wall(t);
    if (w.date === date && w.time === time) return t;
  }
  throw new Error(`${date} ${time} does not occur in Washington`);
}

/** Close of business on a Washington date. */
export const closeOfBusiness = (date: string): number => instantIn(date, CLOSE_OF_BUSINESS);

/** The last Washington date of a window that ends at `end` (24:00 of that date). */
const lastDateBefore = (end: number): string => dateOf(end - 1);

const nthWeekday = (year: number, month: number, weekday: number, n: number): string => {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
};

const lastWeekday = (year: number, month: number, weekday: number): string => {
  const lastDay = new Date(Date.UTC(year, month, 0));
  const back = (lastDay.getUTCDay() - weekday + 7) % 7;
  return new Date(lastDay.getTime() - back * DAY_MS).toISOString().slice(0, 10);
};

/** A fixed-date holiday on a Saturday is observed the Friday before, on a Sunday the Monday after. */
const observed = (date: string): string => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 6 ? plusDays(date, -1) : weekday === 0 ? plusDays(date, 1) : date;
};

/**
 * The federal holidays of 5 U.S.C. 6103(a) observed in `year` (Executive Order 11582 for the weekend rule).
 * New Year's Day of the next year is observed on 31 December when it falls on a Saturday.
 */
export function federalHolidays(year: number): string[] {
  const fixed = (month: number, day: number) =>
    observed(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  const all = [
    fixed(1, 1),
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.: third Monday in January
    nthWeekday(year, 2, 1, 3), // Washington's Birthday: third Monday in February
    lastWeekday(year, 5, 1), // Memorial Day: last Monday in May
    fixed(6, 19), // Juneteenth National Independence Day
    fixed(7, 4),
    nthWeekday(year, 9, 1, 1), // Labor Day: first Monday in September
    nthWeekday(year, 10, 1, 2), // Columbus Day: second Monday in October
    fixed(11, 11),
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day: fourth Thursday in November
    fixed(12, 25),
    observed(`${year + 1}-01-01`),
  ];
  return all.filter((d) => d.startsWith(`${year}-`));
}

const HOLIDAYS = new Set(Array.from({ length: 20 }, (_, i) => federalHolidays(2024 + i)).flat());

/** Whether offices are open on a Washington date: a weekday, not a federal holiday, not a declared closure. */
export const isBusinessDate = (date: string, closures: ReadonlySet<string>): boolean => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(date) && !closures.has(date);
};

/** The business date on or after `date`: where a deadline falling on it moves forward to. */
const businessOnOrAfter = (date: string, closures: ReadonlySet<string>): string => {
  let d = date;
  while (!isBusinessDate(d, closures)) d = plusDays(d, 1);
  return d;
};

/** The business date before `date`: where the order rule moves a deadline back to. */
const businessBefore = (date: string, closures: ReadonlySet<string>): string => {
  let d = plusDays(date, -1);
  while (!isBusinessDate(d, closures)) d = plusDays(d, -1);
  return d;
};

/**
 * Close of business on the N-th business day after an event, counted from the next business day when the event
 * comes at or after close of business or on a day offices are closed.
 */
export function businessDaysAfter(at: number, days: number, closures: ReadonlySet<string>): number {
  const w = wall(at);
  let d =
    isBusinessDate(w.date, closures) && w.time < CLOSE_OF_BUSINESS
      ? w.date
      : businessOnOrAfter(plusDays(w.date, 1), closures);
  for (let i = 0; i < days; i += 1) d = businessOnOrAfter(plusDays(d, 1), closures);
  return closeOfBusiness(d);
}

// ---------------------------------------------------------------------------------------------------------
// Reading what the life observed

const text = (at: number | undefined): string =>
  at === undefined ? '(none)' : `${dateOf(at)} ${timeOf(at)} (${new Date(at).toISOString()})`;

function broken(name: CountingInvariant, detail: string): never {
  throw new Error(`counting invariant broken (${name}): ${detail} [${COUNTING_INVARIANTS[name]}]`);
}

/** The closure dates the government had declared by `at` (the truth every case follows). */
const closuresBy = (life: LifeRecord, at: number): Set<string> =>
  new Set(life.government.closures.filter((x) => Date.parse(x.declaredAt) <= at).flatMap((x) => x.dates));

const lapses = (life: LifeRecord) =>
  life.government.lapses.map((l) => ({
    id: l.id,
    from: Date.parse(l.from),
    to: l.to === undefined ? Infinity : Date.parse(l.to),
  }));

const isGovernmentKey = (key: string): boolean =>
  key === 'designation' || key === 'determination' || key.startsWith('stage:') || key.startsWith('agency:');

const agencyOfActor = (actor: unknown): string => String(actor).replace(/^agency:/, '');

const applied = (s: LifeStep, ...names: string[]): boolean =>
  s.kind === 'message' && s.result === 'APPLIED' && names.includes(s.message ?? '');

/** Messages that move deadlines or the window by rules other than a toll's. */
const MOVERS = [
  'requestExtension',
  'requestInformation',
  'answerInformationRequest',
  'amendReleaseDate',
  'respondToExtensionOffer',
  'declareClosure',
  'tollClocks',
  'resumeClocks',
];

/**
 * Where a funding lapse began for the accepted case, and the case as it stood then: the view before the
 * tollClocks message, or, for a case accepted during the lapse (tolled from its acceptance), at acceptance.
 */
function lapseStart(
  life: LifeRecord,
  lapse: { id: string; from: number },
): { index: number; view: CaseView } | undefined {
  const accepted = acceptance(life);
  if (accepted === undefined) return undefined;
  if (lapse.from < accepted.view.at) return accepted;
  const index = life.steps.findIndex((s) => applied(s, 'tollClocks') && s.payload?.lapseId === lapse.id);
  const view = life.steps[index]?.before;
  return index < 0 || view === undefined ? undefined : { index, view };
}

/** The first view of the accepted case: at its acceptance. */
const acceptance = (life: LifeRecord): { index: number; view: CaseView } | undefined => {
  const index = life.steps.findIndex((s) => s.after.acceptedAt !== undefined);
  return index < 0 ? undefined : { index, view: life.steps[index].after };
};

// ---------------------------------------------------------------------------------------------------------
// (a) extensions

/**
 * An extension of N days counts from the due date as it stands, then moves to a business day: the agency's
 * due time is later than it was, by at least N calendar days, unless the window's end caps it or the order rule
 * moves it back to the business day before. Both are read at the instant the extension was applied.
 */
export function checkExtensions(life: LifeRecord): number {
  let judged = 0;
  for (const s of life.steps) {
    if (!applied(s, 'requestExtension') || s.before === undefined) continue;
    const agency = agencyOfActor(s.payload?.actor);
    const key = `agency:${s.before.stage}:${agency}`;
    const days = Number(s.payload?.days);
    const was = s.before.due[key];
    const is = s.after.due[key];
    const end = s.after.windowEnd;
    if (was === undefined || is === undefined || end === undefined) {
      broken('extension', `${agency}'s extension at ${text(s.at)} left no due time to read (${key})`);
    }
    judged += 1;
    if (was === end && is === end) continue; // capped before and after: only the lab's consent moves it
    const closures = closuresBy(life, s.at);
    const least = plusDays(dateOf(was), days);
    const forward = closeOfBusiness(businessOnOrAfter(least, closures));
    const back = closeOfBusiness(businessBefore(least, closures));
    const later = is > was && dateOf(is) >= least;
    const capped = is === end && forward > end;
    const movedBack = is === back && is > was;
    if (!later && !capped && !movedBack) {
      broken(
        'extension',
        `${agency} extended its ${s.before.stage} deadline by ${days} day(s) at ${text(s.at)}: due ` +
          `${text(was)} before, ${text(is)} after; the rule gives ${text(Math.min(forward, end))}`,
      );
    }
  }
  return judged;
}

// ---------------------------------------------------------------------------------------------------------
// (b) tolls

interface TollSpan {
  what: string;
  start: number;
  end: number;
  /** The views at the toll's start and end: due times before it began and after it ended. */
  before: CaseView;
  after: CaseView;
  /** The steps strictly between its start and end. */
  between: readonly LifeStep[];
  keys: string[];
}

/** The funding lapses that began and ended over the accepted case, each with the deadlines it tolled. */
function lapseSpans(life: LifeRecord): TollSpan[] {
  const spans: TollSpan[] = [];
  for (const lapse of lapses(life)) {
    const endIndex = life.steps.findIndex(
      (s) => applied(s, 'resumeClocks') && s.payload?.lapseId === lapse.id,
    );
    const start = lapseStart(life, lapse);
    if (endIndex < 0 || start === undefined || start.index > endIndex) continue;
    const before = start.view;
    const end = life.steps[endIndex].at;
    // An information request over any part of it tolls its agency's deadline too: not judged apart.
    const asking = new Set(
      life.case.informationRequests
        .filter(
          (r) =>
            Date.parse(r.askedAt) < end &&
            (r.answeredAt === undefined || Date.parse(r.answeredAt) > before.at),
        )
        .map((r) => `agency:${r.stage}:${r.agency}`),
    );
    // The open stage's own deadline shows as it binds (the latest of its agencies'); its agencies are judged.
    const keys = before.open.filter(
      (k) => isGovernmentKey(k) && k !== 'designation' && k !== `stage:${before.stage}` && !asking.has(k),
    );
    spans.push({
      what: `funding lapse ${lapse.id}`,
      start: before.at,
      end,
      before,
      after: life.steps[endIndex].after,
      between: life.steps.slice(start.index + 1, endIndex),
      keys,
    });
  }
  return spans;
}

/** The information requests answered within the tolling cap, each with the agency deadline it tolled. */
function requestSpans(life: LifeRecord): TollSpan[] {
  const spans: TollSpan[] = [];
  const capMs = (life.case.policy?.tollingCapDays ?? 0) * DAY_MS;
  const tolledBefore = new Set<string>();
  for (const r of life.case.informationRequests) {
    const key = `agency:${r.stage}:${r.agency}`;
    const earlier = tolledBefore.has(key);
    tolledBefore.add(key);
    // The cap counts every request on one deadline together: only a deadline's first request is judged whole.
    if (earlier || r.answeredAt === undefined || r.tollCapReachedAt !== undefined) continue;
    const asked = Date.parse(r.askedAt);
    const answered = Date.parse(r.answeredAt);
    if (answered - asked > capMs) continue;
    const startIndex = life.steps.findIndex(
      (s) => applied(s, 'requestInformation') && s.at === asked && s.payload?.actor === `agency:${r.agency}`,
    );
    const endIndex = life.steps.findIndex(
      (s) => applied(s, 'answerInformationRequest') && s.payload?.requestId === r.id,
    );
    const before = life.steps[startIndex]?.before;
    if (startIndex < 0 || endIndex < 0 || before === undefined) continue;
    // A lapse over any part of it tolls the same deadline: the two are not judged apart.
    if (lapses(life).some((l) => l.from <= answered && l.to >= asked)) continue;
    spans.push({
      what: `information request ${r.id} from ${r.agency}`,
      start: asked,
      end: answered,
      before,
      after: life.steps[endIndex].after,
      between: life.steps.slice(startIndex + 1, endIndex),
      keys: [key],
    });
  }
  return spans;
}

/**
 * A toll moves a deadline by the whole days it lasted on Washington's wall clock, rounded to the nearest day,
 * as calendar days, then to a business day (forward, or back by the order rule); under half a day it moves
 * nothing. Judged on each deadline whose due time nothing else could move while the toll ran: no extension,
 * other toll, amendment, window change, closure or stage change in between, and neither met nor capped.
 */
export function checkTolls(life: LifeRecord): number {
  let judged = 0;
  for (const span of [...lapseSpans(life), ...requestSpans(life)]) {
    const { before, after } = span;
    if (after.stage === 'CLOSED' || after.windowEnd !== before.windowEnd || after.windowEnd === undefined)
      continue;
    if (span.between.some((s) => applied(s, ...MOVERS))) continue;
    if ([...span.between.map((s) => s.after), after].some((v) => v.stage !== before.stage)) continue;
    const days = Math.round(wallDays(span.start, span.end));
    const closures = closuresBy(life, span.end);
    for (const key of span.keys) {
      const was = before.due[key];
      const is = after.due[key];
      if (was === undefined || is === undefined || !after.open.includes(key) || was >= after.windowEnd)
        continue;
      judged += 1;
      const target = plusDays(dateOf(was), days);
      const forward = days === 0 ? was : closeOfBusiness(businessOnOrAfter(target, closures));
      const back = closeOfBusiness(businessBefore(target, closures));
      const capped = forward > after.windowEnd && is === after.windowEnd;
      // Back to the business day before, by the order rule: it may leave a Friday deadline where it was.
      const movedBack = days > 0 && is === back && is >= was;
      if (is !== forward && !capped && !movedBack) {
        broken(
          'toll',
          `${span.what} from ${text(span.start)} to ${text(span.end)} (${wallDays(span.start, span.end).toFixed(3)} ` +
            `days on the wall clock, so ${days}) moved ${key} from ${text(was)} to ${text(is)}; the rule gives ` +
            text(forward),
        );
      }
    }
  }
  return judged;
}

// ---------------------------------------------------------------------------------------------------------
// (c) order

/**
 * At acceptance, with the window whole (no SHORT_NOTICE: a release planned days away leaves no room for the
 * order), the deadlines after their moves to business days keep the process's order, each strictly after the
 * one before, and a business day lies after the determination's date and on or before the window's last day.
 */
export function checkOrder(life: LifeRecord): number {
  const accepted = acceptance(life);
  if (accepted === undefined) return 0;
  const v = accepted.view;
  if (v.flags.includes('SHORT_NOTICE') || v.windowEnd === undefined) return 0;
  const closures = closuresBy(life, v.at);
  const policy = `${life.case.policy?.id} v${life.case.policy?.version}`;
  const chain: [string, number | undefined][] = [
    ['designation', v.designation?.decided?.at],
    ['national-security stage', v.due['stage:NATIONAL_SECURITY']],
    ['civilian stage', v.due['stage:CIVILIAN']],
    ['determination', v.due.determination],
    ["window's end", v.windowEnd],
  ];
  const present = chain.filter((x): x is [string, number] => x[1] !== undefined);
  const shown = present.map(([name, at]) => `${name} ${text(at)}`).join(', ');
  present.slice(1).forEach(([name, at], i) => {
    const [previous, was] = present[i];
    if (!(was < at)) {
      broken('order', `accepted ${text(v.at)} under ${policy}: ${previous} is not before ${name} (${shown})`);
    }
  });
  const determination = v.due.determination;
  if (determination === undefined)
    broken('order', `accepted ${text(v.at)} under ${policy} without a determination`);
  const last = lastDateBefore(v.windowEnd);
  let gap = 0;
  for (let d = plusDays(dateOf(determination), 1); d <= last; d = plusDays(d, 1)) {
    if (isBusinessDate(d, closures)) gap += 1;
  }
  if (gap < 1) {
    broken(
      'order',
      `accepted ${text(v.at)} under ${policy}: no business day between the determination and the window's ` +
        `end (${shown})`,
    );
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------------------
// (d) the designation

/**
 * Every government clock is tolled by a funding lapse and moved by a closure, NSA's designation deadline
 * before acceptance too: the proposal never stands by NSA's silence while a lapse runs or on a day the offices
 * are closed; a pending designation is never due on a declared closure; and a lapse that ends while the
 * designation is pending moves its deadline as every toll does.
 */
export function checkDesignation(life: LifeRecord): number {
  let judged = 0;
  const all = lapses(life);
  for (const s of life.steps) {
    const d = s.after.designation;
    if (d === undefined || d.decided !== undefined) continue;
    judged += 1;
    if (closuresBy(life, s.at).has(dateOf(d.due))) {
      broken('designation', `at ${text(s.at)} the pending designation is due ${text(d.due)}, a closure`);
    }
  }
  const decision = life.case.designation?.decision;
  if (decision?.source === 'PROPOSAL_STANDS') {
    judged += 1;
    const at = Date.parse(decision.at);
    const lapse = all.find((l) => l.from <= at && at < l.to);
    if (lapse !== undefined) {
      broken(
        'designation',
        `the screen's proposal stood by ${life.case.designation?.agency}'s silence at ${text(at)}, during ` +
          `funding lapse ${lapse.id} (from ${text(lapse.from)})`,
      );
    }
    if (closuresBy(life, at).has(dateOf(at))) {
      broken('designation', `the screen's proposal stood by silence at ${text(at)}, a closure`);
    }
  }
  // A lapse that ends while the designation is still pending has moved it by its whole days.
  for (const lapse of all) {
    const startIndex = life.steps.findIndex((s) => s.at >= lapse.from);
    const endIndex = life.steps.findIndex(
      (s) => s.kind === 'message' && s.message === 'resumeClocks' && s.payload?.lapseId === lapse.id,
    );
    if (startIndex < 0 || endIndex < 0) continue;
    const first = life.steps[startIndex];
    const was = (first.kind === 'message' ? first.before : first.after)?.designation;
    const is = life.steps[endIndex].after.designation;
    if (was === undefined || is === undefined || was.decided !== undefined || is.decided !== undefined)
      continue;
    if (life.steps.slice(startIndex + 1, endIndex).some((s) => applied(s, 'declareClosure'))) continue;
    judged += 1;
    const start = Math.max(lapse.from, first.at);
    const days = Math.round(wallDays(start, lapse.to));
    const target = plusDays(dateOf(was.due), days);
    const expected =
      days === 0 ? was.due : closeOfBusiness(businessOnOrAfter(target, closuresBy(life, lapse.to)));
    if (is.due !== expected) {
      broken(
        'designation',
        `funding lapse ${lapse.id} from ${text(start)} to ${text(lapse.to)} left the pending designation due ` +
          `${text(is.due)} (it was due ${text(was.due)}); the rule gives ${text(expected)}`,
      );
    }
  }
  return judged;
}

// ---------------------------------------------------------------------------------------------------------
// (e) the window-extension offer during a lapse

/**
 * During a lapse the case still checks its window: the moment the deadlines it tolled would pass the window's
 * end (close of business on a deadline's date plus the lapse's whole days so far, before any move to a business
 * day, after the window's end), the lab is offered the extension, at once: within a day of that moment (the
 * product may count the move to a business day first, which only makes it earlier), and before the case closes.
 * Judged on
 * lapses over an accepted case whose window was not at risk and had no offer open or declined when it began,
 * and during which nothing but the lapse moved a deadline (decisions and the chair may still come).
 */
export function checkLapseOffers(life: LifeRecord): number {
  let judged = 0;
  const c = life.case;
  for (const lapse of lapses(life)) {
    const before = lapseStart(life, lapse)?.view;
    if (before === undefined || before.stage === 'CLOSED' || before.windowEnd === undefined) continue;
    const start = before.at;
    const end = before.windowEnd;
    if (before.flags.includes('WINDOW_AT_RISK')) continue;
    const pending = c.extensionOffers.some(
      (o) =>
        Date.parse(o.offeredAt) <= start &&
        (o.respondedAt === undefined || Date.parse(o.respondedAt) > start || o.response === 'DECLINED'),
    );
    if (pending) continue;
    const keys = before.open.filter((k) => isGovernmentKey(k) && k !== 'designation');
    if (keys.some((k) => before.due[k] >= end)) continue;
    // When each deadline, moved by the lapse's rounded days so far, would fall due after the window's end.
    const crossings = keys.flatMap((k) => {
      const date = dateOf(before.due[k]);
      let days = Math.max(1, daysBetween(date, dateOf(end)));
      while (closeOfBusiness(plusDays(date, days)) <= end) days += 1;
      const at = crossingAt(start, days);
      const met = c.deadlines[k]?.metAt;
      return met !== undefined && Date.parse(met) <= at ? [] : [{ key: k, at }];
    });
    if (crossings.length === 0) continue;
    const firstCrossing = crossings.reduce((a, b) => (b.at < a.at ? b : a));
    const closedAt = c.closedAt === undefined ? Infinity : Date.parse(c.closedAt);
    if (firstCrossing.at >= lapse.to || firstCrossing.at >= closedAt) continue;
    const by = Math.min(firstCrossing.at + DAY_MS, closedAt);
    const during = life.steps.filter((s) => s.at > start && s.at <= Math.min(by, lapse.to));
    if (during.some((s) => applied(s, ...MOVERS) && !(s.message === 'resumeClocks' && s.at === lapse.to)))
      continue;
    judged += 1;
    const offered = c.extensionOffers.find((o) => {
      const at = Date.parse(o.offeredAt);
      return at >= start && at <= by;
    });
    if (offered === undefined) {
      const later = c.extensionOffers.find((o) => Date.parse(o.offeredAt) > by);
      broken(
        'lapseOffer',
        `funding lapse ${lapse.id} from ${text(start)}: ${firstCrossing.key} (due ${text(before.due[firstCrossing.key])}) ` +
          `would pass the window's end ${text(end)} from ${text(firstCrossing.at)}, but the lab was offered no ` +
          `extension by ${text(by)}${later === undefined ? '' : ` (only at ${text(Date.parse(later.offeredAt))})`}`,
      );
    }
  }
  return judged;
}

/** The first instant after `start` at which a toll's length on the wall clock rounds to `days` days. */
function crossingAt(start: number, days: number): number {
  let at = start + (days - 0.5) * DAY_MS;
  // Across a daylight-saving change the wall clock runs an hour ahead or behind the instants.
  for (let i = 0; i < 3; i += 1) at -= (wallDays(start, at) - (days - 0.5)) * DAY_MS;
  return at;
}

/** Every counting invariant over one observed life; throws the first one broken. */
export function checkCounting(life: LifeRecord): void {
  checkExtensions(life);
  checkTolls(life);
  checkOrder(life);
  checkDesignation(life);
  checkLapseOffers(life);
}
