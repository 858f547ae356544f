import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy-presets';
import { grantFiling } from '../../../../shared/domain/review/grants';
import { accept, openCase } from '../../../../shared/domain/review/intake';
import { MESSAGES } from '../../../../shared/domain/review/messages';
import type { CaseState } from '../../../../shared/domain/review/state';
import { Submission } from '../../../../shared/domain/submission';
import { day, filing, refuses, send } from './cases';

/** Rules 6 (issue 14, part 4): who may nominate an operator for early access, and when. */
describe('a case nominating operators for early access (rules 6)', () => {
  function determined(kinds: Record<string, string> = {}, rules: 5 | 6 = 6): CaseState {
    const c = openCase(Submission.parse(filing()), day(0), rules);
    accept(c, DEFAULT_POLICY, { covered: true, reason: 'covered' }, day(0));
    const decide = (agency: string, at: number) =>
      send(MESSAGES.recordDecision, c, day(at), {
        actor: `agency:${agency}`,
        decision: { kind: kinds[agency] ?? 'NO_CONCERNS', summary: 'x' },
      });
    for (const a of ['NSA', 'CISA', 'DOW']) decide(a, 1);
    for (const a of ['CAISI', 'DOE', 'TREASURY']) decide(a, 2);
    return c;
  }
  const nominate = { actor: 'agency:CISA', operatorId: 'grid-east', reason: 'grid operator' };

  it('takes CISA’s nomination in PRE_RELEASE and hands the grant the model’s unclassified summary', () => {
    const c = determined();
    assert.equal(c.stage, 'PRE_RELEASE');
    refuses(MESSAGES.nominateOperator, c, day(3), { ...nominate, actor: 'agency:NSA' }, 'NOT_ENTITLED');
    refuses(
      MESSAGES.nominateOperator,
      c,
      day(3),
      { ...nominate, actor: 'operator:grid-east' },
      'NOT_ENTITLED',
    );
    send(MESSAGES.nominateOperator, c, day(3), nominate);
    assert.deepEqual(
      c.grants?.map((g) => [g.grantId, g.operator, g.nominatedBy]),
      [['acme~sub-1~grid-east', 'operator:grid-east', 'agency:CISA']],
    );
    assert.equal(c.timeline.at(-1)?.type, 'EARLY_ACCESS_NOMINATED');
    refuses(MESSAGES.nominateOperator, c, day(3), nominate, 'GRANT_ALREADY_NOMINATED');
    const f = grantFiling(c, c.grants[0], 'acme:sub-1');
    assert.deepEqual(f.summary, {
      model: { name: 'Frontier-1', version: '1.0' },
      outcome: 'NO_CONCERNS_IDENTIFIED',
      rationale: c.determination!.rationale,
    });
    assert.equal(f.terms.nominator, 'CISA');
    assert.equal(f.policy.version, DEFAULT_POLICY.version);
  });

  it('refuses before PRE_RELEASE, for an outcome the policy does not allow, and on a case of rules 5', () => {
    const early = openCase(Submission.parse(filing()), day(0), 6);
    accept(early, DEFAULT_POLICY, { covered: true, reason: 'covered' }, day(0));
    refuses(MESSAGES.nominateOperator, early, day(1), nominate, 'WRONG_STAGE');
    const unable = determined({ NSA: 'UNABLE_TO_ASSESS' });
    if (unable.stage === 'PRE_RELEASE') {
      assert.notEqual(unable.determination?.outcome, 'NO_CONCERNS_IDENTIFIED');
      refuses(MESSAGES.nominateOperator, unable, day(3), nominate, 'EARLY_ACCESS_NOT_OFFERED');
    } else {
      assert.fail(`UNABLE_TO_ASSESS left the case in ${unable.stage}`);
    }
    refuses(MESSAGES.nominateOperator, determined({}, 5), day(3), nominate, 'EARLY_ACCESS_NOT_OFFERED');
  });
});
