import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CaseView } from '../../shared/api/responses';
import { FindingView } from '../../shared/api/findings';
import { GrantReceiptView, GrantView } from '../../shared/api/grants';
import { FindingFiling } from '../../shared/domain/clearinghouse/finding';
import { findingQuery } from '../../shared/domain/clearinghouse/messages';
import { CURRENT_CLEARINGHOUSE_POLICY } from '../../shared/domain/clearinghouse/policy';
import { FINDING_WORKFLOW_TYPE, findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import type { GrantRecord } from '../../shared/domain/grants/grant';
import { caseClosedSignal, grantQuery } from '../../shared/domain/grants/messages';
import { grantWorkflowId } from '../../shared/domain/grants/workflow';
import { labQuery } from '../../shared/domain/labs/messages';
import type { LabRecord } from '../../shared/domain/labs/record';
import { labWorkflowId } from '../../shared/domain/labs/workflow';
import { operatorOf } from '../../shared/domain/principal';
import { MESSAGES, statusQuery } from '../../shared/domain/review/messages';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { scoreCvss } from '../../shared/node/cvss';
import { sealNote } from '../../shared/node/note-seal';
import { FINDING_FIELDS } from '../../gateway/note-places';
import { rejectedWithoutTrace } from '../helpers/assertions';
import { noteErrorAsserted } from '../helpers/ledger';
import type { review } from '../../workflows';
import type { ReviewHandle } from '../helpers/review';
import { sealNoteV1, TEST_NOTE_RING, testDataConverter } from '../helpers/sealing';
import { waitFor } from '../helpers/wait';
import { trackWorkflow } from '../helpers/workers';
import {
  decision,
  determinedNoConcerns,
  eventually,
  file,
  filing,
  fileFinding,
  ok,
  readGov,
  untilLabRecord,
  untilStage,
  withGateway,
  type Gateway,
} from '../gateway/support';

/*
 * Issue 34, findings 1 and 3: what someone holding the Temporal namespace and none of the product's keys (a
 * namespace administrator) can do with a sealed message recorded in one case's history, and what a worker host
 * (holding the payload key ring, not the notes key ring) can do with a restricted note's seal. Every message
 * below is copied byte for byte from a history, as the raw gRPC API gives it, and sent as raw payloads.
 */

type Payloads = temporal.api.common.v1.IPayloads;
const { UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED: COMPLETED } =
  temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;

/** The namespace administrator: the same connection and namespace, no data converter, no keys. */
const admin = (gw: Gateway): Client =>
  new Client({ connection: gw.client.connection, namespace: gw.namespace });

async function historyOf(gw: Gateway, workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await admin(gw).workflowService.getWorkflowExecutionHistory({
      namespace: gw.namespace,
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken !== undefined);
  return events;
}

/** The raw payloads of the first update named `name` the workflow accepted. */
async function recordedUpdate(gw: Gateway, workflowId: string, name: string): Promise<Payloads> {
  const input = (await historyOf(gw, workflowId))
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input)
    .find((i) => i?.name === name);
  assert.ok(input?.args?.payloads?.length, `${workflowId} recorded no ${name}`);
  // Sealed: nothing of the message is readable in the history.
  assert.equal(Buffer.from(input.args.payloads[0].metadata?.encoding ?? []).toString(), 'binary/encrypted');
  return input.args;
}

/** The raw payloads of the first signal named `name` the workflow received. */
async function recordedSignal(gw: Gateway, workflowId: string, name: string): Promise<Payloads> {
  const input = (await historyOf(gw, workflowId))
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .find((s) => s?.signalName === name)?.input;
  assert.ok(input?.payloads?.length, `${workflowId} received no ${name}`);
  return input;
}

/**
 * Sends raw payloads as an update, as the namespace administrator can; a refusal is thrown as the SDK throws
 * it (WorkflowUpdateFailedError, its cause an ApplicationFailure of the refusal's type).
 */
async function replayUpdate(
  gw: Gateway,
  workflowId: string,
  name: string,
  args: Payloads,
  updateId = randomUUID(),
): Promise<void> {
  for (;;) {
    const res = await admin(gw).workflowService.updateWorkflowExecution({
      namespace: gw.namespace,
      workflowExecution: { workflowId },
      waitPolicy: { lifecycleStage: COMPLETED },
      request: { meta: { updateId, identity: 'namespace administrator' }, input: { name, args } },
    });
    const failure = res.outcome?.failure;
    if (failure) {
      const type = failure.applicationFailureInfo?.type ?? undefined;
      throw new WorkflowUpdateFailedError(
        'Workflow Update failed',
        ApplicationFailure.create({ type, message: failure.message ?? undefined, nonRetryable: true }),
      );
    }
    if (res.outcome?.success) return;
  }
}

async function replaySignal(gw: Gateway, workflowId: string, signalName: string, input: Payloads) {
  await admin(gw).workflowService.signalWorkflowExecution({
    namespace: gw.namespace,
    workflowExecution: { workflowId },
    signalName,
    input,
    identity: 'namespace administrator',
    requestId: randomUUID(),
  });
}

const caseHandle = (gw: Gateway, caseId: string): ReviewHandle =>
  gw.client.workflow.getHandle<typeof review>(reviewWorkflowId(caseId));

/** Files a case as `lab` (the test's own lab, or the other). */
async function fileAs(gw: Gateway, lab: string): Promise<string> {
  const res = await gw.call(lab, 'POST', '/v1/submissions', filing());
  assert.equal(res.status, 201, res.text);
  return (res.body as { caseId: string }).caseId;
}

/** A case of `lab` screened and waiting for NSA's designation. */
async function awaitingDesignation(gw: Gateway, lab: string): Promise<string> {
  const caseId = await fileAs(gw, lab);
  await untilStage(gw, caseId, 'DESIGNATION', gw.parties.ops);
  return caseId;
}

/** NSA's restricted note in a case, as the case keeps it: sealed. */
async function sealedNoteOf(gw: Gateway, caseId: string): Promise<string> {
  const s = await caseHandle(gw, caseId).query(statusQuery);
  const sealed = s.agencies.find((a) => a.agency === 'NSA')?.decision?.restrictedNote;
  assert.match(sealed ?? '', /^sealed:v2:/);
  return sealed!;
}

describe('replay: a sealed message copied from one case into another (issue 34)', function () {
  this.timeout(240_000);

  it('refuses NSA’s designation {covered:false} copied into another case of the lab and into another lab’s, leaving no trace', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA } = gw.parties;
      const a = await awaitingDesignation(gw, lab);
      const b = await awaitingDesignation(gw, lab);
      const c = await awaitingDesignation(gw, otherLab);
      const designated = await gw.call(NSA, 'POST', `/v1/submissions/${a}/designation`, {
        covered: false,
        reason: 'below the benchmark bar',
      });
      assert.equal(designated.status, 200, designated.text);
      const copied = await recordedUpdate(gw, reviewWorkflowId(a), MESSAGES.designateCoverage.name);
      for (const target of [b, c]) {
        await rejectedWithoutTrace(caseHandle(gw, target), 'MESSAGE_NOT_BOUND', () =>
          replayUpdate(gw, reviewWorkflowId(target), MESSAGES.designateCoverage.name, copied),
        );
        const view = await readGov(gw, gw.parties.chair, target);
        assert.equal(view.stage, 'DESIGNATION');
        assert.equal(view.designation?.decision, undefined);
      }
    });
  });

  it('refuses NSA’s decision with a restricted note copied into other cases, whose readers never see it', async () => {
    const NOTE = 'weights exfiltration path via the eval harness';
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA, chair, ops } = gw.parties;
      const c = await file(gw);
      const d = await file(gw);
      const e = await fileAs(gw, otherLab);
      for (const id of [c, d]) await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      await untilStage(gw, e, 'NATIONAL_SECURITY', ops);
      const decided = await gw.call(
        NSA,
        'POST',
        `/v1/submissions/${c}/decisions`,
        decision('CONCERNS_MITIGATED', {
          restrictedNote: NOTE,
          commitments: ['keep the eval harness gated'],
        }),
      );
      assert.equal(decided.status, 200, decided.text);
      const copied = await recordedUpdate(gw, reviewWorkflowId(c), MESSAGES.recordDecision.name);
      for (const target of [d, e]) {
        await rejectedWithoutTrace(caseHandle(gw, target), 'MESSAGE_NOT_BOUND', () =>
          replayUpdate(gw, reviewWorkflowId(target), MESSAGES.recordDecision.name, copied),
        );
        for (const reader of [chair, NSA]) {
          const res = await gw.call(reader, 'GET', `/v1/submissions/${target}`);
          const view = ok(res, CaseView);
          assert.equal(view.agencies.find((x) => x.agency === 'NSA')?.decision, undefined);
          assert.ok(!res.text.includes(NOTE), `${reader} reads case ${target} without C's note`);
        }
      }
      // In its own case, NSA's note reads as it was written.
      const own = await readGov(gw, chair, c);
      assert.equal(own.agencies.find((x) => x.agency === 'NSA')?.decision?.restrictedNote, NOTE);
    });
  });

  it('refuses a lab’s withdrawal copied into another of its cases and into another lab’s', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, ops } = gw.parties;
      const a = await file(gw);
      const b = await file(gw);
      const c = await fileAs(gw, otherLab);
      for (const id of [a, b, c]) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const withdrawn = await gw.call(lab, 'POST', `/v1/submissions/${a}/withdrawal`, {});
      assert.equal(withdrawn.status, 200, withdrawn.text);
      const copied = await recordedUpdate(gw, reviewWorkflowId(a), MESSAGES.withdraw.name);
      for (const target of [b, c]) {
        await rejectedWithoutTrace(caseHandle(gw, target), 'MESSAGE_NOT_BOUND', () =>
          replayUpdate(gw, reviewWorkflowId(target), MESSAGES.withdraw.name, copied),
        );
        assert.equal((await readGov(gw, ops, target)).stage, 'NATIONAL_SECURITY');
      }
    });
  });

  it('refuses a finding’s validation copied into another finding', async () => {
    await withGateway(async (gw) => {
      const { NSA, CISA, lab } = gw.parties;
      const labId = lab.slice(4);
      const f1 = await fileFinding(gw, NSA, { labId, tlp: 'AMBER' });
      const f2 = await fileFinding(gw, NSA, { labId, tlp: 'AMBER' });
      const validated = await gw.call(CISA, 'POST', `/v1/findings/${f1}/validation`, { note: 'reproduced' });
      assert.equal(validated.status, 200, validated.text);
      const copied = await recordedUpdate(gw, findingWorkflowId(f1), 'validateFinding');
      const h = gw.client.workflow.getHandle(findingWorkflowId(f2));
      const settled = await waitFor(
        () => h.fetchHistory(),
        (x) => (x.events ?? []).some((e) => e.upsertWorkflowSearchAttributesEventAttributes),
        'the second finding received',
      );
      noteErrorAsserted('MESSAGE_NOT_BOUND');
      await assert.rejects(
        replayUpdate(gw, findingWorkflowId(f2), 'validateFinding', copied),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'MESSAGE_NOT_BOUND',
      );
      assert.equal(((await h.query(findingQuery)) as { state: string }).state, 'RECEIVED');
      assert.equal((await h.fetchHistory()).events?.length, settled.events?.length);
    });
  });
});

