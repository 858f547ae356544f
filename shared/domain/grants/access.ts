import { labOf, type Principal } from '../principal';
import type { GrantFiling } from './grant';

/**
 * Who may know of a grant (issue 14, part 4): operations staff and the chair (every one), the lab whose model
 * it is, the nominating agency, and the operator it names, which sees only its own grants and, of the model,
 * only the unclassified summary. The lab approves or declines; the lab, the nominating agency or the operator
 * may revoke; only the operator reports use.
 */
export const isGrantLab = (f: GrantFiling, p: Principal): boolean => labOf(p) === f.labId;
export const isGrantOperator = (f: GrantFiling, p: Principal): boolean => p === f.operator;
export const isGrantNominator = (f: GrantFiling, p: Principal): boolean => p === f.nominatedBy;

export function mayKnowOfGrant(f: GrantFiling, p: Principal): boolean {
  return p === 'ops' || p === 'chair' || isGrantLab(f, p) || isGrantOperator(f, p) || isGrantNominator(f, p);
}
