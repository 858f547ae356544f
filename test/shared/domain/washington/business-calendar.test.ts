import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy-presets';
import {
  businessCalendar,
  businessDaysAfter,
  calendarDaysAfter,
  dueAtCloseOfBusiness,
  endOfDayAfter,
  isBusinessDate,
} from '../../../../shared/domain/washington/business-calendar';
import { AMERICA_NEW_YORK_2025C as NY } from '../../../../shared/domain/washington/zone-america-new-york-2025c';

const holidays = DEFAULT_POLICY.businessDays!.holidays.map((h) => h.date);
const cal = businessCalendar(NY, '17:00', holidays);
const at = (s: string): number => Date.parse(s);
const text = (t: number): string => new Date(t).toISOString();

describe("Washington's business calendar", () => {
  it('knows weekends, observed federal holidays and declared closures', () => {
    const closed = businessCalendar(NY, '17:00', [...holidays, '2026-12-24']);
    assert.deepEqual(
      ['2026-07-03', '2026-07-04', '2026-07-06', '2026-11-26', '2026-12-24'].map((d) =>
        isBusinessDate(closed, d),
      ),
      [false, false, true, false, false],
    );
    assert.equal(isBusinessDate(cal, '2026-12-24'), true, 'without the closure it is a business day');
  });

  it('makes a deadline on a non-business day fall due at close of business on the next business day', () => {
    // Day 85 after acceptance on Thursday 2026-04-09 is Friday 2026-07-03, the observed Independence Day.
    const day85 = calendarDaysAfter(cal, at('2026-04-09T14:00:00Z'), 85);
    assert.equal(text(day85), '2026-07-03T21:00:00.000Z');
    assert.equal(text(dueAtCloseOfBusiness(cal, day85)), '2026-07-06T21:00:00.000Z');
  });

  it('keeps a due time at or before close of business on its day, and moves a later one to the next', () => {
    assert.deepEqual(
      [at('2026-03-06T21:59:00Z'), at('2026-03-06T22:00:00Z'), at('2026-03-06T22:01:00Z')].map((t) =>
        text(dueAtCloseOfBusiness(cal, t)),
      ),
      ['2026-03-06T22:00:00.000Z', '2026-03-06T22:00:00.000Z', '2026-03-09T21:00:00.000Z'],
    );
  });

  it('counts a business-day period from the next business day when it starts after close of business', () => {
    // Wednesday before Thanksgiving: at 10:00 the period counts from that day; at 21:00 from Friday.
    assert.deepEqual(
      [at('2026-11-25T15:00:00Z'), at('2026-11-26T02:00:00Z')].map((t) => text(businessDaysAfter(cal, t, 3))),
      ['2026-12-01T22:00:00.000Z', '2026-12-02T22:00:00.000Z'],
    );
  });

  it('counts a business-day period that starts on a weekend from the next business day', () => {
    assert.equal(text(businessDaysAfter(cal, at('2026-03-07T15:00:00Z'), 1)), '2026-03-10T21:00:00.000Z');
  });

  it('ends a window at 24:00 of its last day, in daylight saving time or not', () => {
    assert.deepEqual(
      [
        endOfDayAfter(cal, at('2026-04-09T14:00:00Z'), 90),
        endOfDayAfter(cal, at('2026-09-01T14:00:00Z'), 90),
      ].map(text),
      ['2026-07-09T04:00:00.000Z', '2026-12-01T05:00:00.000Z'],
    );
  });
});
