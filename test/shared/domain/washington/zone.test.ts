import assert from 'node:assert/strict';
import { transitions } from '../../../../scripts/generate-time-zone';
import { instantOf, localDate, localMinutes, offsetAt } from '../../../../shared/domain/washington/zone';
import { AMERICA_NEW_YORK_2025C as NY } from '../../../../shared/domain/washington/zone-america-new-york-2025c';

const at = (s: string): number => Date.parse(s);

describe('the pinned America/New_York table', () => {
  it('holds every transition of the time-zone database this Node.js carries', function () {
    // The table is what rules 2 pins. Should tzdata ever change New York's rules, this fails: generate a new
    // table (npm run generate:tz) and publish it with a new rules version, never by editing this one.
    this.timeout(30_000);
    const fromNode = transitions();
    assert.equal(fromNode.initial, NY.initialOffset);
    assert.deepEqual(
      fromNode.list.filter(([t]) => t < NY.validTo),
      NY.transitions.map(([t, o]) => [t, o]),
    );
  });

  it('gives EST and EDT either side of the 2026 transitions', () => {
    assert.deepEqual(
      [
        offsetAt(NY, at('2026-03-08T06:59:59.999Z')),
        offsetAt(NY, at('2026-03-08T07:00:00.000Z')),
        offsetAt(NY, at('2026-11-01T05:59:59.999Z')),
        offsetAt(NY, at('2026-11-01T06:00:00.000Z')),
      ],
      [-300, -240, -240, -300],
    );
  });

  it('reads an instant as a Washington date and time of day', () => {
    // 2026-11-26T02:00Z is still Wednesday evening, 21:00 EST, in Washington.
    assert.deepEqual(
      [localDate(NY, at('2026-11-26T02:00:00Z')), localMinutes(NY, at('2026-11-26T02:00:00Z'))],
      ['2026-11-25', 21 * 60],
    );
  });

  it('finds the instant of a Washington date and time, in summer and in winter', () => {
    assert.deepEqual(
      [instantOf(NY, '2026-07-06', 17 * 60), instantOf(NY, '2026-12-01', 17 * 60)].map((t) =>
        new Date(t).toISOString(),
      ),
      ['2026-07-06T21:00:00.000Z', '2026-12-01T22:00:00.000Z'],
    );
  });

  it('refuses an instant outside its table, rather than guessing', () => {
    assert.throws(() => offsetAt(NY, NY.validTo), RangeError);
  });
});
