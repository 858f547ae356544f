import { z } from 'zod';
import { actedBy } from '../domain/acted-by';
import { signedAct } from '../domain/signed-act';
import { COMMITMENT_STANDINGS } from '../domain/commitments/commitment';
import { Outcome } from '../domain/decisions';
import { LAB_EVENT_TYPES, LAB_STATUSES } from '../domain/labs/record';
import { Id } from '../domain/submission';
import { PageQuery } from './requests';

/** The HTTP shapes of labs' records (issue 14, part 3): status, history, commitments, the policy's proposal. */

export const LabStatus = z.enum(LAB_STATUSES);
export const LabParams = z.strictObject({ labId: Id });

const At = z.iso.datetime();

export const LabEligibility = z
  .object({
    eligible: z.boolean(),
    completedReviews: z.int(),
    earlyReleases: z.int(),
    brokenCommitments: z.int(),
    /** Each rule of the policy in force the lab does not meet, in words. */
    unmet: z.array(z.string()),
  })
  .meta({ id: 'LabEligibility' });

/** A lab's record, read from its workflow, with the policy in force's proposal computed now. */
export const LabView = z
  .object({
    labId: z.string(),
    status: LabStatus,
    since: At.optional(),
    /** The policy in force's proposal (the chair decides). */
    eligibility: LabEligibility,
    statusHistory: z.array(
      z.object({ status: LabStatus, at: At, by: z.string(), reason: z.string(), eligible: z.boolean() }),
    ),
    cases: z.array(
      z.object({
        caseId: z.string(),
        submissionId: z.string(),
        acceptedAt: At,
        policy: z.object({ id: z.string(), version: z.int() }),
        statusAtAcceptance: LabStatus,
        closedAt: At.optional(),
        closedReason: z.string().optional(),
        outcome: Outcome.optional(),
        releasedAt: At.optional(),
        earlyRelease: z.boolean().optional(),
      }),
    ),
    commitments: z.object({
      kept: z.int(),
      broken: z.int(),
      overdue: z.int(),
      pending: z.int(),
      items: z.array(
        z.object({
          commitmentId: z.string(),
          caseId: z.string(),
          owner: z.string(),
          standing: z.enum(COMMITMENT_STANDINGS),
          at: At,
        }),
      ),
    }),
    timeline: z.array(
      z.object({
        seq: z.int(),
        type: z.enum(LAB_EVENT_TYPES),
        at: At,
        actor: z.string(),
        subject: z.string().optional(),
        note: z.string().optional(),
        /** Who acted (issue 36): the person or system, for the government side only. */
        by: actedBy().optional(),
        /** The act's signed statement and its proof, for the government side only. */
        signed: signedAct().optional(),
      }),
    ),
    /**
     * What the lists above leave out (issue 34, item 5): each shows its latest entries (50 under policy
     * version 7); the counts of commitments and eligibility count every one.
     */
    omitted: z.object({
      cases: z.int(),
      commitments: z.int(),
      statusHistory: z.int(),
      timeline: z.int(),
    }),
    callbacks: z.object({ pending: z.int(), delivered: z.int(), failed: z.int() }),
  })
  .meta({ id: 'Lab' });
export type LabView = z.infer<typeof LabView>;

/** A lab as the list shows it, from visibility alone (eventually consistent). */
export const LabListItem = z
  .object({ labId: z.string(), status: LabStatus.optional(), since: At })
  .meta({ id: 'LabListItem' });
export type LabListItem = z.infer<typeof LabListItem>;

export const LabQuery = PageQuery.extend({ status: LabStatus.optional() }).strict();
export type LabQuery = z.infer<typeof LabQuery>;

export const LabReceiptView = z
  .object({
    labId: z.string(),
    status: LabStatus,
    event: z.object({ seq: z.int(), type: z.string(), at: At }),
  })
  .meta({ id: 'LabReceipt' });

/** The chair's reason for a designation or a revocation, which the lab is told. */
export const LabStatusBody = z
  .strictObject({ reason: z.string().trim().min(1).max(4000).regex(/\S/, 'not only spaces') })
  .meta({
    id: 'LabStatusBody',
    examples: [{ reason: 'Two completed reviews and every commitment kept.' }],
  });
