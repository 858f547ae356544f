import { z } from 'zod';

/**
 * What a government message did to the open cases it reached (./messages.ts): each case's answer, and the
 * count. The workflow builds these as plain values; the schemas are for the gateway's answer.
 */

/** What one case answered to the message. */
export const FanOutResult = z.object({
  /** The case (`<labId>:<submissionId>`); results recorded before release 2 name only the submission. */
  caseId: z.string().optional(),
  submissionId: z.string(),
  outcome: z.enum(['APPLIED', 'REJECTED', 'UNAVAILABLE']),
  /** Where the message landed in the case's timeline. */
  receipt: z.object({ seq: z.int().positive(), at: z.iso.datetime() }).optional(),
  code: z.string().optional(),
  detail: z.string().optional(),
});
export type FanOutResult = z.infer<typeof FanOutResult>;

/** The open cases the message reached, counted. */
export const FanOut = z.object({
  matched: z.int().nonnegative(),
  applied: z.int().nonnegative(),
  rejected: z.int().nonnegative(),
  unavailable: z.int().nonnegative(),
  results: z.array(FanOutResult),
});
export type FanOut = z.infer<typeof FanOut>;

export const countResults = (results: FanOutResult[]): FanOut => ({
  matched: results.length,
  applied: results.filter((r) => r.outcome === 'APPLIED').length,
  rejected: results.filter((r) => r.outcome === 'REJECTED').length,
  unavailable: results.filter((r) => r.outcome === 'UNAVAILABLE').length,
  results,
});

/** RECORDED: the government's state changed; UNCHANGED: it already held this, and the cases were reached again. */
export const GovernmentChange = z.object({ change: z.enum(['RECORDED', 'UNCHANGED']), cases: FanOut });
export type GovernmentChange = z.infer<typeof GovernmentChange>;
