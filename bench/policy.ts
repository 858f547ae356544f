import { Policy } from '../shared/domain/policy';
import { DEFAULT_POLICY } from '../shared/domain/policy-presets';

/** The benchmark's policies: the default preset's structure with its durations rescaled (policies are data). */
export const BENCH_POLICY_ID = 'bench-seconds';
export const AT_RISK_POLICY_ID = 'bench-at-risk';

const DAY_S = 86_400;

/**
 * The default preset without its designation step: the benchmark measures the review's throughput from
 * acceptance, and no benchmark agency designates (a silent NSA would hold each case for 5 business days).
 */
const preset = (): Policy => {
  const { designation: _notMeasured, ...review } = DEFAULT_POLICY;
  return review;
};

/**
 * `draft-2026-90d` with every duration shrunk so the window lasts `windowSeconds`: the stage, determination,
 * information, tolling, chair and supplement periods keep their proportions of the window, in fractional
 * calendar days (business days must be whole, so the information response becomes calendar days too).
 */
export function secondsPolicy(windowSeconds: number): Policy {
  const base = preset();
  const scale = windowSeconds / DAY_S / base.windowDays;
  const calendarDays = (days: number) => ({ days: days * scale, calendar: 'CALENDAR_DAYS' as const });
  const stage = (s: Policy['stages']['NATIONAL_SECURITY']) => ({
    roster: s.roster,
    deadline: calendarDays(s.deadline.days),
  });
  // Seconds are no business days: the shrunk policy keeps UTC calendar days, and the chair's minimum
  // shrinks with the rest.
  const { businessDays: _calendar, chairMinimum, ...rest } = base;
  return Policy.parse({
    ...rest,
    ...(chairMinimum === undefined ? {} : { chairMinimum: calendarDays(chairMinimum.days) }),
    id: BENCH_POLICY_ID,
    title: `Benchmark: ${base.id} shrunk to a ${windowSeconds}-second window`,
    windowDays: base.windowDays * scale,
    stages: {
      NATIONAL_SECURITY: stage(base.stages.NATIONAL_SECURITY),
      CIVILIAN: stage(base.stages.CIVILIAN),
    },
    determination: calendarDays(base.determination.days),
    informationResponse: calendarDays(base.informationResponse.days),
    tollingCapDays: base.tollingCapDays * scale,
    supplementDays: base.supplementDays * scale,
  });
}

/**
 * Scale mode: the default 90-day policy, except that its first stage is at risk `seconds` after acceptance,
 * so a chosen share of the open cases carries ReviewAtRisk = true for the at-risk list query to find.
 */
export function atRiskPolicy(seconds: number): Policy {
  const base = preset();
  return Policy.parse({
    ...base,
    id: AT_RISK_POLICY_ID,
    title: `Benchmark: ${base.id}, national-security stage at risk after ${seconds} s`,
    atRiskFraction: seconds / (base.stages.NATIONAL_SECURITY.deadline.days * DAY_S),
  });
}
