import assert from 'node:assert/strict';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { rejectedWithoutTrace } from '../helpers/assertions';
import { DAY_MS, iso, status, withAcceptedCaseOnDevServer, type ReviewHandle } from '../helpers/review';

/*
 * These run on the real dev server: it drops the speculative workflow task of a rejected update, so "no trace"
 * includes the history. (The time-skipping test server records that task's three events.) Nothing here needs
 * time to pass. The lab's callbacks are delivered before each check, and every case is terminated once checked.
 */

const extend = (h: ReviewHandle, agency: string, days: number) =>
  h.executeUpdate(M.requestExtension.update, {
    args: [{ actor: `agency:${agency}`, days, reason: 'the red team needs more time' }],
  });

const dues = async (h: ReviewHandle) =>
  Object.fromEntries((await status(h)).agencies.map((a) => [a.agency, a.dueAt]));

describe('review workflow: an agency extends its deadline once (scenario 6)', () => {
  it("moves only the extending agency's deadline, by the days it asked for", async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await extend(h, 'NSA', 5);
      const s = await status(h);
      assert.deepEqual(await dues(h), {
        NSA: iso(day0 + 50 * DAY_MS),
        CISA: iso(day0 + 45 * DAY_MS),
        DOW: iso(day0 + 45 * DAY_MS),
        CAISI: iso(day0 + 75 * DAY_MS),
        DOE: iso(day0 + 75 * DAY_MS),
        TREASURY: iso(day0 + 75 * DAY_MS),
      });
      assert.deepEqual(
        s.agencies.map((a) => [a.agency, a.extensionsUsed]),
        [
          ['NSA', 1],
          ['CISA', 0],
          ['DOW', 0],
          ['CAISI', 0],
          ['DOE', 0],
          ['TREASURY', 0],
        ],
      );
      assert.equal(
        s.deadlines.find((d) => d.key === 'stage:NATIONAL_SECURITY')?.dueAt,
        iso(day0 + 45 * DAY_MS),
      );
      assert.deepEqual(s.timeline.map((e) => [e.actor, e.type]).at(-1), ['agency:NSA', 'CLOCK_EXTENDED']);
    });
  });

  it('rejects a second extension by the same agency with EXTENSION_ALREADY_USED, leaving no trace', async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await extend(h, 'NSA', 5);
      await rejectedWithoutTrace(h, 'EXTENSION_ALREADY_USED', () => extend(h, 'NSA', 2));
      assert.equal((await dues(h)).NSA, iso(day0 + 50 * DAY_MS));
    });
  });

  it('rejects an extension of 11 days (the policy allows 10) with EXTENSION_TOO_LONG, leaving no trace', async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await rejectedWithoutTrace(h, 'EXTENSION_TOO_LONG', () => extend(h, 'CISA', 11));
      assert.equal((await dues(h)).CISA, iso(day0 + 45 * DAY_MS));
    });
  });
});
