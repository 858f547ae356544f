import assert from 'node:assert/strict';
import pino from 'pino';
import { runUpgradeDrill } from '../../drills/upgrade';

/**
 * Issue 16: the upgrade drill at reduced size (one case of each kind; `npm run upgrade-drill` runs 40, from the
 * release UPGRADE_FROM names). Cases opened and moved to mid-review by release 1's, 2's, 3's, 4's, then 5's committed
 * workflow bundle, then today's worker and gateway
 * deployed on the same task queue; each case must finish as its decisions call for and replay on today's code.
 */
describe('the upgrade drill, reduced (npm run upgrade-drill is the full size)', function () {
  this.timeout(10 * 60_000);

  for (const from of ['release-1', 'release-2', 'release-3', 'release-4', 'release-5'] as const) {
    it(`finishes on today’s code every case ${from} opened and moved to mid-review`, async () => {
      const report = await runUpgradeDrill({ cases: 4, logger: pino({ level: 'silent' }), from });
      assert.deepEqual(report.problems, []);
      assert.deepEqual(
        report.cases.map((c) => [c.mix, c.outcome, c.closedReason]),
        [
          ['accepted', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
          ['one decision in', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
          ['information request open', 'PROCEED_WITH_COMMITMENTS', 'RELEASED'],
          ['civilian review, one extension', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
        ],
      );
      assert.ok(report.cases.every((c) => c.events > 0));
    });
  }
});
