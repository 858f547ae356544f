import assert from 'node:assert/strict';
import { Receipt } from '../../shared/api/responses';
import {
  allListed,
  assertProblem,
  decision,
  eventually,
  file,
  filing,
  ok,
  read,
  readGov,
  untilLabListed,
  untilStage,
  withGateway,
} from './support';
import { testServers } from '../setup/servers';
import { submissionIdOfCase } from '../../shared/domain/review/workflow';

describe('gateway: the life of a case, driven only through the API', () => {
  it('takes a filing through both review stages to the determination and the pre-release window, then the release', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CISA, DOW, CAISI, DOE, TREASURY, chair, ops } = gw.parties;
      const id = await file(gw);
      const accepted = await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      assert.deepEqual(accepted.policy, { id: 'draft-2026-90d', version: 8 });
      const at = (path: string) => `/v1/submissions/${id}${path}`;

      // NSA asks a question and the lab answers it; NSA extends its deadline, then decides with a restricted note.
      ok(
        await gw.call(NSA, 'POST', at('/information-requests'), { questions: ['Which evals ran?'] }),
        Receipt,
      );
      const [request] = (await read(gw, lab, id)).informationRequests;
      assert.deepEqual(request.questions, ['Which evals ran?']);
      const answer = { answer: 'The full cyber suite.' };
      ok(await gw.call(lab, 'POST', at(`/information-requests/${request.id}/answer`), answer), Receipt);
      ok(await gw.call(NSA, 'POST', at('/extensions'), { days: 5, reason: 'more red-teaming' }), Receipt);
      const note = { restrictedNote: 'classified: exploit chain observed' };
      ok(await gw.call(NSA, 'POST', at('/decisions'), decision('CONCERNS_MITIGATED', note)), Receipt);
      for (const agency of [CISA, DOW]) {
        ok(await gw.call(agency, 'POST', at('/decisions'), decision('NO_CONCERNS')), Receipt);
      }

      await untilStage(gw, id, 'CIVILIAN', ops);
      for (const agency of [CAISI, DOE, TREASURY]) {
        ok(await gw.call(agency, 'POST', at('/decisions'), decision('NO_CONCERNS')), Receipt);
      }

      const determined = await untilStage(gw, id, 'PRE_RELEASE', chair);
      assert.equal(determined.determination?.outcome, 'PROCEED_WITH_COMMITMENTS');
      assert.deepEqual(determined.determination.commitments, ['keep the mitigation']);
      assert.equal(determined.determination.by, 'RULE');

      // Each role's view of the same determined case.
      const nsaNote = async (as: string) =>
        (await readGov(gw, as, id)).agencies.find((a) => a.agency === 'NSA')!.decision!;
      assert.equal((await nsaNote(chair)).restrictedNote, note.restrictedNote);
      assert.equal((await nsaNote(DOW)).restrictedNote, note.restrictedNote);
      for (const withheld of [ops, CAISI]) {
        const res = await gw.call(withheld, 'GET', at(''));
        assert.ok(!res.text.includes('classified'), `${withheld} never reads a national-security note`);
        assert.equal((await nsaNote(withheld)).restrictedNoteWithheld, true);
      }
      // Nor does it in any status callback the lab received.
      await eventually(
        () => read(gw, lab, id),
        (v) => v.callbacks.pending === 0,
        'callbacks delivered',
      );
      const delivered = testServers().labReceiver.eventsFor(id);
      assert.deepEqual(
        delivered.map((e) => e.type),
        (await readGov(gw, chair, id)).timeline
          .filter((e) => !['DECISION_RECORDED', 'NO_RESPONSE', 'CALLBACKS_REDELIVERED'].includes(e.type))
          .map((e) => e.type),
      );
      assert.ok(!JSON.stringify(delivered).includes('classified'), 'no callback carries a restricted note');
      assert.ok(!JSON.stringify(delivered).includes('red-teaming'), "no callback carries an agency's reason");
      const labRes = await gw.call(lab, 'GET', at(''));
      assert.ok(!labRes.text.includes('classified'), 'the lab never reads a restricted note');
      assert.ok(!labRes.text.includes('red-teaming'), "the lab never reads an agency's internal reason");
      const labView = await read(gw, lab, id);
      assert.equal(labView.view, 'lab');
      assert.equal(labView.stage, 'PRE_RELEASE');
      assert.ok(!labView.timeline.some((e) => e.type === 'DECISION_RECORDED'));

      // The lab lists it, then reports its release: the case closes as an early release.
      const listed = await untilLabListed(gw, (p) =>
        p.items.some((c) => c.caseId === id && c.stage === 'PRE_RELEASE'),
      );
      assert.deepEqual(
        listed.items.map((c) => c.caseId),
        [id],
      );
      ok(await gw.call(lab, 'POST', at('/release'), {}), Receipt);
      const closed = await untilStage(gw, id, 'CLOSED', lab);
      assert.equal(closed.closedReason, 'RELEASED');
      assert.deepEqual(closed.flags, ['EARLY_RELEASE']);
    });
  });

  it('lets the chair find an escalated case and resolve it with the determination', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CISA, DOW, CAISI, DOE, TREASURY, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const decide = async (as: string, kind: string) =>
        ok(await gw.call(as, 'POST', `/v1/submissions/${id}/decisions`, decision(kind)), Receipt);
      await decide(NSA, 'CONCERNS_UNRESOLVED');
      for (const a of [CISA, DOW]) await decide(a, 'NO_CONCERNS');
      await untilStage(gw, id, 'CIVILIAN', chair);
      for (const a of [CAISI, DOE, TREASURY]) await decide(a, 'NO_CONCERNS');
      const escalated = await readGov(
        gw,
        chair,
        (await untilStage(gw, id, 'DETERMINATION', chair)).submissionId,
      );
      assert.deepEqual(escalated.escalation?.unresolvedAgencies, ['NSA']);
      const labView = await read(gw, lab, id);
      assert.deepEqual(Object.keys(labView.escalation ?? {}), ['at'], 'the lab learns the fact only');

      await eventually(
        async () => (await allListed(gw, chair, '/v1/chair/escalations')).includes(id),
        (x) => x,
        'the escalation in the chair list',
      );
      const resolution = {
        outcome: 'PROCEED_WITH_COMMITMENTS',
        rationale: 'NSA concerns addressed by commitments',
        commitments: ['staged rollout'],
      };
      ok(await gw.call(chair, 'POST', `/v1/submissions/${id}/escalation/resolution`, resolution), Receipt);
      const determined = await untilStage(gw, id, 'PRE_RELEASE', lab);
      assert.equal(determined.determination?.by, 'CHAIR');
      assert.deepEqual(determined.determination.commitments, ['staged rollout']);
    });
  });

  it('lists a case for each agency it awaits, until that agency decides', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CAISI } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const awaits = async (as: string) => (await allListed(gw, as, '/v1/agency/cases')).includes(id);
      await eventually(
        () => awaits(NSA),
        (x) => x,
        'the case awaiting NSA',
      );
      assert.equal(await awaits(CAISI), false, 'not before the civilian stage opens');
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')), Receipt);
      await eventually(
        () => awaits(NSA),
        (x) => !x,
        'the case no longer awaiting NSA',
      );
    });
  });

  it('links a resubmission to the lab’s withdrawn case, and only to one of its own', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab } = gw.parties;
      const first = await file(gw);
      await untilStage(gw, first, 'NATIONAL_SECURITY', lab);
      ok(
        await gw.call(lab, 'POST', `/v1/submissions/${first}/withdrawal`, { reason: 'retraining' }),
        Receipt,
      );
      assert.equal((await untilStage(gw, first, 'CLOSED', lab)).closedReason, 'WITHDRAWN');

      const second = await file(gw, { previousSubmissionId: submissionIdOfCase(first) });
      const resubmitted = await untilStage(gw, second, 'NATIONAL_SECURITY', lab);
      assert.equal(resubmitted.previousSubmissionId, submissionIdOfCase(first));
      const foreign = await gw.call(
        otherLab,
        'POST',
        '/v1/submissions',
        filing({ previousSubmissionId: submissionIdOfCase(first) }),
      );
      assert.equal(
        assertProblem(foreign, 422, 'PREVIOUS_SUBMISSION_UNKNOWN').issues?.[0].path,
        '/previousSubmissionId',
      );
    });
  });
});
