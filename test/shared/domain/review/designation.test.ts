import assert from 'node:assert/strict';
import { assertEventTypes } from '../../../helpers/ledger';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../../../shared/domain/policy-presets';
import { advance } from '../../../../shared/domain/review/advance';
import {
  awaitingAcceptance,
  designatedBy,
  proposeDesignation,
  settleDesignation,
} from '../../../../shared/domain/review/designation';
import { openCase } from '../../../../shared/domain/review/intake';
import { MESSAGES } from '../../../../shared/domain/review/messages';
import { nextWake } from '../../../../shared/domain/review/wake';
import { Submission } from '../../../../shared/domain/submission';
import { businessDaysDue, instantIn } from '../../../helpers/washington';
import { filing, refuses, send } from './cases';

/** Wednesday before Thanksgiving 2026, after close of business in Washington. */
const SCREENED = instantIn('2026-11-25', '18:30');
const covered = { covered: true, reason: 'training compute meets the threshold' };
const notCovered = { covered: false, reason: 'training compute below the threshold' };

const underRules = (rules: 2 | 3, overrides = {}) =>
  openCase(Submission.parse(filing(overrides)), new Date(SCREENED), rules);

describe('the designation (rules 3, issue 14 part 1), as pure domain code', () => {
  it('asks the policy of version 3 for a designating agency, and a rules-2 case never', () => {
    assert.equal(designatedBy(underRules(3), DEFAULT_POLICY)?.agency, 'NSA');
    assert.equal(designatedBy(underRules(2), DEFAULT_POLICY), undefined);
    const v2 = POLICY_PRESETS.find((p) => p.id === DEFAULT_POLICY.id && p.version === 2)!;
    assert.equal(designatedBy(underRules(3), v2), undefined);
  });

  it('gives NSA 5 business days at close of business, counted past the evening, Thanksgiving and the weekend', () => {
    const c = underRules(3);
    proposeDesignation(c, DEFAULT_POLICY, covered, new Date(SCREENED));
    assert.equal(c.stage, 'DESIGNATION');
    const due = businessDaysDue(SCREENED, 5);
    // After 17:00 on Wednesday, and Thursday is Thanksgiving: the count starts on Friday, then Monday to Friday.
    assert.equal(new Date(due).toISOString(), new Date(instantIn('2026-12-04', '17:00')).toISOString());
    assert.equal(c.deadlines.designation.baseDue, new Date(due).toISOString());
    assert.equal(nextWake(c, new Date(SCREENED))?.getTime(), due);

    const decided = () => c.designation?.decision;
    advance(c, new Date(due - 1));
    assert.equal(decided(), undefined);
    advance(c, new Date(due));
    assert.deepEqual(
      [decided()?.source, decided()?.covered, awaitingAcceptance(c)],
      ['PROPOSAL_STANDS', true, true],
    );
    settleDesignation(c, DEFAULT_POLICY, new Date(due));
    assert.equal(c.stage, 'NATIONAL_SECURITY');
    assert.equal(c.acceptedAt, new Date(due).toISOString());
    assert.deepEqual(c.screen, covered);
  });

  it('closes NOT_COVERED when NSA designates against a covered proposal, never accepting', () => {
    const c = underRules(3);
    proposeDesignation(c, DEFAULT_POLICY, covered, new Date(SCREENED));
    const at = new Date(SCREENED + 3_600_000);
    send(MESSAGES.designateCoverage, c, at, { actor: 'agency:NSA', covered: false, reason: 'below the bar' });
    refuses(
      MESSAGES.designateCoverage,
      c,
      at,
      { actor: 'agency:NSA', covered: true, reason: 'on reflection' },
      'ALREADY_DECIDED',
    );
    settleDesignation(c, DEFAULT_POLICY, at);
    assert.deepEqual([c.stage, c.closedReason, c.acceptedAt], ['CLOSED', 'NOT_COVERED', undefined]);
    assertEventTypes(c.timeline, ['RECEIVED', 'DESIGNATION_PENDING', 'DESIGNATED', 'NOT_COVERED', 'CLOSED']);
  });

  it('refuses a designation from another agency, and one to a case that waits for none', () => {
    const c = underRules(3);
    proposeDesignation(c, DEFAULT_POLICY, notCovered, new Date(SCREENED));
    const at = new Date(SCREENED + 60_000);
    refuses(
      MESSAGES.designateCoverage,
      c,
      at,
      { actor: 'agency:CISA', covered: true, reason: 'x' },
      'NOT_ENTITLED',
    );
    refuses(
      MESSAGES.designateCoverage,
      underRules(2),
      at,
      { actor: 'agency:NSA', covered: true, reason: 'x' },
      'WRONG_STAGE',
    );
  });

  it('closes a filing whose planned release has passed before any designation is asked for', () => {
    const c = underRules(3, { plannedReleaseDate: new Date(SCREENED - 1000).toISOString() });
    proposeDesignation(c, DEFAULT_POLICY, covered, new Date(SCREENED));
    assert.deepEqual([c.stage, c.closedReason, c.designation], ['CLOSED', 'INSUFFICIENT_NOTICE', undefined]);
  });
});
