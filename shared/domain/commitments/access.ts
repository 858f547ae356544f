import { agencyOf, labOf, type Principal } from '../principal';
import type { CommitmentFiling } from './commitment';

/**
 * Who may know of a commitment (issue 14): operations staff and the chair (every one), the lab that made it,
 * its owner, and the agencies that reviewed the model. Only the lab attests; only the owner confirms or
 * disputes (the chair for the commitments it added itself).
 */
export const isCommitmentLab = (f: CommitmentFiling, p: Principal): boolean => labOf(p) === f.labId;
export const isCommitmentOwner = (f: CommitmentFiling, p: Principal): boolean => p === f.owner;

export function mayKnowOfCommitment(f: CommitmentFiling, p: Principal): boolean {
  if (p === 'ops' || p === 'chair' || isCommitmentLab(f, p) || isCommitmentOwner(f, p)) return true;
  const agency = agencyOf(p);
  return agency !== undefined && f.reviewers.includes(agency);
}
