import { z } from 'zod';

/**
 * Who acts: `lab:<id>`, `agency:<id>`, `operator:<id>` (a critical-infrastructure operator with early access,
 * issue 14 part 4), `chair` or `ops`. The gateway authenticates the caller and sets it;
 * the workflow checks it against the case (an agency acts only on its own slot in the open stage).
 * `system` marks what the workflow records on its own, such as silence at a deadline.
 */
export const Principal = z
  .string()
  .regex(
    /^(lab:[A-Za-z0-9_.-]{1,64}|agency:[A-Z0-9_]{1,32}|operator:[A-Za-z0-9_.-]{1,64}|chair|ops)$/,
    'must be lab:<id>, agency:<ID>, operator:<id>, chair or ops',
  );
export type Principal = z.infer<typeof Principal>;

/** A principal, or `system` for what the workflow records on its own. */
export type Actor = string;

export const labPrincipal = (labId: string): Principal => `lab:${labId}`;
export const agencyPrincipal = (agency: string): Principal => `agency:${agency}`;
export const operatorPrincipal = (operator: string): Principal => `operator:${operator}`;

/** The agency id of an `agency:<id>` principal, else undefined. */
export const agencyOf = (p: string): string | undefined => (p.startsWith('agency:') ? p.slice(7) : undefined);
/** The lab id of a `lab:<id>` principal, else undefined. */
export const labOf = (p: string): string | undefined => (p.startsWith('lab:') ? p.slice(4) : undefined);

/** The operator id of an `operator:<id>` principal, else undefined. */
export const operatorOf = (p: string): string | undefined =>
  p.startsWith('operator:') ? p.slice(9) : undefined;

/** The kinds of principal, each with its own rights (domain.md section 2; operators: issue 14, part 4). */
export const Role = z.enum(['lab', 'agency', 'operator', 'chair', 'ops']);
export type Role = z.infer<typeof Role>;

/** A principal's role; undefined for anything that is not a principal (closed by default). */
export function roleOf(p: string): Role | undefined {
  if (!Principal.safeParse(p).success) return undefined;
  if (labOf(p) !== undefined) return 'lab';
  if (agencyOf(p) !== undefined) return 'agency';
  if (operatorOf(p) !== undefined) return 'operator';
  return p === 'chair' ? 'chair' : 'ops';
}
