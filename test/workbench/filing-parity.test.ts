import assert from 'node:assert/strict';
import { Problem } from '../../shared/api/problem';
import { FILING } from '../../workbench/filing';
import { washingtonLocal, type FormValues } from '../../workbench/form-values';
import { problemsOf, refusalOf } from '../../workbench/pages/acts';
import { withGateway } from '../gateway/support';
import { labReceiverUrl } from '../setup/servers';

const DAY_MS = 86_400_000;

/**
 * Issue 38: the portal's filing form and the API accept and refuse the same filings, each refusal beside the same
 * field. Every bad filing here is written as the form's fields; through the form it is refused before it is sent
 * (the API's own schema) or, for what the schema cannot state, by the API when sent; through the API it is
 * refused (4xx: nothing filed) with the code and the field the form shows. The good filing is filed.
 */
describe('the portal’s filing form and the API refuse the same filings, beside the same field (issue 38)', () => {
  it('refuses each bad filing through both, at one field, and files the good one through both', async () => {
    await withGateway(async (gw) => {
      const good = (): FormValues => ({
        modelName: 'Frontier-3',
        modelVersion: '3.0',
        trainingComputeFlop: '3e26',
        accessKind: 'API',
        accessDetails: 'gated endpoint with evaluator keys',
        callbackUrl: labReceiverUrl(),
        plannedReleaseDate: washingtonLocal(Date.now() + 200 * DAY_MS),
      });
      // [what, the fields typed, the field refused, whether the schema states it (else the API alone judges)]
      const bad: [string, FormValues, string, boolean][] = [
        ['no model name', { modelName: '' }, 'modelName', true],
        ['a model name of 201 characters', { modelName: 'x'.repeat(201) }, 'modelName', true],
        ['a version of 101 characters', { modelVersion: 'v'.repeat(101) }, 'modelVersion', true],
        ['compute that is not a number', { trainingComputeFlop: 'lots' }, 'trainingComputeFlop', true],
        ['negative compute', { trainingComputeFlop: '-1' }, 'trainingComputeFlop', true],
        ['an access kind not offered', { accessKind: 'EMAIL' }, 'accessKind', true],
        ['access details without their kind', { accessKind: '' }, 'accessKind', true],
        ['access details of 2001 characters', { accessDetails: 'd'.repeat(2001) }, 'accessDetails', true],
        ['a callback endpoint that is not a URL', { callbackUrl: 'not a url' }, 'callbackUrl', true],
        ['a release that is not a date', { plannedReleaseDate: 'next spring' }, 'plannedReleaseDate', true],
        [
          'a release on a day that does not exist',
          { plannedReleaseDate: '2031-02-30T10:00' },
          'plannedReleaseDate',
          true,
        ],
        [
          'a release already past',
          { plannedReleaseDate: washingtonLocal(Date.now() - DAY_MS) },
          'plannedReleaseDate',
          false,
        ],
        [
          'a previous submission that is no id',
          { previousSubmissionId: 'has space' },
          'previousSubmissionId',
          true,
        ],
        [
          'a previous submission never filed',
          { previousSubmissionId: 'never-filed' },
          'previousSubmissionId',
          false,
        ],
      ];
      for (const [what, typed, field, stated] of bad) {
        const body = FILING.body({ ...good(), ...typed });
        const form = problemsOf(FILING, body);
        assert.deepEqual(Object.keys(form), stated ? [field] : [], `${what}: the form, before sending`);
        const res = await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body);
        assert.ok(res.status >= 400 && res.status < 500, `${what}: the API answered ${res.status}`);
        const problem = Problem.parse(res.body);
        if (stated) assert.equal(problem.code, 'VALIDATION_FAILED', what);
        assert.deepEqual(
          Object.keys(refusalOf(FILING, problem)),
          [field],
          `${what}: the API (${problem.code})`,
        );
      }
      const body = FILING.body(good());
      assert.deepEqual(problemsOf(FILING, body), {});
      assert.equal((await gw.call(gw.parties.lab, 'POST', '/v1/submissions', body)).status, 201);
    });
  });
});
