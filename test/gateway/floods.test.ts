import assert from 'node:assert/strict';
import { seededRandom } from '../../scripts/shuffle';
import { CommitmentReceiptView, CommitmentView } from '../../shared/api/commitments';
import { FindingFiled, FindingListItem, FindingReceiptView } from '../../shared/api/findings';
import { GrantReceiptView, GrantView } from '../../shared/api/grants';
import { LabReceiptView, LabView } from '../../shared/api/labs';
import { GovernmentView, page } from '../../shared/api/responses';
import { BOUNDS_V7 } from '../../shared/domain/bounds';
import { filingQuotaQuery, filingQuotaWorkflowId } from '../../shared/domain/clearinghouse/quota';
import { findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { labFactSignal } from '../../shared/domain/labs/messages';
import { LAB_WORKFLOW_TYPE, labWorkflowId } from '../../shared/domain/labs/workflow';
import { operatorOf } from '../../shared/domain/principal';
import { submissionIdOfCase } from '../../shared/domain/review/workflow';
import { testServers } from '../setup/servers';
import { trackWorkflow } from '../helpers/workers';
import {
  assertProblem,
  determinedNoConcerns,
  determinedWithCommitments,
  eventually,
  file,
  ok,
  untilLabRecord,
  untilStage,
  withGateway,
  type Response,
} from './support';

const FindingListPage = page(FindingListItem);

/**
 * Issue 34, finding 5 and item 5: every long-lived workflow is bounded as a case is. Each test floods one as
 * the attacker would (an operator's use reports, a filer's findings, a lab's attestations, the chair's status
 * changes and a lab's cases, operations staff's closures and lapses), then shows that every party still
 * reads it (200, a bounded body) and acts on it, and that the lab was told a bounded number of times.
 *
 * FLOOD_REQUESTS sets the size of each flood: 40 in the suite, 600 with `npm run flood` (the issue's). The
 * notes' and reasons' sizes are seeded: FLOOD_SEED, else the run's TEST_SEED, else 34.
 */
const REQUESTS = Number(process.env.FLOOD_REQUESTS ?? 40);
const SEED = Number(process.env.FLOOD_SEED ?? process.env.TEST_SEED ?? 34);
/** The most a flooded record's view may weigh: well under what Temporal carries (2 MiB), whatever the flood. */
const VIEW_BYTES = 64 * 1024;
/** How many requests an attacker keeps in flight at once. */
const IN_FLIGHT = 8;

const text = (random: () => number, min: number, max: number): string =>
  'x'.repeat(min + Math.floor(random() * (max - min + 1)));

/** Sends every request, `IN_FLIGHT` at a time, and answers the responses in order. */
async function flood(requests: (() => Promise<Response>)[]): Promise<Response[]> {
  const out: Response[] = [];
  for (let i = 0; i < requests.length; i += IN_FLIGHT) {
    out.push(...(await Promise.all(requests.slice(i, i + IN_FLIGHT).map((r) => r()))));
  }
  return out;
}

/**
 * The responses by status; every one is among `allowed` or a 503 TEMPORAL_UNAVAILABLE (never a 500), and each
 * refusal names its code. Under a flood the dev server now and then loses a query (the read before a message:
 * "query task not found, or already expired"), which the gateway answers 503, retry later.
 */
function tally(responses: Response[], allowed: Record<number, string | undefined>): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) {
    assert.ok(res.status === 503 || res.status in allowed, `unexpected ${res.status}: ${res.text}`);
    const code = res.status === 503 ? 'TEMPORAL_UNAVAILABLE' : allowed[res.status];
    if (code !== undefined) assertProblem(res, res.status, code);
    counts[res.status] = (counts[res.status] ?? 0) + 1;
  }
  return counts;
}

/**
 * The counts are `expected`; when some requests were answered 503 (each may or may not have been applied),
 * each other count is at most what was expected, and the record's own state is what the test then checks.
 */
function assertCounts(counts: Record<number, number>, expected: Partial<Record<number, number>>): void {
  const { 503: unavailable = 0, ...answered } = counts;
  if (unavailable === 0) return assert.deepEqual(answered, expected);
  for (const [status, n] of Object.entries(answered)) {
    assert.ok(n <= (expected[Number(status)] ?? 0), `${n} answered ${status}: ${JSON.stringify(counts)}`);
  }
}

/** A read that answers 200 with a body under VIEW_BYTES. */
function bounded(res: Response): Response {
  assert.equal(res.status, 200, res.text);
  assert.ok(Buffer.byteLength(res.text) < VIEW_BYTES, `${Buffer.byteLength(res.text)} bytes`);
  return res;
}

