import assert from 'node:assert/strict';
import { ratingOf, scoreCvss } from '../../../shared/node/cvss';

describe('CVSS vectors, scored by a maintained library (issue 15)', () => {
  it('scores complete base vectors of every version with FIRST’s numbers and rating', () => {
    const cases: [string, string, number, string][] = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8, 'CRITICAL'],
      ['CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', '3.0', 1.8, 'LOW'],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3, 'CRITICAL'],
      ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5, 'HIGH'],
    ];
    for (const [vector, version, score, rating] of cases) {
      assert.deepEqual(scoreCvss(vector), { vector, version, score, rating }, vector);
    }
  });

  it('refuses what is not a complete vector, naming why', () => {
    const refusals: [string, RegExp][] = [
      ['garbage', /does not parse/],
      ['CVSS:3.1/AV:N/AC:L', /every base metric/],
      ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /every base metric/],
      ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV is given more than once/],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', /does not parse/],
    ];
    for (const [vector, why] of refusals) {
      const r = scoreCvss(vector);
      assert.ok('error' in r, vector);
      assert.match(r.error, why, vector);
    }
  });

  it('rates on FIRST’s qualitative scale', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingOf), [
      'NONE',
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
  });
});