describe('replay: signals and messages of early-access grants and labs’ records (issue 34)', function () {
  this.timeout(300_000);

  it('ignores and counts a case’s closing copied into another grant; refuses an approval copied into another grant and a use report sent again', async () => {
    await withGateway(async (gw) => {
      const { lab, CISA, operator, ops } = gw.parties;
      const grantOf = async (caseId: string): Promise<string> => {
        const nominated = await gw.call(CISA, 'POST', `/v1/submissions/${caseId}/early-access`, {
          operatorId: operatorOf(operator),
          reason: 'Regional grid operator: hardening its control-room tooling.',
        });
        assert.equal(nominated.status, 200, nominated.text);
        const grantId = `${caseId.replace(':', '~')}~${operatorOf(operator)}`;
        await eventually(
          () => gw.call(ops, 'GET', `/v1/grants/${grantId}`),
          (res) => res.status === 200,
          `grant ${grantId} started`,
        );
        return grantId;
      };
      const [one, two, three] = [await file(gw), await file(gw), await file(gw)];
      for (const id of [one, two, three]) {
        await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
        await determinedNoConcerns(gw, id);
      }
      const [g1, g2, g3] = [await grantOf(one), await grantOf(two), await grantOf(three)];
      const record = (g: string) => gw.client.workflow.getHandle(grantWorkflowId(g)).query(grantQuery);

      // The lab approves the first grant; the operator reports a use of it.
      ok(await gw.call(lab, 'POST', `/v1/grants/${g1}/approval`, { note: 'Welcome.' }), GrantReceiptView);
      ok(
        await gw.call(operator, 'POST', `/v1/grants/${g1}/uses`, { note: 'Ran our playbooks.' }),
        GrantReceiptView,
      );
      const approval = await recordedUpdate(gw, grantWorkflowId(g1), 'approveGrant');
      const use = await recordedUpdate(gw, grantWorkflowId(g1), 'reportGrantUse');
      const refused = async (g: string, name: string, args: Payloads) => {
        // Measured at rest: a callback still being delivered would change the record and its history meanwhile.
        const before = await waitFor(
          () => record(g),
          (r) => r.callbacks.every((cb) => cb.deliveredAt !== undefined),
          'the grant’s callbacks delivered',
        );
        const events = (await historyOf(gw, grantWorkflowId(g))).length;
        noteErrorAsserted('MESSAGE_NOT_BOUND');
        await assert.rejects(replayUpdate(gw, grantWorkflowId(g), name, args), (err: unknown) => {
          assert.ok(err instanceof WorkflowUpdateFailedError, String(err));
          assert.ok(err.cause instanceof ApplicationFailure);
          assert.equal(err.cause.type, 'MESSAGE_NOT_BOUND');
          return true;
        });
        assert.deepEqual(await record(g), before);
        assert.equal((await historyOf(gw, grantWorkflowId(g))).length, events);
      };
      // The lab's approval of one grant approves no other; a use is reported once, whatever update id it comes under.
      await refused(g2, 'approveGrant', approval);
      assert.equal(ok(await gw.call(lab, 'GET', `/v1/grants/${g2}`), GrantView).state, 'NOMINATED');
      await refused(g1, 'reportGrantUse', use);
      assert.equal(ok(await gw.call(ops, 'GET', `/v1/grants/${g1}`), GrantView).uses, 1);

      // The lab withdraws the first case: its grant hears that its case closed, and ends.
      assert.equal((await gw.call(lab, 'POST', `/v1/submissions/${one}/withdrawal`, {})).status, 200);
      await eventually(
        () => record(g1),
        (r: GrantRecord) => r.caseClosed !== undefined,
        'the first grant told its case closed',
      );
      const closing = await recordedSignal(gw, grantWorkflowId(g1), 'caseClosed');
      // Copied into the other grants, whose cases are open: ignored, and counted.
      for (const g of [g2, g3]) {
        const before = await record(g);
        await replaySignal(gw, grantWorkflowId(g), 'caseClosed', closing);
        const after = await eventually(
          () => record(g),
          (r: GrantRecord) => r.ignoredSignals === 1,
          `grant ${g} counted the copied signal`,
        );
        assert.deepEqual({ ...after, ignoredSignals: undefined }, { ...before, ignoredSignals: undefined });
        assert.equal(after.state, 'NOMINATED');
        assert.equal(after.caseClosed, undefined);
      }
      // Sealed with the deployment's key but naming no grant (as a worker of release 6 sent it): ignored too.
      const unbound = new Client({
        connection: gw.client.connection,
        namespace: gw.namespace,
        dataConverter: testDataConverter,
      });
      const released = { reason: 'WITHDRAWN', at: new Date().toISOString() };
      await unbound.workflow.getHandle(grantWorkflowId(g3)).signal(caseClosedSignal, released);
      const after = await eventually(
        () => record(g3),
        (r: GrantRecord) => r.ignoredSignals === 2,
        'the unbound closing counted',
      );
      assert.equal(after.state, 'NOMINATED');
      assert.equal(after.caseClosed, undefined);
    });
  });

  it('ignores and counts a fact copied from one lab’s record into another’s', async () => {
    await withGateway(async (gw) => {
      const { otherLab, ops } = gw.parties;
      const mine = await file(gw);
      const theirs = await fileAs(gw, otherLab);
      for (const id of [mine, theirs]) {
        await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
        await untilLabRecord(gw, id);
      }
      const recordOf = (caseId: string) =>
        gw.client.workflow.getHandle(labWorkflowId(gw.taskQueue, caseId.split(':')[0]));
      const fact = await recordedSignal(gw, recordOf(mine).workflowId, 'labFact');
      const before: LabRecord = await recordOf(theirs).query(labQuery);
      await replaySignal(gw, recordOf(theirs).workflowId, 'labFact', fact);
      const after = await eventually(
        () => recordOf(theirs).query(labQuery),
        (r: LabRecord) => r.ignoredSignals === 1,
        'the other lab’s record counted the copied fact',
      );
      assert.deepEqual(after.cases, before.cases);
      assert.deepEqual(
        after.cases.map((c) => c.caseId),
        [theirs],
      );
      assert.deepEqual({ ...after, ignoredSignals: undefined }, { ...before, ignoredSignals: undefined });
    });
  });
});

