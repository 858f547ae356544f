import type { SignedAct } from '../shared/domain/signed-act';
import { actsAsSeen, seesWhoActed } from './view-policy';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import type { LabListItem, LabQuery, LabView } from '../shared/api/labs';
import { labBounds } from '../shared/domain/labs/bounds';
import { eligibilityOf, type Eligibility } from '../shared/domain/labs/eligibility';
import { labQuery, type LabMessage, type LabReceipt } from '../shared/domain/labs/messages';
import { standingOfLab, type LabRecord, type LabStatus } from '../shared/domain/labs/record';
import { LAB_WORKFLOW_TYPE, labWorkflowId } from '../shared/domain/labs/workflow';
import type { Policy } from '../shared/domain/policy';
import { SA } from '../shared/domain/search-attributes';
import { iso } from '../shared/domain/time';
import { KeyedDigests } from '../shared/node/digest';
import type { KeyRing } from '../shared/node/key-ring';
import type { Caller } from './auth';
import { ApiError } from './problem';
import { sendRecordUpdate } from './record-update';
import { mapped } from './temporal-errors';
import { literal, listPage, workflowsWhere, type Page } from './visibility';

export interface LabsDeps {
  temporal: Client;
  taskQueue: string;
  callTimeoutMs: number;
  /** The policy in force for new filings: its `trustedPartner` terms propose eligibility. */
  policyInForce: () => Policy | undefined;
  /** The notes key ring: the request digests are keyed with it (shared/node/digest.ts). */
  notes: KeyRing;
}

/**
 * The gateway's side of labs' records (issue 14, part 3): read one as the caller may (operations staff and the
 * chair every lab, a lab its own), list them, and send the chair's designation or revocation with the policy
 * in force's proposal. A lab none of whose cases has been accepted since release 5 has no record: 404.
 */
export class Labs {
  private readonly digests: KeyedDigests;

  constructor(private readonly deps: LabsDeps) {
    this.digests = new KeyedDigests(deps.notes);
  }

  private handle(labId: string): WorkflowHandle {
    return this.deps.temporal.workflow.getHandle(labWorkflowId(this.deps.taskQueue, labId));
  }

  private within<T>(fn: () => Promise<T>): Promise<T> {
    const { connection } = this.deps.temporal;
    return mapped(() => connection.withDeadline(Date.now() + this.deps.callTimeoutMs, fn));
  }

  private async record(caller: Caller, labId: string): Promise<LabRecord> {
    if (caller.role === 'lab' && caller.id !== labId) throw new ApiError('LAB_NOT_FOUND');
    try {
      return await this.within(() => this.handle(labId).query(labQuery));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') {
        throw new ApiError('LAB_NOT_FOUND', `no record of lab ${labId} yet`, undefined, { cause: err });
      }
      throw err;
    }
  }

  /** The policy in force's proposal for this record now. */
  private eligibility(r: LabRecord): Eligibility {
    const terms = this.deps.policyInForce()?.trustedPartner;
    if (terms === undefined) {
      return {
        eligible: false,
        completedReviews: 0,
        earlyReleases: 0,
        brokenCommitments: 0,
        unmet: ['the policy in force proposes no trusted partners'],
      };
    }
    return eligibilityOf(r, terms, Date.now());
  }

  async view(caller: Caller, labId: string): Promise<LabView> {
    const r = await this.record(caller, labId);
    return labView(r, this.eligibility(r), seesWhoActed(caller.role));
  }

  /** The chair designates or revokes, with its reason; with an Idempotency-Key a retry returns the first receipt. */
  async act(
    caller: Caller,
    labId: string,
    message: LabMessage,
    body: { reason: string },
    idempotencyKey?: string,
    /** Checks the decision's signature, if it carries one (./act-signing.ts), once the record is known to exist. */
    signature?: () => Promise<{ signed: SignedAct; nonce: string } | undefined>,
  ): Promise<Omit<LabReceipt, 'digest'>> {
    const r = await this.record(caller, labId);
    return sendRecordUpdate<LabReceipt>({
      handle: this.handle(labId),
      update: message.update as never,
      name: message.name,
      caller,
      payload: { ...body, eligible: this.eligibility(r).eligible },
      asSent: body,
      digests: this.digests,
      idempotencyKey,
      within: (fn) => this.within(fn),
      closed: { code: 'LAB_NOT_FOUND', detail: "the lab's record is not running" },
      signature: await signature?.(),
    });
  }

  /** Labs from visibility: operations staff and the chair list every one, a lab only its own. */
  async list(caller: Caller, q: LabQuery): Promise<Page<LabListItem>> {
    const query = workflowsWhere(
      LAB_WORKFLOW_TYPE,
      `ExecutionStatus = 'Running'`,
      `TaskQueue = ${literal(this.deps.taskQueue)}`,
      caller.role === 'lab' ? `${SA.lab.name} = ${literal(caller.id!)}` : undefined,
      q.status === undefined ? undefined : `${SA.itemState.name} = ${literal(q.status)}`,
    );
    return listPage(this.deps.temporal, query, q.pageSize, q.cursor, this.deps.callTimeoutMs, listItemOf);
  }
}

function listItemOf(raw: temporal.api.workflow.v1.IWorkflowExecutionInfo): LabListItem {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  return {
    labId: sa.get(SA.lab) ?? '',
    status: sa.get(SA.itemState) as LabStatus | undefined,
    since: iso(optionalTsToMs(raw.startTime) ?? 0),
  };
}

const count = (r: LabRecord, standing: string) => r.commitments.filter((c) => c.standing === standing).length;

/**
 * A lab's record as its readers see it, capped (issue 34, item 5): the latest cases, commitments, status
 * changes and timeline entries (policy version 7's `labs.shown` of each), whole counts, and how many of each
 * the view leaves out (folded away by earlier runs included).
 */
export function labView(r: LabRecord, eligibility: Eligibility, whoActed = false): LabView {
  const standing = standingOfLab(r);
  const { shown } = labBounds(r);
  const latest = <T>(xs: readonly T[]): T[] => xs.slice(Math.max(0, xs.length - shown));
  const left = (xs: readonly unknown[]): number => Math.max(0, xs.length - shown);
  const earlier = r.earlier;
  return {
    labId: r.labId,
    status: r.status,
    since: standing.since,
    eligibility,
    statusHistory: latest(r.statusHistory),
    cases: latest(r.cases),
    commitments: {
      kept: count(r, 'KEPT') + (earlier?.commitments.kept ?? 0),
      broken: count(r, 'BROKEN') + (earlier?.commitments.broken ?? 0),
      overdue: count(r, 'OVERDUE'),
      pending: count(r, 'PENDING'),
      items: latest(r.commitments),
    },
    omitted: {
      cases: left(r.cases) + (earlier?.cases ?? 0),
      commitments:
        left(r.commitments) +
        (earlier === undefined ? 0 : earlier.commitments.kept + earlier.commitments.broken),
      statusHistory: left(r.statusHistory) + (earlier?.statusChanges ?? 0),
      timeline: left(r.events) + (r.events[0]?.seq ?? 1) - 1,
    },
    timeline: actsAsSeen(latest(r.events), whoActed),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
