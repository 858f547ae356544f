import { iso } from '../time';
import type { LabFact } from './facts';
import type { LabCallbackType, LabEventType, LabRecord, LabStatus } from './record';

/**
 * A lab record's rules, pure: the workflow (workflows/lab) calls them with its clock, and so can a test.
 */

/** Entries a run keeps when it hands the record on (older ones are in earlier runs' histories). */
export const EVENTS_KEPT = 200;

function record(r: LabRecord, type: LabEventType, now: Date, actor: string, subject?: string, note?: string) {
  r.events.push({
    seq: r.nextSeq,
    type,
    at: iso(now),
    actor,
    ...(subject === undefined ? {} : { subject }),
    ...(note === undefined ? {} : { note }),
  });
  r.nextSeq += 1;
}

/** Takes in a fact from one of the lab's cases or commitments: it replaces what the record knew of its subject. */
export function applyFact(r: LabRecord, fact: LabFact, now: Date): void {
  if (fact.kind === 'CASE_ACCEPTED') {
    const known = r.cases.find((c) => c.caseId === fact.caseId);
    if (known !== undefined) return;
    r.cases.push({
      caseId: fact.caseId,
      submissionId: fact.submissionId,
      acceptedAt: fact.at,
      policy: fact.policy,
      statusAtAcceptance: fact.status,
    });
    if (fact.callbackUrl !== undefined)
      r.endpoint = { url: fact.callbackUrl, submissionId: fact.submissionId };
    return record(
      r,
      'CASE_ACCEPTED',
      now,
      'system',
      fact.caseId,
      `${fact.policy.id} v${fact.policy.version}`,
    );
  }
  if (fact.kind === 'CASE_CLOSED') {
    let known = r.cases.find((c) => c.caseId === fact.caseId);
    if (known?.closedAt !== undefined) return;
    if (known === undefined) {
      known = {
        caseId: fact.caseId,
        submissionId: fact.submissionId,
        acceptedAt: fact.at,
        policy: { id: 'unknown', version: 1 },
        statusAtAcceptance: 'PARTICIPANT',
      };
      r.cases.push(known);
    }
    Object.assign(known, {
      closedAt: fact.at,
      closedReason: fact.closedReason,
      earlyRelease: fact.earlyRelease,
      ...(fact.outcome === undefined ? {} : { outcome: fact.outcome }),
      ...(fact.releasedAt === undefined ? {} : { releasedAt: fact.releasedAt }),
    });
    const note = [fact.closedReason, fact.outcome, fact.earlyRelease ? 'EARLY_RELEASE' : undefined]
      .filter((x) => x !== undefined)
      .join(' ');
    return record(r, 'CASE_CLOSED', now, 'system', fact.caseId, note);
  }
  const known = r.commitments.find((c) => c.commitmentId === fact.commitmentId);
  if (known?.standing === fact.standing) return;
  if (known === undefined) {
    r.commitments.push({
      commitmentId: fact.commitmentId,
      caseId: fact.caseId,
      owner: fact.owner,
      standing: fact.standing,
      at: fact.at,
    });
  } else Object.assign(known, { standing: fact.standing, at: fact.at });
  record(r, 'COMMITMENT_STANDING', now, 'system', fact.commitmentId, fact.standing);
}

/** The chair designates (TRUSTED_PARTNER) or revokes (PARTICIPANT), with its reason; the lab is told. */
export function changeStatus(
  r: LabRecord,
  to: LabStatus,
  now: Date,
  by: string,
  reason: string,
  eligible: boolean,
): void {
  const type: LabCallbackType =
    to === 'TRUSTED_PARTNER' ? 'TRUSTED_PARTNER_DESIGNATED' : 'TRUSTED_PARTNER_REVOKED';
  const at = iso(now);
  r.status = to;
  r.statusHistory.push({ status: to, at, by, reason, eligible });
  record(r, type, now, by, undefined, reason);
  if (r.endpoint !== undefined) {
    r.callbacks.push({
      seq: r.callbacks.length === 0 ? 1 : r.callbacks[r.callbacks.length - 1].seq + 1,
      type,
      at,
      status: 'PENDING',
      attempts: 0,
      submissionId: r.endpoint.submissionId,
      payload: { labId: r.labId, status: to, since: at, reason, eligible },
    });
  }
}

/** What a run hands on: the record, with its timeline and delivered callbacks trimmed to what a reader needs. */
export function trimmedForNextRun(r: LabRecord): LabRecord {
  const undelivered = r.callbacks.filter((c) => c.status === 'PENDING');
  const recent = r.callbacks.filter((c) => c.status !== 'PENDING').slice(-20);
  return {
    ...r,
    events: r.events.slice(-EVENTS_KEPT),
    callbacks: [...recent, ...undelivered],
  };
}
