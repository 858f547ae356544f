import { actsAsSeen, seesWhoActed } from './view-policy';
import { randomUUID } from 'node:crypto';
import { legacyFingerprint, sha256 } from '../shared/node/digest';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { FileFindingBody, FindingListItem, FindingQuery, FindingView } from '../shared/api/findings';
import { mayKnowOf, mayReadDetail } from '../shared/domain/clearinghouse/access';
import { FindingFiling, type FindingRecord } from '../shared/domain/clearinghouse/finding';
import type { FindingReceipt } from '../shared/domain/clearinghouse/messages';
import { clearinghouseAgencies, CURRENT_CLEARINGHOUSE_POLICY } from '../shared/domain/clearinghouse/policy';
import { findingQuery } from '../shared/domain/clearinghouse/messages';
import {
  FILING_QUOTA_WORKFLOW_TYPE,
  filingQuotaWorkflowId,
  subjectOf,
  takeFilingSlotUpdate,
  type FilingQuotaInput,
} from '../shared/domain/clearinghouse/quota';
import {
  FINDING_WORKFLOW_TYPE,
  findingIdOfWorkflow,
  findingRecordId,
  findingWorkflowId,
} from '../shared/domain/clearinghouse/workflow';
import { agencyOf } from '../shared/domain/principal';
import { SA } from '../shared/domain/search-attributes';
import { asRecorded, isSealedNote } from '../shared/domain/sealed';
import { iso } from '../shared/domain/time';
import { scoreCvss } from '../shared/node/cvss';
import type { KeyRing } from '../shared/node/key-ring';
import { sealedTexts, sealNote, type NoteOpener } from '../shared/node/note-seal';
import type { Caller } from './auth';
import type { Cases } from './cases';
import { openedFinding, sealedForCodec } from './codec-policy';
import type { Grants } from './grants';
import { FINDING_FIELDS, sealsOfFinding, type NotePlaces } from './note-places';
import { ApiError } from './problem';
import { RecordWorkflows, type RecordWorkflowsDeps } from './record-workflows';
import { literal, listPage, workflowsWhere, type Page } from './visibility';

export interface FindingsDeps extends RecordWorkflowsDeps {
  taskQueue: string;
  notes: KeyRing;
  /** Opens a finding's sealed fields at the place each was sealed for (./note-places.ts). */
  places: NotePlaces;
  cases: Cases;
  /** An early-access operator files about a model it was granted (issue 14, part 4). */
  grants?: Grants;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
const OPEN = `ExecutionStatus = 'Running' AND ${SA.findingState.name} IN ('RECEIVED', 'VALIDATED')`;

/** A visibility query over findings: the clauses are ANDed. */
const findingsWhere = (...clauses: (string | undefined)[]): string =>
  workflowsWhere(FINDING_WORKFLOW_TYPE, ...clauses);

/** The clearinghouse's agencies under the policy in force. */

/**
 * The gateway's side of the clearinghouse (issue 15): file a finding, read it at the detail its TLP allows
 * the reader, send it the clearinghouse's or the lab's messages, list findings. Every Temporal call has a
 * deadline, as a case's do.
 */
export class Findings extends RecordWorkflows<FindingRecord, FindingView, FindingReceipt> {
  constructor(protected override readonly deps: FindingsDeps) {
    super(deps, {
      workflowId: findingWorkflowId,
      recordId: findingRecordId,
      query: findingQuery,
      finalKey: 'finding',
      notFound: 'FINDING_NOT_FOUND',
      closed: { code: 'FINDING_CLOSED', detail: 'the finding has ended' },
    });
  }

  protected async viewOf(
    recorded: FindingRecord,
    caller: Caller,
    id: string,
  ): Promise<FindingView | undefined> {
    const viewer = { principal: caller.principal, securityContact: caller.securityContact };
    const notes = await this.deps.places.opener(findingWorkflowId(id), sealsOfFinding(recorded));
    // Who filed it decides who reads it: the rules read the filing as filed, its sealed fields opened.
    const r = openedFinding(notes, recorded);
    return mayKnowOf(r, viewer)
      ? findingView(r, mayReadDetail(r, viewer), notes, seesWhoActed(caller.role))
      : undefined;
  }

