import type { LabCase, LabRecord } from './record';
import type { TrustedPartnerTerms } from './terms';

const DAY_MS = 86_400_000;

/** The policy's proposal for a lab: eligible or not, with every rule it does not meet, in words. */
export interface Eligibility {
  eligible: boolean;
  completedReviews: number;
  earlyReleases: number;
  brokenCommitments: number;
  unmet: string[];
}

/** A review is completed when its determination was issued and the case closed by release or the window's end. */
export const isCompletedReview = (c: LabCase): boolean =>
  c.outcome !== undefined && (c.closedReason === 'RELEASED' || c.closedReason === 'WINDOW_ENDED');

/** The lab's completed reviews, those a run folded away (release 7) included. */
export const completedReviews = (r: LabRecord): number =>
  r.cases.filter(isCompletedReview).length + (r.earlier?.completedReviews ?? 0);

/**
 * What the policy in force proposes for the lab now (domain.md section 3: an early release makes a lab not
 * eligible; issue 14: completed reviews, no broken commitment). `now` bounds the early-release lookback.
 */
export function eligibilityOf(r: LabRecord, terms: TrustedPartnerTerms, now: number): Eligibility {
  const rules = terms.eligibility;
  const completed = completedReviews(r);
  const since = now - rules.earlyReleaseLookbackDays * DAY_MS;
  const early =
    r.cases.filter((c) => c.earlyRelease === true && Date.parse(c.releasedAt ?? c.closedAt ?? '') >= since)
      .length + (r.earlier?.earlyReleases ?? []).filter((at) => Date.parse(at) >= since).length;
  const broken =
    r.commitments.filter((c) => c.standing === 'BROKEN').length + (r.earlier?.commitments.broken ?? 0);
  const unmet = [
    ...(completed < rules.completedReviews
      ? [`${completed} of the ${rules.completedReviews} completed reviews the policy asks for`]
      : []),
    ...(early > 0 ? [`${early} early release(s) in the last ${rules.earlyReleaseLookbackDays} days`] : []),
    ...(broken > rules.brokenCommitments
      ? [`${broken} broken commitment(s); the policy allows ${rules.brokenCommitments}`]
      : []),
  ];
  return {
    eligible: unmet.length === 0,
    completedReviews: completed,
    earlyReleases: early,
    brokenCommitments: broken,
    unmet,
  };
}