describe('gateway: floods of the long-lived workflows (issue 34, item 5)', function () {
  this.timeout(Math.max(240_000, REQUESTS * 2_000));

  it('an operator reporting use in a loop with long notes: 10 a day are taken, the grant still answers every party, the lab revokes it, and the lab heard a bounded number of times', async () => {
    await withGateway(async (gw) => {
      const { lab, CISA, chair, ops, operator } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await determinedNoConcerns(gw, id);
      const nominated = await gw.call(CISA, 'POST', `/v1/submissions/${id}/early-access`, {
        operatorId: operatorOf(operator),
        reason: 'Regional grid operator.',
      });
      assert.equal(nominated.status, 200, nominated.text);
      const at = (action = '') => `/v1/grants/${id.replace(':', '~')}~${operatorOf(operator)}${action}`;
      await eventually(
        () => gw.call(lab, 'GET', at()),
        (r) => r.status === 200,
        'the grant started',
      );
      ok(await gw.call(lab, 'POST', at('/approval'), {}), GrantReceiptView);

      // Notes up to 3 KB, as the issue's: those over the policy's 1,000 characters are refused on their own.
      const random = seededRandom(SEED);
      const notes = Array.from({ length: REQUESTS }, () =>
        random() < 0.7 ? text(random, 200, 1_000) : text(random, 1_001, 3_000),
      );
      const responses = await flood(
        notes.map((note) => () => gw.call(operator, 'POST', at('/uses'), { note })),
      );
      const counts = tally(responses, {
        200: undefined,
        400: 'VALIDATION_FAILED',
        422: 'MESSAGE_BUDGET_EXHAUSTED',
      });
      const short = notes.filter((n) => n.length <= BOUNDS_V7.grants.noteChars).length;
      const expected = Math.min(short, BOUNDS_V7.grants.usesPerPeriod);
      assertCounts(counts, {
        200: expected,
        ...(notes.length > short ? { 400: notes.length - short } : {}),
        ...(short > expected ? { 422: short - expected } : {}),
      });

      // Every party reads it, bounded; the count is whole, and within the day's budget.
      const taken = GrantView.parse(bounded(await gw.call(operator, 'GET', at())).body).uses;
      assert.ok(taken <= BOUNDS_V7.grants.usesPerPeriod && taken >= (counts[200] ?? 0), `${taken} uses`);
      for (const reader of [operator, lab, CISA, chair, ops]) {
        const view = GrantView.parse(bounded(await gw.call(reader, 'GET', at())).body);
        assert.equal(view.uses, taken);
        assert.equal(view.timeline.filter((e) => e.type === 'GRANT_USE_REPORTED').length, taken);
      }
      // And acts on it: the lab revokes.
      const revoked = ok(
        await gw.call(lab, 'POST', at('/revocation'), { reason: 'Too many reports.' }),
        GrantReceiptView,
      );
      assert.equal(revoked.state, 'ENDED');
      const told = await eventually(
        async () => testServers().labReceiver.grantEventsFor(submissionIdOfCase(id)),
        (events) => events.some((e) => e.type === 'GRANT_REVOKED'),
        'the lab told of the revocation',
      );
      // Nominated, approved, the uses taken, revoked: nothing of what was refused.
      assert.equal(told.length, taken + 3);
    });
  });

  it('a filer filing findings about one case in a loop: 20 are filed, the rest refused with nothing started; the lab and the clearinghouse still read and act', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, TREASURY, ops } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(filingQuotaWorkflowId(gw.taskQueue, NSA)));
      const random = seededRandom(SEED + 1);
      const filing = () => ({
        caseId: id,
        title: 'Model drafts a working exploit',
        description: text(random, 200, 4_000),
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        tlp: 'AMBER',
      });
      const bodies = Array.from({ length: REQUESTS }, filing);
      const responses = await flood(bodies.map((body) => () => gw.call(NSA, 'POST', '/v1/findings', body)));
      const perSubject = BOUNDS_V7.findings.perSubject;
      assertCounts(tally(responses, { 201: undefined, 422: 'MESSAGE_BUDGET_EXHAUSTED' }), {
        201: Math.min(REQUESTS, perSubject),
        ...(REQUESTS > perSubject ? { 422: REQUESTS - perSubject } : {}),
      });
      const filed = responses
        .filter((r) => r.status === 201)
        .map((r) => FindingFiled.parse(r.body).findingId);
      const quota = await gw.client.workflow
        .getHandle(filingQuotaWorkflowId(gw.taskQueue, NSA))
        .query(filingQuotaQuery);
      assert.ok(quota.slots.length <= perSubject, `${quota.slots.length} slots taken`);
      // Two of them are ended and replayed with the test's worker; the others are ended here.
      const [first, second, ...rest] = filed;
      for (const f of [first, second])
        trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(f)));

      try {
        // The lab lists them (visibility lags) and reads one; the clearinghouse validates one.
        await eventually(
          async () =>
            ok(await gw.call(lab, 'GET', `/v1/findings?caseId=${id}&pageSize=100`), FindingListPage),
          (p) => p.items.length === filed.length,
          'the lab lists the findings filed',
        );
        bounded(await gw.call(lab, 'GET', `/v1/findings/${first}`));
        ok(await gw.call(TREASURY, 'POST', `/v1/findings/${first}/validation`, {}), FindingReceiptView);
        // The filer itself still files about another subject; a retry of a filing counted is answered again.
        const elsewhere = await gw.call(NSA, 'POST', '/v1/findings', {
          ...filing(),
          caseId: undefined,
          labId,
        });
        assert.equal(elsewhere.status, 201, elsewhere.text);
        const other = FindingFiled.parse(elsewhere.body).findingId;
        await gw.client.workflow.getHandle(findingWorkflowId(other)).terminate('the flood test ended');
      } finally {
        for (const f of rest)
          await gw.client.workflow.getHandle(findingWorkflowId(f)).terminate('the flood test ended');
      }
    });
  });

  it('a lab attesting a commitment in a loop: one attestation is taken, the owner still answers, the lab heard a bounded number of times', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, ops } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const [commitment] = await determinedWithCommitments(gw, id, ['Keep the refusal layer enabled']);
      const at = (action = '') => `/v1/commitments/${commitment}${action}`;
      const random = seededRandom(SEED + 2);
      const statements = Array.from({ length: REQUESTS }, () => text(random, 200, 4_000));
      const responses = await flood(
        statements.map((statement) => () => gw.call(lab, 'POST', at('/attestation'), { statement })),
      );
      // The states take one attestation; policy version 7's budget holds the same line.
      assertCounts(tally(responses, { 200: undefined, 409: 'COMMITMENT_WRONG_STATE' }), {
        200: 1,
        ...(REQUESTS > 1 ? { 409: REQUESTS - 1 } : {}),
      });
      for (const reader of [lab, NSA, ops]) {
        const view = CommitmentView.parse(bounded(await gw.call(reader, 'GET', at())).body);
        assert.deepEqual(
          view.timeline.map((e) => e.type),
          ['COMMITMENT_OPENED', 'COMMITMENT_ATTESTED'],
        );
      }
      const kept = ok(await gw.call(NSA, 'POST', at('/confirmation'), {}), CommitmentReceiptView);
      assert.equal(kept.state, 'CONFIRMED');
      assert.equal(CommitmentView.parse(bounded(await gw.call(lab, 'GET', at())).body).timeline.length, 3);
      const told = await eventually(
        async () => testServers().labReceiver.commitmentEventsFor(submissionIdOfCase(id)),
        (events) => events.some((e) => e.type === 'COMMITMENT_CONFIRMED'),
        'the lab told of the confirmation',
      );
      assert.equal(told.length, 3, 'opened, attested, confirmed');
    });
  });

  it("the chair toggling a lab's status and the lab's cases reporting in a loop: 4 changes are taken, the record still answers every party, bounded, and the lab heard 4 times", async () => {
    await withGateway(async (gw) => {
      const { lab, chair, ops } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await untilLabRecord(gw, id);
      const random = seededRandom(SEED + 3);
      // In turn, as the status answers: a designation while a participant, a revocation while a partner.
      const responses: Response[] = [];
      let status = 'PARTICIPANT';
      for (let i = 0; i < REQUESTS; i += 1) {
        const reason = random() < 0.8 ? text(random, 200, 1_000) : text(random, 1_001, 4_000);
        const action = status === 'PARTICIPANT' ? 'designation' : 'revocation';
        const res = await gw.call(chair, 'POST', `/v1/labs/${labId}/${action}`, { reason });
        if (res.status === 200) status = LabReceiptView.parse(res.body).status;
        // Read again when the answer was "retry later": the change may have been made.
        if (res.status === 503) {
          status = LabView.parse(bounded(await gw.call(chair, 'GET', `/v1/labs/${labId}`)).body).status;
        }
        responses.push(res);
      }
      const counts = tally(responses, {
        200: undefined,
        400: 'VALIDATION_FAILED',
        422: 'MESSAGE_BUDGET_EXHAUSTED',
      });
      const changes = BOUNDS_V7.labs.statusChanges;
      if (counts[503] === undefined) assert.equal(counts[200], changes);

      // Its cases report in a loop too (each accepted case is a fact): the view shows the latest 50, counted.
      const facts = REQUESTS + BOUNDS_V7.labs.shown;
      for (let i = 0; i < facts; i += 1) {
        await gw.client.workflow.signalWithStart(LAB_WORKFLOW_TYPE, {
          workflowId: labWorkflowId(gw.taskQueue, labId),
          taskQueue: gw.taskQueue,
          args: [{ labId }],
          signal: labFactSignal,
          signalArgs: [
            {
              kind: 'CASE_ACCEPTED',
              caseId: `${labId}:flood-${i}`,
              submissionId: `flood-${i}`,
              at: new Date().toISOString(),
              policy: { id: 'draft-2026-90d', version: 7 },
              status: 'PARTICIPANT',
            },
          ],
        });
      }
      const record = await eventually(
        async () => LabView.parse(bounded(await gw.call(ops, 'GET', `/v1/labs/${labId}`)).body),
        (v) => v.cases.some((c) => c.caseId === `${labId}:flood-${facts - 1}`),
        'the record holding the last case',
      );
      assert.equal(record.cases.length, BOUNDS_V7.labs.shown);
      assert.equal(record.omitted.cases, facts + 1 - BOUNDS_V7.labs.shown);
      assert.equal(record.statusHistory.length, changes);
      for (const reader of [lab, chair]) bounded(await gw.call(reader, 'GET', `/v1/labs/${labId}`));
      // The lab acts: it withdraws its case, and the record hears of it.
      const withdrawn = await gw.call(lab, 'POST', `/v1/submissions/${id}/withdrawal`, {
        reason: 'Refiling.',
      });
      assert.equal(withdrawn.status, 200, withdrawn.text);
      await eventually(
        async () => LabView.parse(bounded(await gw.call(lab, 'GET', `/v1/labs/${labId}`)).body),
        (v) => v.timeline.some((e) => e.type === 'CASE_CLOSED' && e.subject === id),
        'the record told of the withdrawal',
      );
      const told = await eventually(
        async () => testServers().labReceiver.labEventsFor(id),
        (events) => events.length >= changes,
        'the lab told of each change',
      );
      assert.equal(told.length, changes);
    });
  });

  it('operations staff declaring closures and re-sending a lapse in a loop: 10 closures and 20 re-sends are taken, the state still answers, the lapse still ends, and a new case is still accepted', async () => {
    await withGateway(
      async (gw) => {
        const { ops } = gw.parties;
        const random = seededRandom(SEED + 4);
        const today = Date.now();
        const dates = (i: number) =>
          Array.from({ length: 31 }, (_, d) =>
            new Date(today + (40 + i * 31 + d) * 86_400_000).toISOString().slice(0, 10),
          );
        const closures = await flood(
          Array.from(
            { length: REQUESTS },
            (_, i) => () =>
              gw.call(ops, 'POST', '/v1/ops/closures', {
                closureId: `flood-${i}`,
                dates: dates(i),
                reason: text(random, 200, 2_000),
              }),
          ),
        );
        const allowed = BOUNDS_V7.government.closures;
        assertCounts(tally(closures, { 200: undefined, 422: 'MESSAGE_BUDGET_EXHAUSTED' }), {
          200: Math.min(REQUESTS, allowed),
          ...(REQUESTS > allowed ? { 422: REQUESTS - allowed } : {}),
        });

        // A lapse, then the same lapse again and again: with no case open, each re-send reaches none.
        const lapse = { lapseId: 'flood-lapse', reason: 'Appropriations lapsed.' };
        assert.equal((await gw.call(ops, 'POST', '/v1/ops/funding-lapses', lapse)).status, 200);
        const resends: Response[] = [];
        for (let i = 0; i < REQUESTS; i += 1)
          resends.push(await gw.call(ops, 'POST', '/v1/ops/funding-lapses', lapse));
        const resent = BOUNDS_V7.government.resends;
        assertCounts(tally(resends, { 409: 'FUNDING_LAPSE_ACTIVE', 422: 'MESSAGE_BUDGET_EXHAUSTED' }), {
          409: Math.min(REQUESTS, resent),
          ...(REQUESTS > resent ? { 422: REQUESTS - resent } : {}),
        });

        const state = GovernmentView.parse(bounded(await gw.call(ops, 'GET', '/v1/ops/government')).body);
        const declared = closures.filter((r) => r.status === 200).length;
        assert.ok(
          state.closures.length <= allowed && state.closures.length >= declared,
          `${state.closures.length}`,
        );
        // Operations staff still end the lapse, and a lab's new case is still accepted.
        const ended = await gw.call(ops, 'POST', `/v1/ops/funding-lapses/${lapse.lapseId}/resume`);
        assert.equal(ended.status, 200, ended.text);
        const id = await file(gw);
        await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      },
      { visibilitySettleMs: 50 },
    );
  });
});
