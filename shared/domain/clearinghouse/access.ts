import { agencyOf, labOf, operatorOf, type Principal } from '../principal';
import type { FindingRecord } from './finding';
import { policyOfFinding } from './rules';

/**
 * Who may know of a finding, and who may read its detail (issue 15, TLP 2.0).
 *
 * Always, in detail: the clearinghouse's agencies, the filer, and the affected lab's named security contacts
 * (API keys an administrator designated as such): they must see their own model's findings to fix them. The
 * lab's other keys see what the TLP gives everyone else. Beyond them:
 *   RED    no one else;
 *   AMBER  the agencies reviewing that model (its case's roster) and the chair, who takes part in every review;
 *   GREEN  every agency, the chair, operations staff and early-access operators (`operator:<id>`);
 *   CLEAR  anyone with a credential here.
 *
 * Knowing that a finding exists (its id, state, deadlines, severity rating, TLP) is wider: operations staff
 * and the chair know of every finding, the affected lab of its own, and the reviewing agencies of the open
 * findings of the model they review.
 */
export interface Viewer {
  principal: Principal;
  /** A lab key an administrator designated as one of the lab's named security contacts. */
  securityContact?: boolean;
}

/** An agency of the clearinghouse under the finding's policy. */
export const isClearinghouse = (r: FindingRecord, p: Principal): boolean =>
  policyOfFinding(r).clearinghouse.includes(agencyOf(p) ?? '');
const isReviewer = (r: FindingRecord, p: Principal): boolean =>
  r.filing.reviewers.includes(agencyOf(p) ?? '');
/** The lab whose model the finding concerns. */
export const isAffectedLab = (r: FindingRecord, p: Principal): boolean => labOf(p) === r.filing.labId;

export function mayReadDetail(r: FindingRecord, v: Viewer): boolean {
  const p = v.principal;
  if (isClearinghouse(r, p) || p === r.filing.filedBy) return true;
  if (isAffectedLab(r, p) && v.securityContact === true) return true;
  switch (r.tlp) {
    case 'RED':
      return false;
    case 'AMBER':
      return isReviewer(r, p) || p === 'chair';
    case 'GREEN':
      return agencyOf(p) !== undefined || operatorOf(p) !== undefined || p === 'chair' || p === 'ops';
    case 'CLEAR':
      return true;
  }
}

export function mayKnowOf(r: FindingRecord, v: Viewer): boolean {
  const p = v.principal;
  return mayReadDetail(r, v) || p === 'ops' || p === 'chair' || isAffectedLab(r, p) || isReviewer(r, p);
}
