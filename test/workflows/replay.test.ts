import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { BUNDLES_DIR, HISTORIES_DIR } from '../helpers/replay';
import { testDataConverter } from '../helpers/sealing';
import { testServers } from '../setup/servers';

// Recorded histories of every review path, per release (see test/helpers/replay.ts). Cases live 90 days and
// more, so the current code must replay every release's histories exactly; each history must also replay on
// its own release's frozen bundle, which proves it is a record of that release and not of later code.
const releases = readdirSync(HISTORIES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const fixturesOf = (release: string): string[] =>
  readdirSync(path.join(HISTORIES_DIR, release))
    .filter((f) => f.endsWith('.json'))
    .sort();

describe('replay of recorded review histories', () => {
  it('has recorded histories of release 1 to replay', () => {
    assert.ok(releases.includes('release-1'), `no release-1 folder in ${HISTORIES_DIR}`);
    assert.ok(fixturesOf('release-1').length > 0, 'release-1 has no histories');
  });

  for (const release of releases) {
    const frozen = path.join(BUNDLES_DIR, `${release}.js`);
    describe(release, () => {
      let releaseBundle: { code: string } | undefined;
      before(() => {
        if (existsSync(frozen)) releaseBundle = { code: readFileSync(frozen, 'utf8') };
      });

      for (const file of fixturesOf(release)) {
        it(`replays ${file}`, async () => {
          const history = JSON.parse(
            readFileSync(path.join(HISTORIES_DIR, release, file), 'utf8'),
          ) as unknown;
          const id = path.basename(file, '.json');
          // Today's workers seal and open every payload, also when they replay a history of release 1.
          const dataConverter = testDataConverter;
          await Worker.runReplayHistory(
            { workflowBundle: testServers().workflowBundle, dataConverter },
            history,
            id,
          );
          if (releaseBundle !== undefined) {
            // Each release replays as its own workers ran it: release 1 sealed nothing.
            const own = release === 'release-1' ? {} : { dataConverter };
            await Worker.runReplayHistory(
              { workflowBundle: releaseBundle, ...own },
              history,
              `${id}@${release}`,
            );
          }
        });
      }
    });
  }
});
