import assert from 'node:assert/strict';
import { createIntakeChecks } from '../../activities/intake';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { Submission } from '../../shared/domain/submission';

const filing = Submission.parse({
  submissionId: 'sub-1',
  labId: 'acme',
  model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
  access: { kind: 'API', details: 'gated endpoint' },
  callbackUrl: 'https://callbacks.acme.example/hook',
  plannedReleaseDate: '2028-12-31T00:00:00.000Z',
});

describe("intake's checks: the government's state is read for an acceptance now, not before a designation", () => {
  for (const [designation, reads] of [
    [undefined, 1],
    [true, 0],
  ] as const) {
    it(`${designation ? 'a rules-3 case waiting for NSA' : 'a case accepted at intake'} reads it ${reads} time(s)`, async () => {
      let read = 0;
      const checks = createIntakeChecks({
        policies: new PolicyRegistry(),
        checkUrl: () => Promise.resolve(undefined),
        governmentNow: () => ((read += 1), Promise.resolve({ lapses: [], closures: [] })),
      });
      const found = await checks.intakeChecks({ submission: filing, government: true, designation });
      assert.equal(found.kind, 'SCREENED');
      assert.equal(read, reads);
    });
  }
});
