import { z } from 'zod';
import { DayCount } from '../day-count';
import { Outcome } from '../decisions';

/**
 * Policy data from version 6 (issue 14, part 4): early access for critical-infrastructure operators. The
 * `nominator` agency (CISA) nominates an operator for a case in PRE_RELEASE whose outcome is one of `outcomes`;
 * the lab approves or declines within `answerWithin` of the nomination, and its silence declines (participation
 * is voluntary). An approved grant lasts until the reported public release plus `afterRelease`, or, with no
 * release reported, the window's end plus `afterWindow`.
 */
const build = () =>
  z.object({
    nominator: z.string().regex(/^[A-Z0-9_]{1,32}$/),
    outcomes: z.array(Outcome).min(1),
    answerWithin: DayCount,
    afterRelease: DayCount,
    afterWindow: DayCount,
  });
let built: ReturnType<typeof build> | undefined;
/* Built on first use: the workflow bundle loads this module, and only a grant's first run parses terms. */
export const earlyAccessTermsSchema = (): ReturnType<typeof build> => (built ??= build());
export type EarlyAccessTerms = z.infer<ReturnType<typeof build>>;

/** The terms of policy version 6. */
export const DEFAULT_EARLY_ACCESS_TERMS: EarlyAccessTerms = {
  nominator: 'CISA',
  outcomes: ['NO_CONCERNS_IDENTIFIED', 'PROCEED_WITH_COMMITMENTS'],
  answerWithin: { days: 5, calendar: 'BUSINESS_DAYS' },
  afterRelease: { days: 30, calendar: 'CALENDAR_DAYS' },
  afterWindow: { days: 30, calendar: 'CALENDAR_DAYS' },
};
