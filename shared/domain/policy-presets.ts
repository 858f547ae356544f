import { BOUNDS_V7 } from './bounds';
import { SIGNED_ACTS } from './signed-act';
import { DEFAULT_COMMITMENT_TERMS } from './commitments/terms';
import { DEFAULT_EARLY_ACCESS_TERMS } from './grants/terms';
import { Policy } from './policy';
import { DEFAULT_POLICY_ID } from './policy-names';
import { scalePreset } from './policy-scaling';
import { FEDERAL_HOLIDAYS_2025_2040 } from './washington/federal-holidays';

export type { Policy } from './policy';

const rosters = {
  NATIONAL_SECURITY: ['NSA', 'CISA', 'DOW'].map((agency) => ({ agency, required: true })),
  CIVILIAN: ['CAISI', 'DOE', 'TREASURY'].map((agency) => ({ agency, required: true })),
};
const calendarDays = (days: number) => ({ days, calendar: 'CALENDAR_DAYS' as const });
const common = {
  holidayCalendar: 'US_FEDERAL' as const,
  informationResponse: { days: 3, calendar: 'BUSINESS_DAYS' as const },
  atRiskFraction: 0.8,
  covered: { trainingComputeFlop: 1e26, cyberBenchmarkScore: 0.7 },
  severityOrder: ['CONCERNS_UNRESOLVED', 'CONCERNS_MITIGATED', 'UNABLE_TO_ASSESS', 'NO_CONCERNS'] as const,
  silence: 'NO_RESPONSE_COUNTS_AS_NO_CONCERNS_FLAGGED' as const,
  minimumNoticeDays: null,
  supplementDays: 30,
  callbackGiveUpDays: 3,
};

/**
 * The presets, version 1 (release 1). The 90-day numbers are domain.md's; the 30- and 14-day presets scale the
 * stage and determination deadlines, the tolling cap and the extension limit in proportion to the window.
 */
const VERSION_1 = [
  {
    ...common,
    id: 'draft-2026-90d',
    version: 1,
    title: 'Draft executive order of May 2026: 90-day pre-release window',
    windowDays: 90,
    stages: {
      NATIONAL_SECURITY: { roster: rosters.NATIONAL_SECURITY, deadline: calendarDays(45) },
      CIVILIAN: { roster: rosters.CIVILIAN, deadline: calendarDays(75) },
    },
    determination: calendarDays(85),
    tollingCapDays: 7,
    extension: { maxPerAgency: 1, maxDays: 10 },
  },
  {
    ...common,
    id: 'eo-2026-30d',
    version: 1,
    title: 'Executive order of 2 June 2026: 30-day pre-release window',
    windowDays: 30,
    stages: {
      NATIONAL_SECURITY: { roster: rosters.NATIONAL_SECURITY, deadline: calendarDays(15) },
      CIVILIAN: { roster: rosters.CIVILIAN, deadline: calendarDays(25) },
    },
    determination: calendarDays(28),
    tollingCapDays: 3,
    extension: { maxPerAgency: 1, maxDays: 4 },
  },
  {
    ...common,
    id: 'industry-14d',
    version: 1,
    title: "Industry's proposal: 14-day pre-release window",
    windowDays: 14,
    stages: {
      NATIONAL_SECURITY: { roster: rosters.NATIONAL_SECURITY, deadline: calendarDays(7) },
      CIVILIAN: { roster: rosters.CIVILIAN, deadline: calendarDays(11) },
    },
    determination: calendarDays(13),
    tollingCapDays: 1,
    extension: { maxPerAgency: 1, maxDays: 2 },
  },
].map((p) => Policy.parse(p));

/**
 * Version 2 (release 2): the 90-day preset with message budgets per principal and case, Washington's business
 * calendar (close of business 17:00, the observed federal holidays of 2025 to 2040) and three business days
 * for the chair; the 30- and 14-day presets scaled from it by one rule (./policy-scaling.ts).
 */
const DRAFT_90_V2 = Policy.parse({
  ...VERSION_1[0],
  version: 2,
  budgets: { amendments: 20, endpointChanges: 10, supplements: 10, informationRequests: 10 },
  businessDays: {
    timeZone: 'America/New_York',
    closeOfBusiness: '17:00',
    holidays: FEDERAL_HOLIDAYS_2025_2040,
  },
  chairMinimum: { days: 3, calendar: 'BUSINESS_DAYS' },
});
const VERSION_2 = [
  DRAFT_90_V2,
  ...VERSION_1.slice(1).map(({ id, title, windowDays }) =>
    Policy.parse(scalePreset(DRAFT_90_V2, { id, title, windowDays })),
  ),
];

