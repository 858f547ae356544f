import assert from 'node:assert/strict';
import {
  addDays,
  businessDaysBetween,
  CalendarKind,
  federalHolidays,
  isBusinessDay,
  isFederalHoliday,
} from '../../../shared/domain/calendar';

const at = (iso: string): Date => new Date(iso);

describe('CalendarKind', () => {
  it('accepts calendar days and business days and nothing else', () => {
    assert.deepEqual(CalendarKind.options, ['CALENDAR_DAYS', 'BUSINESS_DAYS']);
    assert.equal(CalendarKind.safeParse('WORKING_DAYS').success, false);
  });
});

describe('federalHolidays', () => {
  it('lists the observed holidays of 2026, with Independence Day (a Saturday) on Friday July 3', () => {
    assert.deepEqual(federalHolidays(2026), [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('lists the observed holidays of 2027, moving Saturday ones to Friday and Sunday ones to Monday', () => {
    assert.deepEqual(federalHolidays(2027), [
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-10-11',
      '2027-11-11',
      '2027-11-25',
      '2027-12-24',
    ]);
  });

  it("lists 2028's New Year's Day, a Saturday, on Friday December 31 2027", () => {
    assert.deepEqual(federalHolidays(2028), [
      '2027-12-31',
      '2028-01-17',
      '2028-02-21',
      '2028-05-29',
      '2028-06-19',
      '2028-07-04',
      '2028-09-04',
      '2028-10-09',
      '2028-11-10',
      '2028-11-23',
      '2028-12-25',
    ]);
  });

  it('returns a fresh list each time, so a caller cannot corrupt the memoized one', () => {
    federalHolidays(2026).splice(0, 11);
    assert.equal(federalHolidays(2026).length, 11);
  });

  it('rejects a fractional year', () => {
    assert.throws(() => federalHolidays(2026.5), RangeError);
  });
});

describe('isFederalHoliday', () => {
  it("counts December 31 2027 as a holiday, the next year's New Year's Day observed", () => {
    assert.equal(isFederalHoliday(at('2027-12-31T15:00:00Z')), true);
  });

  it('counts the observed day and not the Saturday a holiday falls on', () => {
    assert.deepEqual(
      [isFederalHoliday(at('2026-07-03T12:00:00Z')), isFederalHoliday(at('2026-07-04T12:00:00Z'))],
      [true, false],
    );
  });

  it('judges the UTC date, not a local one', () => {
    // 23:30 on July 2 in Washington is already July 3 in UTC.
    assert.equal(isFederalHoliday(at('2026-07-02T23:30:00-04:00')), true);
  });
});

describe('isBusinessDay', () => {
  it('is true on an ordinary weekday', () => {
    assert.equal(isBusinessDay(at('2026-07-06T09:00:00Z')), true);
  });

  it('is false on Saturday and Sunday', () => {
    assert.deepEqual(
      [isBusinessDay(at('2026-03-07T09:00:00Z')), isBusinessDay(at('2026-03-08T09:00:00Z'))],
      [false, false],
    );
  });

  it('is false on an observed holiday that falls on a weekday', () => {
    assert.equal(isBusinessDay(at('2026-11-26T09:00:00Z')), false);
  });
});

describe('addDays', () => {
  it('adds calendar days as exact multiples of 24 hours', () => {
    assert.equal(
      addDays(at('2026-03-01T12:00:00Z'), 10, 'CALENDAR_DAYS').toISOString(),
      '2026-03-11T12:00:00.000Z',
    );
  });

  it('adds fractional calendar days, rounded to the millisecond', () => {
    assert.deepEqual(
      [
        addDays(at('2026-03-01T12:00:00Z'), 1.5, 'CALENDAR_DAYS').toISOString(),
        addDays(at('2026-03-01T12:00:00Z'), 0.0000001, 'CALENDAR_DAYS').toISOString(),
      ],
      ['2026-03-03T00:00:00.000Z', '2026-03-01T12:00:00.009Z'],
    );
  });

  it('skips the weekend when adding one business day to a Friday', () => {
    assert.equal(
      addDays(at('2026-03-06T16:30:00Z'), 1, 'BUSINESS_DAYS').toISOString(),
      '2026-03-09T16:30:00.000Z',
    );
  });

  it('lands on Wednesday three business days after a Friday', () => {
    assert.equal(
      addDays(at('2026-03-06T16:30:00Z'), 3, 'BUSINESS_DAYS').toISOString(),
      '2026-03-11T16:30:00.000Z',
    );
  });

  it('skips Thanksgiving and the weekend after it', () => {
    assert.equal(
      addDays(at('2026-11-25T14:00:00Z'), 2, 'BUSINESS_DAYS').toISOString(),
      '2026-11-30T14:00:00.000Z',
    );
  });

  it("skips observed Christmas and the next year's observed New Year's Day", () => {
    assert.equal(
      addDays(at('2027-12-23T14:00:00Z'), 5, 'BUSINESS_DAYS').toISOString(),
      '2028-01-03T14:00:00.000Z',
    );
  });

  it("counts from a weekend start's date: one business day after a Saturday is Monday", () => {
    assert.equal(
      addDays(at('2026-03-07T10:00:00Z'), 1, 'BUSINESS_DAYS').toISOString(),
      '2026-03-09T10:00:00.000Z',
    );
  });

  it('returns the start itself for zero business days, even on a Sunday', () => {
    assert.equal(
      addDays(at('2026-03-08T10:00:00Z'), 0, 'BUSINESS_DAYS').toISOString(),
      '2026-03-08T10:00:00.000Z',
    );
  });

  it('rejects fractional or negative business days with a RangeError', () => {
    assert.throws(() => addDays(at('2026-03-06T00:00:00Z'), 1.5, 'BUSINESS_DAYS'), RangeError);
    assert.throws(() => addDays(at('2026-03-06T00:00:00Z'), -1, 'BUSINESS_DAYS'), RangeError);
  });

  it('rejects non-finite calendar days with a RangeError', () => {
    assert.throws(() => addDays(at('2026-03-06T00:00:00Z'), Number.NaN, 'CALENDAR_DAYS'), RangeError);
  });
});

describe('businessDaysBetween', () => {
  it('counts five business days from one Friday to the next', () => {
    assert.equal(businessDaysBetween(at('2026-03-06T09:00:00Z'), at('2026-03-13T09:00:00Z')), 5);
  });

  it('excludes the start date and includes the end date, whatever the times of day', () => {
    assert.deepEqual(
      [
        businessDaysBetween(at('2026-03-09T23:00:00Z'), at('2026-03-10T01:00:00Z')),
        businessDaysBetween(at('2026-03-09T01:00:00Z'), at('2026-03-09T23:00:00Z')),
      ],
      [1, 0],
    );
  });

  it('does not count Thanksgiving', () => {
    assert.equal(businessDaysBetween(at('2026-11-20T09:00:00Z'), at('2026-11-27T09:00:00Z')), 4);
  });

  it('is zero when the end is before the start', () => {
    assert.equal(businessDaysBetween(at('2026-03-13T09:00:00Z'), at('2026-03-06T09:00:00Z')), 0);
  });

  it('inverts addDays in business days', () => {
    const start = at('2027-12-20T14:00:00Z');
    const counts = [1, 4, 5, 10, 30].map((n) =>
      businessDaysBetween(start, addDays(start, n, 'BUSINESS_DAYS')),
    );
    assert.deepEqual(counts, [1, 4, 5, 10, 30]);
  });
});
