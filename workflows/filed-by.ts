import { ApplicationFailure } from '@temporalio/workflow';
import { actedBy, type ActedBy } from '../shared/domain/acted-by';

/**
 * Who filed a case, as the gateway named them (issue 36; absent from filings before it), checked as
 * the filing is: one that does not parse fails the workflow at once, never its task.
 */
export function filedBy(raw: unknown): ActedBy | undefined {
  if (raw === undefined) return undefined;
  const parsed = actedBy().safeParse(raw);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.create({
    type: 'VALIDATION_FAILED',
    message: `who filed is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    nonRetryable: true,
  });
}
