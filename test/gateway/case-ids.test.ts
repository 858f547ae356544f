import assert from 'node:assert/strict';
import { AnyCaseView, SubmissionCreated } from '../../shared/api/responses';
import { labOf } from '../../shared/domain/principal';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../../shared/domain/review/workflow';
import { SA } from '../../shared/domain/search-attributes';
import { Submission } from '../../shared/domain/submission';
import { trackWorkflow } from '../helpers/workers';
import {
  assertProblem,
  eventually,
  filing,
  ok,
  read,
  readGov,
  untilStage,
  withGateway,
  type Gateway,
} from './support';

const create = async (gw: Gateway, as: string, body: Record<string, unknown>) =>
  ok(await gw.call(as, 'POST', '/v1/submissions', body), SubmissionCreated, 201);

/** A case as release 1 started it: the workflow id is the submission id alone, the lab in the memo. */
async function releaseOneCase(gw: Gateway, submissionId: string): Promise<void> {
  const labId = labOf(gw.parties.lab)!;
  const handle = await gw.client.workflow.start(REVIEW_WORKFLOW_TYPE, {
    taskQueue: gw.taskQueue,
    workflowId: reviewWorkflowId(submissionId),
    args: [{ submission: Submission.parse({ ...filing(), submissionId, labId }) }],
    memo: { labId },
    typedSearchAttributes: [{ key: SA.lab, value: labId }],
  });
  trackWorkflow(gw.taskQueue, handle);
}

describe('gateway: submission ids are each lab’s own', () => {
  it('lets two labs file under the same id, each reaching only its own case', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, chair } = gw.parties;
      const filed = filing({ submissionId: 'frontier-2-rc1' });
      const mine = await create(gw, lab, filed);
      const theirs = await create(gw, otherLab, {
        ...filed,
        model: { name: 'Other-Model', version: '7', trainingComputeFlop: 2e26 },
      });
      assert.equal(mine.created && theirs.created, true);
      assert.equal(mine.caseId, `${labOf(lab)}:frontier-2-rc1`);
      assert.equal(theirs.caseId, `${labOf(otherLab)}:frontier-2-rc1`);

      // Each lab's own id names its own case.
      assert.equal((await read(gw, lab, 'frontier-2-rc1')).model.name, 'Frontier-1');
      assert.equal((await read(gw, otherLab, 'frontier-2-rc1')).model.name, 'Other-Model');
      // Another lab's case id is "not found", to read or to act on.
      assertProblem(await gw.call(lab, 'GET', `/v1/submissions/${theirs.caseId}`), 404, 'CASE_NOT_FOUND');
      assertProblem(
        await gw.call(lab, 'POST', `/v1/submissions/${theirs.caseId}/withdrawal`, { reason: 'mine now' }),
        404,
        'CASE_NOT_FOUND',
      );
      // The government names each by its case id; the bare id names two cases, so it is refused once visible.
      assert.equal((await readGov(gw, chair, theirs.caseId)).labId, labOf(otherLab));
      await eventually(
        () => gw.call(chair, 'GET', '/v1/submissions/frontier-2-rc1'),
        (res) => res.status === 409,
        'the shared id to be listed twice',
      ).then((res) => assertProblem(res, 409, 'CASE_ID_AMBIGUOUS'));
      // A lab's own filing under its own id is still one case: a retry finds it, a change is refused.
      const retry = ok(await gw.call(lab, 'POST', '/v1/submissions', filed), SubmissionCreated);
      assert.deepEqual(retry, { ...mine, created: false });
      assertProblem(
        await gw.call(
          lab,
          'POST',
          '/v1/submissions',
          filing({ submissionId: 'frontier-2-rc1', callbackUrl: 'https://x.example/cb' }),
        ),
        409,
        'SUBMISSION_ID_TAKEN',
      );
    });
  });

  it('lets the government name a case by its submission id when only one lab used it', async () => {
    await withGateway(async (gw) => {
      const { lab, chair, NSA } = gw.parties;
      const { caseId } = await create(gw, lab, filing({ submissionId: 'only-one' }));
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', lab);
      const view = await eventually(
        () => gw.call(chair, 'GET', '/v1/submissions/only-one'),
        (res) => res.status === 200,
        'the id to be listed',
      );
      assert.equal(AnyCaseView.parse(view.body).caseId, caseId);
      // An agency not on the case's roster gets "not found" by either name.
      assertProblem(await gw.call(gw.parties.FBI, 'GET', '/v1/submissions/only-one'), 404, 'CASE_NOT_FOUND');
      assert.equal((await readGov(gw, NSA, caseId)).caseId, caseId);
      assertProblem(await gw.call(chair, 'GET', '/v1/submissions/nobody-filed-this'), 404, 'CASE_NOT_FOUND');
    });
  });

  it('keeps release-1 cases reachable by their submission id, for their lab and the government only', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, chair } = gw.parties;
      await releaseOneCase(gw, 'release-one-case');
      const own = await untilStage(gw, 'release-one-case', 'NATIONAL_SECURITY', lab);
      assert.equal(own.caseId, 'release-one-case');
      assert.equal((await readGov(gw, chair, 'release-one-case')).caseId, 'release-one-case');
      assertProblem(
        await gw.call(otherLab, 'GET', '/v1/submissions/release-one-case'),
        404,
        'CASE_NOT_FOUND',
      );
      // Its lab cannot file a second case under that id; another lab may, as its own.
      assertProblem(
        await gw.call(
          lab,
          'POST',
          '/v1/submissions',
          filing({ submissionId: 'release-one-case', callbackUrl: 'https://x.example/cb' }),
        ),
        409,
        'SUBMISSION_ID_TAKEN',
      );
      const theirs = await create(gw, otherLab, filing({ submissionId: 'release-one-case' }));
      assert.equal(theirs.caseId, `${labOf(otherLab)}:release-one-case`);
      assert.equal((await read(gw, lab, 'release-one-case')).caseId, 'release-one-case');
    });
  });
});