  /** Notes and reasons reach Temporal sealed for this finding's timeline, as its title and description are. */
  protected override outbound(payload: object, id: string): object {
    return sealedTexts(this.deps.notes, payload as Record<string, unknown>, {
      record: findingWorkflowId(id),
      field: FINDING_FIELDS.timeline,
    });
  }

  /**
   * Files a finding: a lab about its own models, an agency about any lab's (naming the case or the lab). The
   * vector is scored here, the title and description sealed with the notes key ring. A retry with the same
   * Idempotency-Key finds the first filing; the same key with another filing is refused.
   */
  async file(
    caller: Caller,
    body: FileFindingBody,
    idempotencyKey: string | undefined,
  ): Promise<{ findingId: string; created: boolean }> {
    const { labId, caseId, reviewers, callbackUrl } = await this.subjectOf(caller, body);
    const severity = scoreCvss(body.cvssVector);
    if ('error' in severity) {
      throw new ApiError('CVSS_VECTOR_INVALID', severity.error, [
        { in: 'body', path: '/cvssVector', code: 'invalid_value', message: severity.error },
      ]);
    }
    const findingId =
      idempotencyKey === undefined
        ? `F-${randomUUID()}`
        : `F-${sha256(`${caller.principal}\n${idempotencyKey}`).slice(0, 32)}`;
    // Keyed (shared/node/digest.ts): the memo is decoded by whoever reads the history, the filing is not.
    const filed = { filer: caller.principal, body };
    const fingerprint = this.digests.of(filed, 'fingerprint');
    // The filer and the vector sealed when the codec server's readers may not read them (./codec-policy.ts).
    const filing = FindingFiling.parse(
      sealedForCodec(this.deps.notes, {
        findingId,
        labId,
        caseId,
        reviewers,
        filedBy: caller.principal,
        tlp: body.tlp,
        detail: {
          title: sealNote(this.deps.notes, body.title, {
            record: findingWorkflowId(findingId),
            field: FINDING_FIELDS.title,
          }),
          description: sealNote(this.deps.notes, body.description, {
            record: findingWorkflowId(findingId),
            field: FINDING_FIELDS.description,
          }),
          severity,
        },
        callbackUrl,
        policyId: CURRENT_CLEARINGHOUSE_POLICY,
      }),
    );
    // Within the filer's quota (policy version 7), or refused with nothing started.
    await this.takeFilingSlot(caller.principal, findingId, subjectOf(caseId, labId));
    try {
      await this.within(() =>
        this.deps.temporal.workflow.start(FINDING_WORKFLOW_TYPE, {
          taskQueue: this.deps.taskQueue,
          workflowId: findingWorkflowId(findingId),
          // Who filed is not sent beside the filing: an AMBER or RED finding's filer is sealed from everyone who
          // decodes payloads, and `by` would name it (issue 36 leaves the filing's act unnamed in the history).
          args: [{ filing }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
          memo: { fingerprint },
        }),
      );
      return { findingId, created: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const described = await this.within(() => this.handle(findingId).describe());
    // Under the notes key the recorded fingerprint names (or unkeyed, as releases 1 to 6 wrote it).
    const recorded = asRecorded(described.memo?.fingerprint);
    const same =
      typeof recorded === 'string' &&
      this.digests.matches(recorded, filed, { purpose: 'fingerprint', legacy: legacyFingerprint }) === true;
    if (!same) {
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        `Idempotency-Key ${idempotencyKey} already filed a different finding (${findingId})`,
      );
    }
    return { findingId, created: false };
  }

  /**
   * Counts the filing against its filer's quota (shared/domain/clearinghouse/quota.ts), starting the quota's
   * workflow at the filer's first filing: past the quota, MESSAGE_BUDGET_EXHAUSTED. The update id is the
   * finding's, so a retry of the same filing is answered as the first was and counted once.
   */
  private async takeFilingSlot(filer: string, findingId: string, subject: string): Promise<void> {
    const workflowId = filingQuotaWorkflowId(this.deps.taskQueue, filer);
    await this.within(() =>
      this.deps.temporal.workflow.start(FILING_QUOTA_WORKFLOW_TYPE, {
        taskQueue: this.deps.taskQueue,
        workflowId,
        args: [{ filer } satisfies FilingQuotaInput],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    );
    await this.within(() =>
      this.deps.temporal.workflow.getHandle(workflowId).executeUpdate(takeFilingSlotUpdate, {
        args: [{ actor: filer, findingId, subject }],
        updateId: `slot:${findingId}`,
      }),
    );
  }

  /** The lab, case, roster and callback endpoint a filing concerns, as the caller may name them. */
  private async subjectOf(caller: Caller, body: FileFindingBody) {
    if (caller.role === 'operator') return this.grantedSubject(caller, body);
    if (caller.role === 'agency' && body.callbackUrl !== undefined) {
      throw new ApiError(
        'FINDING_CALLBACK_NOT_ALLOWED',
        "the callback endpoint is the lab's: it comes from the case",
      );
    }
    if (body.caseId === undefined) {
      const labId = caller.role === 'lab' ? caller.id! : body.labId;
      if (labId === undefined)
        throw new ApiError('FINDING_SUBJECT_MISSING', 'name the case (caseId) or the affected lab (labId)');
      if (caller.role === 'lab' && body.labId !== undefined && body.labId !== caller.id) {
        throw new ApiError('FINDING_LAB_MISMATCH', 'a lab files findings about its own models only');
      }
      return { labId, caseId: undefined, reviewers: [] as string[], callbackUrl: body.callbackUrl };
    }
    const caseId = await this.deps.cases.resolve(caller, body.caseId);
    const status = await this.deps.cases.status(caseId);
    if (body.labId !== undefined && body.labId !== status.labId) {
      throw new ApiError('FINDING_LAB_MISMATCH', `case ${caseId} is lab ${status.labId}'s`);
    }
    return {
      labId: status.labId,
      caseId,
      reviewers: [...new Set(status.agencies.map((a) => a.agency))],
      callbackUrl: body.callbackUrl ?? status.callbackUrl,
    };
  }

  /**
   * An early-access operator files about the model of a case it was granted access to (approved by the lab,
   * during or after the access): it names that case, and its callbacks are the lab's, on the case's endpoint.
   */
  private async grantedSubject(caller: Caller, body: FileFindingBody) {
    if (body.caseId === undefined) {
      throw new ApiError(
        'FINDING_SUBJECT_MISSING',
        'an operator names the case it was granted early access on',
      );
    }
    if (body.callbackUrl !== undefined) {
      throw new ApiError(
        'FINDING_CALLBACK_NOT_ALLOWED',
        "the callback endpoint is the lab's: it comes from the case",
      );
    }
    const grantId = `${body.caseId.replace(':', '~')}~${caller.id}`;
    const granted = await this.deps.grants
      ?.record(grantId)
      .then((g) => g.approvedAt !== undefined && g.filing.operator === caller.principal)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'GRANT_NOT_FOUND') return false;
        throw err;
      });
    if (granted !== true) {
      throw new ApiError(
        'NOT_ENTITLED',
        `an operator files findings on a case it was granted early access on`,
      );
    }
    const status = await this.deps.cases.status(body.caseId);
    if (body.labId !== undefined && body.labId !== status.labId) {
      throw new ApiError('FINDING_LAB_MISMATCH', `case ${body.caseId} is lab ${status.labId}'s`);
    }
    return {
      labId: status.labId,
      caseId: body.caseId,
      reviewers: [...new Set(status.agencies.map((a) => a.agency))],
      callbackUrl: status.callbackUrl,
    };
  }

  /**
   * Findings from visibility: operations staff, the chair and the clearinghouse's agencies list all of them,
   * a lab its own. Another agency sees the open findings of the cases it reviews on those cases.
   */
  async list(caller: Caller, q: FindingQuery): Promise<Page<FindingListItem>> {
    if (caller.role === 'agency' && !clearinghouseAgencies().includes(agencyOf(caller.principal) ?? '')) {
      throw new ApiError(
        'FORBIDDEN',
        "the clearinghouse's agencies list findings; a reviewing agency sees a case's open findings on the case",
      );
    }
    const eq = (name: string, v: string | undefined) =>
      v === undefined ? undefined : `${name} = ${literal(v)}`;
    const query = findingsWhere(
      // A lab lists its own findings whatever it filters on.
      eq(SA.lab.name, caller.role === 'lab' ? caller.id : q.lab),
      eq(SA.findingState.name, q.state),
      eq(SA.findingCase.name, q.caseId),
      q.overdue === undefined ? undefined : `${SA.overdue.name} = ${q.overdue}`,
      eq(SA.flags.name, q.flag),
      q.open === undefined ? undefined : q.open ? OPEN : `NOT (${OPEN})`,
    );
    return listPage(this.deps.temporal, query, q.pageSize, q.cursor, this.deps.callTimeoutMs, listItemOf);
  }

  /** The open findings about a case's model, for the case's view (from visibility, at most 50). */
  async openOfCase(caseId: string): Promise<FindingListItem[]> {
    const query = findingsWhere(`${SA.findingCase.name} = ${literal(caseId)}`, OPEN);
    const page = await listPage(
      this.deps.temporal,
      query,
      50,
      undefined,
      this.deps.callTimeoutMs,
      listItemOf,
    );
    return page.items;
  }
}

function listItemOf(raw: temporal.api.workflow.v1.IWorkflowExecutionInfo): FindingListItem {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  const due = sa.get(SA.nextDeadline);
  return {
    findingId: findingIdOfWorkflow(raw.execution?.workflowId ?? ''),
    labId: sa.get(SA.lab),
    caseId: sa.get(SA.findingCase),
    state: sa.get(SA.findingState) as FindingListItem['state'],
    flags: (sa.get(SA.flags) ?? []) as FindingListItem['flags'],
    overdue: sa.get(SA.overdue) ?? false,
    nextDeadline: due === undefined ? undefined : iso(due),
    running: raw.status === RUNNING,
    filedAt: iso(optionalTsToMs(raw.startTime) ?? 0),
  };
}

/** The finding as a reader sees it: the detail opened only for one who may read it. */
export function findingView(
  r: FindingRecord,
  mayRead: boolean,
  notes: NoteOpener,
  whoActed = false,
): FindingView {
  const f = r.filing;
  const s = f.detail.severity;
  const title = mayRead ? notes.open(f.detail.title, FINDING_FIELDS.title) : undefined;
  const description = mayRead ? notes.open(f.detail.description, FINDING_FIELDS.description) : undefined;
  // A title or description that does not open here (sealed for another record or field) withholds the detail.
  const detail = title !== undefined && description !== undefined;
  const noteOf = (note: string): string | undefined =>
    isSealedNote(note) ? notes.open(note, FINDING_FIELDS.timeline) : note;
  return {
    findingId: f.findingId,
    labId: f.labId,
    ...(f.caseId === undefined ? {} : { caseId: f.caseId }),
    state: r.state,
    tlp: r.tlp,
    severity: { rating: s.rating, score: s.score },
    flags: r.flags,
    receivedAt: r.receivedAt,
    validationDue: r.validationDue,
    validatedAt: r.validatedAt,
    remediationDue: r.remediationDue,
    extended: r.extended,
    disclosureDue: r.disclosureDue,
    closedAt: r.closedAt,
    detailWithheld: !detail,
    ...(detail
      ? {
          detail: {
            title,
            description,
            cvssVector: s.vector,
            cvssVersion: s.version,
            filedBy: f.filedBy,
          },
        }
      : {}),
    // Who filed and who acted is part of the detail: without it, an actor is named by its role only.
    timeline: actsAsSeen(r.events, detail && whoActed).map(({ note, actor, ...e }) => ({
      ...e,
      actor: detail ? actor : actor.replace(/:.*$/, ''),
      ...(detail && note !== undefined && noteOf(note) !== undefined ? { note: noteOf(note) } : {}),
    })),
    callbacks: {
      pending: r.callbacks.filter((c) => c.status === 'PENDING').length,
      delivered: r.callbacks.filter((c) => c.status === 'DELIVERED').length,
      failed: r.callbacks.filter((c) => c.status === 'FAILED').length,
    },
  };
}
