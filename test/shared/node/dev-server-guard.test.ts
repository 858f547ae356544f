import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive } from '../../../shared/node/pids';
import { PROJECT_ROOT } from '../../../shared/node/tools';

/** Starts the stand-in main job, reads its child's pid, kills the stand-in outright, answers the child's pid. */
async function killParentOf(guarded: boolean): Promise<number> {
  const parent = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/processes/guarded-child.ts', ...(guarded ? ['--guarded'] : [])],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  assert.ok(isAlive(pid));
  parent.kill('SIGKILL');
  await new Promise((resolve) => parent.once('close', resolve));
  return pid;
}

/** Issue 16: a main job killed outright (SIGKILL, the OOM killer) leaves no embedded server running. */
describe('the embedded server’s guard', function () {
  this.timeout(30_000);

  it('stops a quiet child within seconds of its parent being killed outright', async () => {
    const pid = await killParentOf(true);
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(isAlive(pid), false, `child ${pid} still running`);
  });

  it('is what stops it: an unguarded quiet child outlives its parent', async () => {
    const pid = await killParentOf(false);
    await new Promise((r) => setTimeout(r, 3_000));
    try {
      assert.equal(isAlive(pid), true, 'without the guard the child would be orphaned');
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