/**
 * Version 3 (release 3): NSA designates which models are covered within 5 business days of intake's screen,
 * which only proposes (domain.md section 1; issue 14). The period comes before day 0, so the shorter presets
 * keep it whole rather than scaling it with their windows.
 */
const VERSION_3 = VERSION_2.map((p) =>
  Policy.parse({
    ...p,
    version: 3,
    designation: { agency: 'NSA', within: { days: 5, calendar: 'BUSINESS_DAYS' } },
  }),
);

/**
 * Version 4 (release 4): the commitments of a determination are tracked (issue 14). The lab attests each within
 * 30 days of the determination; its owner confirms or disputes within 10 business days of the attestation, or
 * the attestation stands; one still unattested at its due date is overdue until the lab attests.
 */
const VERSION_4 = VERSION_3.map((p) =>
  Policy.parse({
    ...p,
    version: 4,
    commitments: DEFAULT_COMMITMENT_TERMS,
  }),
);

/**
 * Version 5 (release 5): the policy proposes trusted partners (issue 14, part 3): two completed reviews, no
 * early release in the last 12 months, no broken commitment. A trusted partner's screen stands without NSA's
 * designation wait, and its filings under the draft order's 90 days fall under the signed order's 30.
 */
const trustedPartner = (policyId?: string) => ({
  eligibility: { completedReviews: 2, earlyReleaseLookbackDays: 365, brokenCommitments: 0 },
  effect: { ...(policyId === undefined ? {} : { policyId }), skipDesignation: true },
});
const VERSION_5 = VERSION_4.map((p) =>
  Policy.parse({
    ...p,
    version: 5,
    trustedPartner: trustedPartner(p.id === DEFAULT_POLICY_ID ? 'eo-2026-30d' : undefined),
  }),
);

/**
 * Version 6 (release 6): early access for critical-infrastructure operators (issue 14, part 4). CISA nominates
 * an operator for a case in PRE_RELEASE whose outcome is NO_CONCERNS_IDENTIFIED or PROCEED_WITH_COMMITMENTS; the
 * lab answers within 5 business days (silence declines); access lasts until the reported release plus 30 days,
 * or the window's end plus 30 with none reported.
 */
const VERSION_6 = VERSION_5.map((p) =>
  Policy.parse({ ...p, version: 6, earlyAccess: DEFAULT_EARLY_ACCESS_TERMS }),
);

/**
 * Version 7 (release 7): every long-lived workflow is bounded as a case is (issue 34, item 5): an operator's use
 * reports, a filer's findings, a commitment's messages, the chair's changes of a lab's status and operations
 * staff's lapses and closures, each per party and period, and when each workflow hands its state on
 * (./bounds.ts). The numbers do not scale with the window: none of them counts the review's days.
 */
const VERSION_7 = VERSION_6.map((p) => Policy.parse({ ...p, version: 7, bounds: BOUNDS_V7 }));

/**
 * Version 8 (release 8): accountable acts (issue 36). Every act that decides, made by a person, must be signed
 * with their passkey; a system's act may be signed with its registered key, and is not required to be yet (an
 * agency's system signs once its key is registered; a later version can require it).
 */
const VERSION_8 = VERSION_7.map((p) =>
  Policy.parse({
    ...p,
    version: 8,
    signatures: { people: Object.keys(SIGNED_ACTS), systems: [] },
  }),
);

/** Every published version of every preset; the newest version of an id is the one in force. */
export const POLICY_PRESETS: readonly Policy[] = [
  ...VERSION_1,
  ...VERSION_2,
  ...VERSION_3,
  ...VERSION_4,
  ...VERSION_5,
  ...VERSION_6,
  ...VERSION_7,
  ...VERSION_8,
];

const newest = (id: string): Policy =>
  POLICY_PRESETS.filter((p) => p.id === id).reduce((a, b) => (b.version > a.version ? b : a));

/** The preset a filing falls under unless it names another, in its version in force. */
export const DEFAULT_POLICY: Policy = newest(DEFAULT_POLICY_ID);
