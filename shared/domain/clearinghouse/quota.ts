import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { BOUNDS_IN_FORCE, DAY_MS, type Bounds } from '../bounds';
import { rejection } from '../errors';
import { Principal } from '../principal';
import { isUnsealed } from '../sealed';
import { Id } from '../submission';
import { iso } from '../time';

/**
 * A filer's quota of findings (issue 34, item 5; policy version 7's `findings`): one long-lived workflow per
 * filer and deployment counts the findings it filed in the rolling period, per subject (the case, or the lab
 * when it names no case) and in all. The gateway takes a slot before it starts a finding; a filing past the
 * quota is refused (MESSAGE_BUDGET_EXHAUSTED) with nothing started and nothing written to any history.
 *
 *   takeFilingSlot (the gateway, as the filer) ─> counted, or refused
 *   each period with no news, or before the run nears the server's limits ─> handed on, the old slots dropped
 *
 * Taking the slot of a finding already counted (a retry with the same Idempotency-Key) answers again and counts
 * nothing, so a retry is never refused.
 */
export const FILING_QUOTA_WORKFLOW_TYPE = 'filingQuota';
/** One per filer and deployment (a deployment's workers serve its task queue). */
export const filingQuotaWorkflowId = (taskQueue: string, filer: string): string =>
  `filings-${taskQueue}-${filer}`;

export interface FilingSlot {
  findingId: string;
  /** `case:<caseId>` or `lab:<labId>`. */
  subject: string;
  at: string;
}

export interface FilingQuota {
  filer: string;
  bounds: Bounds;
  /** The slots taken in the period, oldest first. */
  slots: FilingSlot[];
}

export interface FilingQuotaInput {
  filer: string;
  /** The quota as an earlier run left it when it continued as new. */
  continued?: FilingQuota;
}

/** What taking a slot answers: the filer's counts in the period, with this filing. */
export interface FilingSlotTaken {
  findingId: string;
  subject: { filed: number; allowed: number };
  all: { filed: number; allowed: number };
}

/* Lazy: only a filer's quota parses these, and every cached workflow shares the bundle. */
let payload: z.ZodObject | undefined;
export const TakeFilingSlot = (): z.ZodObject =>
  (payload ??= z.strictObject({
    actor: Principal,
    findingId: Id,
    subject: z.string().regex(/^(case|lab):[A-Za-z0-9_.:-]{1,140}$/),
    digest: z.string().optional(),
  }));
export interface TakeFilingSlot {
  actor: string;
  findingId: string;
  subject: string;
  digest?: string;
}

export const takeFilingSlotUpdate = defineUpdate<FilingSlotTaken, [TakeFilingSlot]>('takeFilingSlot');
export const filingQuotaQuery = defineQuery<FilingQuota>('filingQuota');

/** A filing's subject: the case it names, or the lab. */
export const subjectOf = (caseId: string | undefined, labId: string): string =>
  caseId === undefined ? `lab:${labId}` : `case:${caseId}`;

export const emptyQuota = (filer: string): FilingQuota => ({ filer, bounds: BOUNDS_IN_FORCE, slots: [] });

/** The slots the rolling period still counts at `now`. */
export const inPeriodSlots = (q: FilingQuota, now: Date): FilingSlot[] => {
  const since = now.getTime() - q.bounds.findings.periodDays * DAY_MS;
  return q.slots.filter((s) => Date.parse(s.at) > since);
};

function counts(q: FilingQuota, subject: string, now: Date): FilingSlotTaken['subject' | 'all'][] {
  const recent = inPeriodSlots(q, now);
  const b = q.bounds.findings;
  return [
    { filed: recent.filter((s) => s.subject === subject).length, allowed: b.perSubject },
    { filed: recent.length, allowed: b.perFiler },
  ];
}

/** The validator: sealed, from the filer itself, and within the quota (unless the finding is counted already). */
export function checkFilingSlot(q: FilingQuota, raw: unknown, now: Date): TakeFilingSlot {
  if (isUnsealed(raw)) {
    throw rejection('PAYLOAD_NOT_SEALED', 'takeFilingSlot was not sealed with a key of this deployment');
  }
  const parsed = TakeFilingSlot().safeParse(raw);
  if (!parsed.success) {
    throw rejection(
      'VALIDATION_FAILED',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const msg = parsed.data as unknown as TakeFilingSlot;
  if (msg.actor !== q.filer) throw rejection('NOT_ENTITLED', `this quota is ${q.filer}'s`);
  if (q.slots.some((s) => s.findingId === msg.findingId)) return msg;
  const [subject, all] = counts(q, msg.subject, now);
  const days = q.bounds.findings.periodDays;
  if (subject.filed >= subject.allowed) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${q.filer} has filed ${subject.filed} findings about ${msg.subject} in the last ${days} days; the policy allows ${subject.allowed}`,
    );
  }
  if (all.filed >= all.allowed) {
    throw rejection(
      'MESSAGE_BUDGET_EXHAUSTED',
      `${q.filer} has filed ${all.filed} findings in the last ${days} days; the policy allows ${all.allowed}`,
    );
  }
  return msg;
}

/** The handler: counts the finding (once), and drops the slots the period no longer counts. */
export function takeFilingSlot(q: FilingQuota, msg: TakeFilingSlot, now: Date): FilingSlotTaken {
  q.slots = inPeriodSlots(q, now);
  if (!q.slots.some((s) => s.findingId === msg.findingId)) {
    q.slots.push({ findingId: msg.findingId, subject: msg.subject, at: iso(now) });
  }
  const [subject, all] = counts(q, msg.subject, now);
  return { findingId: msg.findingId, subject, all };
}
