import assert from 'node:assert/strict';
import { assertEventTypes } from '../helpers/ledger';
import { MESSAGES as M } from '../../shared/domain/review/messages';
import { rejectedWithoutTrace } from '../helpers/assertions';
import {
  iso,
  status,
  withAcceptedCaseOnDevServer,
  type ReviewHandle,
  reviewDeadlines,
  callbacksOf,
} from '../helpers/review';
import {
  closeOfBusinessFrom,
  dayDue,
  endOfDay,
  instantIn,
  plusDays,
  washington,
} from '../helpers/washington';

/*
 * These run on the real dev server: it drops the speculative workflow task of a rejected update, so "no trace"
 * includes the history. (The time-skipping test server records that task's three events.) Nothing here needs
 * time to pass. The lab's callbacks are delivered before each check, and every case is terminated once checked.
 */

const extend = (h: ReviewHandle, agency: string, days: number) =>
  h.executeUpdate(M.requestExtension.update, {
    args: [{ actor: `agency:${agency}`, days, reason: 'the red team needs more time' }],
  });

/**
 * Whether NSA's extension from day 45 to day 50 puts the window at risk: were the stage to close that late, the
 * determination (17:00 on day 85) would move by the delay, to the next close of business on a business day,
 * and that may fall after the window's end (24:00 of day 90) when weekends or holidays intervene.
 */
function extensionPutsWindowAtRisk(day0: number): boolean {
  const delay = dayDue(day0, 50) - dayDue(day0, 45);
  const determination = instantIn(plusDays(washington(day0).date, 85), '17:00');
  return closeOfBusinessFrom(determination + delay) > endOfDay(day0, 90);
}

const dues = async (h: ReviewHandle) =>
  Object.fromEntries((await status(h)).agencies.map((a) => [a.agency, a.dueAt]));

describe('review workflow: an agency extends its deadline once (scenario 6)', () => {
  it("moves only the extending agency's deadline, by the calendar days it asked for, and its stage binds until then", async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await extend(h, 'NSA', 5);
      const s = await status(h);
      // Five calendar days after its natural day 45, then to close of business on a business day: day 50's.
      assert.deepEqual(await dues(h), {
        NSA: iso(dayDue(day0, 50)),
        CISA: iso(dayDue(day0, 45)),
        DOW: iso(dayDue(day0, 45)),
        CAISI: iso(dayDue(day0, 75)),
        DOE: iso(dayDue(day0, 75)),
        TREASURY: iso(dayDue(day0, 75)),
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
      // Stage time is protected: the stage is not overdue before NSA's own deadline, so its deadline binds
      // until then. Every other deadline is where acceptance put it.
      assert.deepEqual(Object.fromEntries(reviewDeadlines(s).map((d) => [d.key, d.dueAt])), {
        window: iso(endOfDay(day0, 90)),
        'stage:NATIONAL_SECURITY': iso(dayDue(day0, 50)),
        'agency:NATIONAL_SECURITY:NSA': iso(dayDue(day0, 50)),
        'agency:NATIONAL_SECURITY:CISA': iso(dayDue(day0, 45)),
        'agency:NATIONAL_SECURITY:DOW': iso(dayDue(day0, 45)),
        'stage:CIVILIAN': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:CAISI': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:DOE': iso(dayDue(day0, 75)),
        'agency:CIVILIAN:TREASURY': iso(dayDue(day0, 75)),
        determination: iso(dayDue(day0, 85)),
      });
      const atRisk = extensionPutsWindowAtRisk(day0);
      const opened = s.timeline.findIndex((e) => e.type === 'STAGE_OPENED');
      assert.deepEqual(
        s.timeline.slice(opened + 1).map((e) => [e.actor, e.type]),
        [['agency:NSA', 'CLOCK_EXTENDED'], ...(atRisk ? [['system', 'WINDOW_AT_RISK']] : [])],
      );
      assert.deepEqual(s.flags, atRisk ? ['WINDOW_AT_RISK'] : []);
      assertEventTypes(await callbacksOf(h, ['CLOCK_EXTENDED']), ['CLOCK_EXTENDED']);
    });
  });

  it('rejects a second extension by the same agency with EXTENSION_ALREADY_USED, leaving no trace', async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await extend(h, 'NSA', 5);
      await rejectedWithoutTrace(h, 'EXTENSION_ALREADY_USED', () => extend(h, 'NSA', 2));
      assert.equal((await dues(h)).NSA, iso(dayDue(day0, 50)));
    });
  });

  it('rejects an extension of 11 days (the policy allows 10) with EXTENSION_TOO_LONG, leaving no trace', async () => {
    await withAcceptedCaseOnDevServer(async (h, day0) => {
      await rejectedWithoutTrace(h, 'EXTENSION_TOO_LONG', () => extend(h, 'CISA', 11));
      assert.equal((await dues(h)).CISA, iso(dayDue(day0, 45)));
    });
  });
});
