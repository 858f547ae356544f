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
        labStanding: () => Promise.resolve({ status: 'PARTICIPANT' }),
      });
      const found = await checks.intakeChecks({ submission: filing, government: true, designation });
      assert.equal(found.kind, 'SCREENED');
      assert.equal(read, reads);
    });
  }
});

describe("intake's checks under rules 5: the lab's status chooses the policy (issue 14, part 3)", () => {
  const checksFor = (status: 'PARTICIPANT' | 'TRUSTED_PARTNER') => {
    const asked: string[] = [];
    const checks = createIntakeChecks({
      policies: new PolicyRegistry(),
      checkUrl: () => Promise.resolve(undefined),
      governmentNow: () => Promise.resolve({ lapses: [], closures: [] }),
      labStanding: (labId) => (
        asked.push(labId),
        Promise.resolve({ status, since: '2027-01-04T15:00:00.000Z' })
      ),
    });
    return { checks, asked };
  };

  it("puts a trusted partner's filing under the preset the policy in force names, and waives the designation", async () => {
    const { checks, asked } = checksFor('TRUSTED_PARTNER');
    const found = await checks.intakeChecks({
      submission: filing,
      government: true,
      designation: true,
      standing: true,
    });
    assert.equal(found.kind, 'SCREENED');
    assert.deepEqual(asked, [filing.labId]);
    assert.equal(found.policy.id, 'eo-2026-30d');
    assert.equal(found.policy.version, 8);
    assert.equal(found.kind === 'SCREENED' && found.designationWaived, true);
    assert.equal(found.standing?.status, 'TRUSTED_PARTNER');
    // Accepted now: the government's state is read with it.
    assert.ok(found.kind === 'SCREENED' && found.government !== undefined);
  });

  it("keeps a participant's filing under the policy in force, waiting for the designation", async () => {
    const { checks } = checksFor('PARTICIPANT');
    const found = await checks.intakeChecks({
      submission: filing,
      government: true,
      designation: true,
      standing: true,
    });
    assert.equal(found.policy.id, filing.policyId);
    assert.equal(found.kind === 'SCREENED' && found.designationWaived, undefined);
    assert.equal(found.kind === 'SCREENED' && found.government, undefined);
  });

  it('pins the status read at acceptance with the policy it chose', async () => {
    const { checks } = checksFor('TRUSTED_PARTNER');
    const facts = await checks.acceptanceFacts({ policyId: filing.policyId, labId: filing.labId });
    assert.equal(facts.policy.id, 'eo-2026-30d');
    assert.deepEqual(facts.standing, { status: 'TRUSTED_PARTNER', since: '2027-01-04T15:00:00.000Z' });
  });
});
