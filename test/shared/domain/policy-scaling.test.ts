import assert from 'node:assert/strict';
import { BOUNDS_V7 } from '../../../shared/domain/bounds';
import { DEFAULT_COMMITMENT_TERMS } from '../../../shared/domain/commitments/terms';
import { DEFAULT_EARLY_ACCESS_TERMS } from '../../../shared/domain/grants/terms';
import { Policy } from '../../../shared/domain/policy';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../../shared/domain/policy-presets';
import { scalePreset } from '../../../shared/domain/policy-scaling';

/** The one rule that makes the 30- and 14-day presets from the 90-day one (issue 12, finding G3). */
describe('policy scaling', () => {
  const scaled = (windowDays: number) =>
    Policy.parse(scalePreset(DEFAULT_POLICY, { id: `scaled-${windowDays}d`, title: 't', windowDays }));
  const shape = (p: Policy) => ({
    deadlines: [
      p.stages.NATIONAL_SECURITY.deadline.days,
      p.stages.CIVILIAN.deadline.days,
      p.determination.days,
    ],
    tollingCapDays: p.tollingCapDays,
    extensionDays: p.extension.maxDays,
    answerBusinessDays: p.informationResponse.days,
    chairBusinessDays: p.chairMinimum?.days,
  });

  it('scales calendar days to the nearest day and business days up, never below one', () => {
    // 30/90 of 45, 75, 85 = 15, 25, 28.3; of 7 and 10 days = 2.3 and 3.3; of 3 business days = 1.
    assert.deepEqual(shape(scaled(30)), {
      deadlines: [15, 25, 28],
      tollingCapDays: 2,
      extensionDays: 3,
      answerBusinessDays: 1,
      chairBusinessDays: 1,
    });
    // 14/90 of 75 is 11.7, rounded to 12; the determination keeps its day before the window's end.
    assert.deepEqual(shape(scaled(14)), {
      deadlines: [7, 12, 13],
      tollingCapDays: 1,
      extensionDays: 2,
      answerBusinessDays: 1,
      chairBusinessDays: 1,
    });
  });

  it('keeps the deadlines in order, a day apart, and the determination before the window’s end', () => {
    for (let windowDays = 4; windowDays <= 180; windowDays += 1) {
      const [ns, civilian, determination] = shape(scaled(windowDays)).deadlines;
      assert.ok(
        ns >= 1 && ns < civilian && civilian < determination && determination < windowDays,
        `${windowDays}`,
      );
    }
  });

  it('makes version 2 of the presets with the deadlines and periods the README gives', () => {
    const v2 = (id: string) => POLICY_PRESETS.find((p) => p.id === id && p.version === 2)!;
    const numbers = (p: Policy) => ({
      windowDays: p.windowDays,
      ...shape(p),
      calendars: [
        p.stages.NATIONAL_SECURITY.deadline.calendar,
        p.stages.CIVILIAN.deadline.calendar,
        p.determination.calendar,
        p.informationResponse.calendar,
        p.chairMinimum?.calendar,
      ],
    });
    const calendars = ['CALENDAR_DAYS', 'CALENDAR_DAYS', 'CALENDAR_DAYS', 'BUSINESS_DAYS', 'BUSINESS_DAYS'];
    // README "The review process": days 45, 75, 85 of 90 (extensions of at most 10 days, tolls of at most 7, 3
    // business days to answer and for the chair); 15, 25, 28 of 30 (3; 2; 1); 7, 12, 13 of 14 (2; 1; 1).
    const expected = [
      // policy, window, deadlines, tolling cap, extension, business days to answer and for the chair
      ['draft-2026-90d', 90, [45, 75, 85], 7, 10, 3, 3],
      ['eo-2026-30d', 30, [15, 25, 28], 2, 3, 1, 1],
      ['industry-14d', 14, [7, 12, 13], 1, 2, 1, 1],
    ] as const;
    for (const [id, windowDays, deadlines, tollingCapDays, extensionDays, answer, chair] of expected) {
      assert.deepEqual(
        numbers(v2(id)),
        {
          windowDays,
          deadlines: [...deadlines],
          tollingCapDays,
          extensionDays,
          answerBusinessDays: answer,
          chairBusinessDays: chair,
          calendars,
        },
        id,
      );
    }
  });

  it("keeps in version 2 of the 30- and 14-day presets everything of the 90-day's that does not scale", () => {
    const unscaled = (p: Policy) => ({
      ...p,
      id: undefined,
      title: undefined,
      windowDays: undefined,
      stages: {
        NATIONAL_SECURITY: { ...p.stages.NATIONAL_SECURITY, deadline: undefined },
        CIVILIAN: { ...p.stages.CIVILIAN, deadline: undefined },
      },
      determination: undefined,
      informationResponse: undefined,
      tollingCapDays: undefined,
      extension: { ...p.extension, maxDays: undefined },
      chairMinimum: undefined,
    });
    const draft2 = POLICY_PRESETS.find((p) => p.id === DEFAULT_POLICY.id && p.version === 2)!;
    for (const id of ['eo-2026-30d', 'industry-14d']) {
      const preset = POLICY_PRESETS.find((p) => p.id === id && p.version === 2)!;
      assert.deepEqual(unscaled(preset), unscaled(draft2), id);
    }
  });

  it('makes version 3 of every preset from its version 2 and NSA designating within 5 business days', () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v2 = POLICY_PRESETS.find((p) => p.id === id && p.version === 2)!;
      const v3 = POLICY_PRESETS.find((p) => p.id === id && p.version === 3)!;
      assert.deepEqual(v3, {
        ...v2,
        version: 3,
        designation: { agency: 'NSA', within: { days: 5, calendar: 'BUSINESS_DAYS' } },
      });
    }
  });

  it('makes version 4 of every preset from its version 3 and the terms commitments are tracked under', () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v3 = POLICY_PRESETS.find((p) => p.id === id && p.version === 3)!;
      const v4 = POLICY_PRESETS.find((p) => p.id === id && p.version === 4)!;
      assert.deepEqual(v4, { ...v3, version: 4, commitments: DEFAULT_COMMITMENT_TERMS });
    }
  });

  it("makes version 5 of every preset from its version 4 and the trusted-partner terms; the 90 days' partners fall under the 30", () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v4 = POLICY_PRESETS.find((p) => p.id === id && p.version === 4)!;
      const v5 = POLICY_PRESETS.find((p) => p.id === id && p.version === 5)!;
      const { trustedPartner, ...rest } = v5;
      assert.deepEqual(rest, { ...v4, version: 5 });
      assert.deepEqual(trustedPartner?.eligibility, {
        completedReviews: 2,
        earlyReleaseLookbackDays: 365,
        brokenCommitments: 0,
      });
      assert.equal(trustedPartner?.effect.skipDesignation, true);
      assert.equal(trustedPartner?.effect.policyId, id === 'draft-2026-90d' ? 'eo-2026-30d' : undefined);
    }
  });

  it('makes version 6 of every preset from its version 5 and the early-access terms (CISA nominates; 30 days after the release)', () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v5 = POLICY_PRESETS.find((p) => p.id === id && p.version === 5)!;
      const v6 = POLICY_PRESETS.find((p) => p.id === id && p.version === 6)!;
      assert.deepEqual(v6, { ...v5, version: 6, earlyAccess: DEFAULT_EARLY_ACCESS_TERMS });
    }
    assert.deepEqual(DEFAULT_EARLY_ACCESS_TERMS, {
      nominator: 'CISA',
      outcomes: ['NO_CONCERNS_IDENTIFIED', 'PROCEED_WITH_COMMITMENTS'],
      answerWithin: { days: 5, calendar: 'BUSINESS_DAYS' },
      afterRelease: { days: 30, calendar: 'CALENDAR_DAYS' },
      afterWindow: { days: 30, calendar: 'CALENDAR_DAYS' },
    });
  });

  it("makes version 7 of every preset from its version 6 and the long-lived workflows' bounds, the same for every window", () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v6 = POLICY_PRESETS.find((p) => p.id === id && p.version === 6)!;
      const v7 = POLICY_PRESETS.find((p) => p.id === id && p.version === 7)!;
      assert.deepEqual(v7, { ...v6, version: 7, bounds: BOUNDS_V7 });
    }
    // issue 34, item 5: the numbers the README gives, per party and period.
    assert.deepEqual(BOUNDS_V7, {
      runs: { events: 8_000, messages: 1_000, stateChars: 400_000 },
      grants: { periodDays: 1, usesPerPeriod: 10, usesTotal: 100, noteChars: 1_000, usesShown: 20 },
      findings: { periodDays: 30, perSubject: 20, perFiler: 200 },
      commitments: { attestations: 1, answers: 1 },
      labs: { periodDays: 30, statusChanges: 4, reasonChars: 1_000, kept: 200, shown: 50 },
      government: { periodDays: 30, lapses: 2, closures: 10, resends: 20, kept: 20 },
    });
  });

  it("makes version 8 of every preset from its version 7: every person's act that decides must be signed, no system's yet", () => {
    for (const id of ['draft-2026-90d', 'eo-2026-30d', 'industry-14d']) {
      const v7 = POLICY_PRESETS.find((p) => p.id === id && p.version === 7)!;
      const v8 = POLICY_PRESETS.find((p) => p.id === id && p.version === 8)!;
      assert.deepEqual(v8, {
        ...v7,
        version: 8,
        signatures: {
          people: [
            'designateCoverage',
            'recordDecision',
            'requestExtension',
            'requestInformation',
            'resolveEscalation',
            'designateTrustedPartner',
            'revokeTrustedPartner',
            'validateFinding',
            'discloseFinding',
          ],
          systems: [],
        },
      });
    }
    assert.equal(DEFAULT_POLICY.version, 8);
  });

  it('refuses a version 7 whose bounds leave a number out or make one zero', () => {
    const v7 = POLICY_PRESETS.find((p) => p.id === DEFAULT_POLICY.id && p.version === 7)!;
    const { usesTotal: _left, ...grants } = BOUNDS_V7.grants;
    for (const bounds of [
      { ...BOUNDS_V7, grants },
      { ...BOUNDS_V7, findings: { ...BOUNDS_V7.findings, perFiler: 0 } },
      { ...BOUNDS_V7, labs: { ...BOUNDS_V7.labs, unknown: 1 } },
    ]) {
      assert.equal(Policy.safeParse({ ...v7, bounds }).success, false, JSON.stringify(bounds));
    }
  });
});
