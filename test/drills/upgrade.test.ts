import assert from 'node:assert/strict';
import pino from 'pino';
import { runUpgradeDrill, type FromRelease, type UpgradeReport } from '../../drills/upgrade';

/** The releases the drill deploys over: the oldest and the newest always, the ones between by turns. */
const OLDEST: FromRelease = 'release-1';
const NEWEST: FromRelease = 'release-5';
const BETWEEN: FromRelease[] = ['release-2', 'release-3', 'release-4'];
const SEED = Number(process.env.TEST_SEED ?? 0);
const RELEASES: FromRelease[] = [OLDEST, BETWEEN[Math.abs(SEED) % BETWEEN.length], NEWEST];

/**
 * Issue 16: the upgrade drill at reduced size (one case of each kind from three releases: the oldest, the
 * newest the drill knows and one of those between, chosen by the run's seed, so the runs take each in turn;
 * `UPGRADE_FROM=release-1,release-2,release-3,release-4,release-5 npm run upgrade-drill` runs them all at 40
 * cases each). Cases opened and moved to mid-review by the release's committed workflow bundle, each release on
 * a task queue of its own, then today's worker deployed on that queue and today's gateway; each case must
 * finish as its decisions call for and replay on today's code. Every release's recorded histories replay on
 * today's code in every run (test/workflows/replay.test.ts). The releases share one system (dev server,
 * gateway, lab receiver) and go two at a time.
 */
describe(`the upgrade drill, reduced (npm run upgrade-drill is the full size; ${RELEASES.join(', ')})`, function () {
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
