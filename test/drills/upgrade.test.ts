import assert from 'node:assert/strict';
import pino from 'pino';
import { runUpgradeDrill, type FromRelease, type UpgradeReport } from '../../drills/upgrade';

const RELEASES: FromRelease[] = ['release-1', 'release-2', 'release-3', 'release-4', 'release-5'];

/**
 * Issue 16: the upgrade drill at reduced size (one case of each kind from each release; `npm run upgrade-drill`
 * runs 40, from the release UPGRADE_FROM names). Cases opened and moved to mid-review by release 1's, 2's, 3's,
 * 4's and 5's committed workflow bundle, each on a task queue of its own, then today's worker deployed on that
 * queue and today's gateway; each case must finish as its decisions call for and replay on today's code. The
 * releases share one system (dev server, gateway, lab receiver) and go two at a time.
 */
describe('the upgrade drill, reduced (npm run upgrade-drill is the full size)', function () {
  this.timeout(10 * 60_000);
  let report: UpgradeReport;

  before(async () => {
    report = await runUpgradeDrill({ cases: 4, logger: pino({ level: 'silent' }), from: RELEASES });
  });

  for (const from of RELEASES) {
    it(`finishes on today’s code every case ${from} opened and moved to mid-review`, () => {
      const release = report.releases.find((r) => r.from === from);
      assert.ok(release !== undefined, `no report for ${from}`);
      assert.deepEqual(release.problems, []);
      assert.deepEqual(
        release.cases.map((c) => [c.mix, c.outcome, c.closedReason]),
        [
          ['accepted', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
          ['one decision in', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
          ['information request open', 'PROCEED_WITH_COMMITMENTS', 'RELEASED'],
          ['civilian review, one extension', 'NO_CONCERNS_IDENTIFIED', 'RELEASED'],
        ],
      );
      assert.ok(release.cases.every((c) => c.events > 0));
    });
  }
});