describe('moved restricted notes: a seal opens only in the case and field it was sealed for (issue 34)', function () {
  this.timeout(240_000);

  /** What a worker host can do: send a message sealed with the payload key ring, as the gateway would. */
  const forgeDecision = (gw: Gateway, caseId: string, actor: string, restrictedNote: string) =>
    gw.client.workflow.getHandle(reviewWorkflowId(caseId)).executeUpdate(MESSAGES.recordDecision.update, {
      args: [{ actor, decision: { kind: 'NO_CONCERNS', summary: 'forged', restrictedNote } } as never],
    });

  /** NSA decides on case `id` with a restricted note; answers the note's seal as the case keeps it. */
  async function noteSealedByNsa(
    gw: Parameters<Parameters<typeof withGateway>[0]>[0],
    id: string,
    note: string,
  ) {
    const res = await gw.call(
      gw.parties.NSA,
      'POST',
      `/v1/submissions/${id}/decisions`,
      decision('NO_CONCERNS', { restrictedNote: note }),
    );
    assert.equal(res.status, 200);
    return sealedNoteOf(gw, id);
  }

  it('never opens NSA’s note moved into another case, or into another agency’s decision in its own case', async () => {
    const NOTE = 'a jailbreak reaches the bioweapons uplift evals';
    await withGateway(async (gw) => {
      const { NSA, CISA, chair, ops } = gw.parties;
      const c = await file(gw);
      const d = await file(gw);
      for (const id of [c, d]) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const sealed = await noteSealedByNsa(gw, c, NOTE);
      // Into NSA's decision in case D, and into CISA's in case C itself.
      await forgeDecision(gw, d, NSA, sealed);
      await forgeDecision(gw, c, CISA, sealed);
      for (const [id, agency] of [
        [d, 'NSA'],
        [c, 'CISA'],
      ] as const) {
        for (const reader of [chair, NSA, CISA]) {
          const res = await gw.call(reader, 'GET', `/v1/submissions/${id}`);
          const view = ok(res, CaseView);
          const moved = view.agencies.find((a) => a.agency === agency)?.decision;
          assert.equal(moved?.summary, 'forged');
          assert.equal(moved?.restrictedNote, undefined, `${reader} reads ${agency}'s note in ${id}`);
          assert.equal(moved?.restrictedNoteWithheld, true);
          // Case C keeps NSA's own note, read where it was sealed for: the moved copy shows nothing of it.
          assert.ok(!JSON.stringify(moved).includes(NOTE));
          if (id === d) assert.ok(!res.text.includes(NOTE), `${reader} reads C's note in D`);
        }
      }
      assert.equal(
        (await readGov(gw, chair, c)).agencies.find((a) => a.agency === 'NSA')?.decision?.restrictedNote,
        NOTE,
      );
    });
  });

  it('never opens a note moved into a TLP:CLEAR finding’s title, for the lab or anyone', async () => {
    const NOTE = 'the model writes working ransomware for the grid vendor';
    await withGateway(async (gw) => {
      const { lab, NSA, CISA, chair, ops } = gw.parties;
      const c = await file(gw);
      await untilStage(gw, c, 'NATIONAL_SECURITY', ops);
      const sealed = await noteSealedByNsa(gw, c, NOTE);
      const severity = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
      assert.ok(!('error' in severity));
      const findingId = `F-${randomUUID()}`;
      const labId = lab.slice(4);
      // The worker host starts a finding of its own, the note's seal as its title.
      const forged = FindingFiling.parse({
        findingId,
        labId,
        reviewers: [],
        filedBy: NSA,
        tlp: 'CLEAR',
        detail: {
          title: sealed,
          description: sealNote(TEST_NOTE_RING, 'x', {
            record: findingWorkflowId(findingId),
            field: FINDING_FIELDS.description,
          }),
          severity,
        },
        policyId: CURRENT_CLEARINGHOUSE_POLICY,
      });
      const h = await gw.client.workflow.start(FINDING_WORKFLOW_TYPE, {
        taskQueue: gw.taskQueue,
        workflowId: findingWorkflowId(findingId),
        args: [{ filing: forged }],
      });
      trackWorkflow(gw.taskQueue, h);
      for (const reader of [lab, NSA, CISA, chair]) {
        const res = await eventually(
          () => gw.call(reader, 'GET', `/v1/findings/${findingId}`),
          (r) => r.status === 200,
          `${reader} reads the finding`,
        );
        const view = ok(res, FindingView);
        assert.equal(view.detailWithheld, true, `${reader}`);
        assert.equal(view.detail, undefined);
        assert.ok(!res.text.includes(NOTE), `${reader} reads the note through the title`);
      }
    });
  });

  it('opens a note sealed by an earlier release (v1) only in a case the server started before this release', async () => {
    const NOTE = 'sealed by release 6, bound to nothing';
    const v1 = sealNoteV1(TEST_NOTE_RING, NOTE);
    const check = async (gw: Gateway, opens: boolean) => {
      const { NSA, chair, ops } = gw.parties;
      const d = await file(gw);
      await untilStage(gw, d, 'NATIONAL_SECURITY', ops);
      await forgeDecision(gw, d, NSA, v1);
      const view = await readGov(gw, chair, d);
      const nsa = view.agencies.find((a) => a.agency === 'NSA')?.decision;
      assert.equal(nsa?.restrictedNote, opens ? NOTE : undefined);
      assert.equal(nsa?.restrictedNoteWithheld, opens ? undefined : true);
    };
    // Deployed before the case started: withheld, as in any record started under this release.
    await withGateway((gw) => check(gw, false), { notesV1Before: new Date(Date.now() - 60_000) });
    // Without the deployment's date, no v1 seal opens.
    await withGateway((gw) => check(gw, false));
    // A case the server started before the release was deployed reads its v1 notes.
    await withGateway((gw) => check(gw, true), { notesV1Before: new Date(Date.now() + 3_600_000) });
  });
});
