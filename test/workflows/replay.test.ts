import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { BUNDLES_DIR, HISTORIES_DIR } from '../helpers/replay';
import { testReplayDataConverter } from '../helpers/sealing';
import { testServers } from '../setup/servers';

// Recorded histories of every review path, per release (see test/helpers/replay.ts). Cases live 90 days and
// more, so the current code must replay every release's histories exactly, all of them in every run. Each
// history must also replay on its own release's frozen bundle, which proves it is a record of that release and
// not of later code: a frozen release's histories and bundle never change once committed, so a run replays a
// third of them there, chosen by its seed (TEST_SEED), and the runs take every one in turn;
// REPLAY_OWN_BUNDLE=all replays every one.
const releases = readdirSync(HISTORIES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const fixturesOf = (release: string): string[] =>
  readdirSync(path.join(HISTORIES_DIR, release))
    .filter((f) => f.endsWith('.json'))
    .sort();

const SEED = Number(process.env.TEST_SEED ?? 0);
/** Whether this run replays `file` of `release` on the release's own bundle too. */
const onOwnBundle = (release: string, file: string): boolean =>
  process.env.REPLAY_OWN_BUNDLE === 'all' ||
  createHash('sha256').update(`${SEED}/${release}/${file}`).digest()[0] % 3 === 0;

/** Replays `histories` on one replay worker (the SDK's batch replay), each history's error by its id. */
async function replayAll(
  options: Parameters<typeof Worker.runReplayHistories>[0],
  histories: { workflowId: string; history: unknown }[],
): Promise<Map<string, Error | undefined>> {
  const results = new Map<string, Error | undefined>();
  const batch = histories as Parameters<typeof Worker.runReplayHistories>[1];
  for await (const result of Worker.runReplayHistories(options, batch)) {
    results.set(result.workflowId, result.error);
  }
  return results;
}

describe('replay of recorded review histories', () => {
  it('has recorded histories of release 1 to replay', () => {
    assert.ok(releases.includes('release-1'), `no release-1 folder in ${HISTORIES_DIR}`);
    assert.ok(fixturesOf('release-1').length > 0, 'release-1 has no histories');
  });

  for (const release of releases) {
    const frozen = path.join(BUNDLES_DIR, `${release}.js`);
    describe(release, function () {
      this.timeout(120_000);
      const files = fixturesOf(release);
      let today: Map<string, Error | undefined>;
      let own: Map<string, Error | undefined> | undefined;

      // Every history of the release replays on one replay worker per bundle; each test reads its own result.
      before(async () => {
        const histories = files.map((file) => ({
          workflowId: path.basename(file, '.json'),
          history: JSON.parse(readFileSync(path.join(HISTORIES_DIR, release, file), 'utf8')) as unknown,
        }));
        // Today's workers seal and open every payload, also when they replay a history of release 1; a history
        // replays under its file's name, in the replayer's namespace, so each payload opens under the binding it
        // was recorded with (shared/node/payload-codec.ts).
        const dataConverter = testReplayDataConverter;
        today = await replayAll({ workflowBundle: testServers().workflowBundle, dataConverter }, histories);
        if (existsSync(frozen)) {
          // Each release replays as its own workers ran it: release 1 sealed nothing.
          const converter = release === 'release-1' ? {} : { dataConverter };
          own = await replayAll(
            { workflowBundle: { code: readFileSync(frozen, 'utf8') }, ...converter },
            histories.filter((h) => onOwnBundle(release, `${h.workflowId}.json`)),
          );
        }
      });

      for (const file of files) {
        it(`replays ${file}`, () => {
          const id = path.basename(file, '.json');
          assert.ok(today.has(id), `${id} was not replayed`);
          const error = today.get(id);
          if (error !== undefined) throw error;
          if (own !== undefined && onOwnBundle(release, file)) {
            assert.ok(own.has(id), `${id} was not replayed on the ${release} bundle`);
            const ownError = own.get(id);
            if (ownError !== undefined) throw ownError;
          }
        });
      }
    });
  }
});
