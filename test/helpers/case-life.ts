import { ApplicationFailure } from '@temporalio/common';
import type { GovernmentSnapshot } from '../../shared/domain/government/state';
import type { Policy } from '../../shared/domain/policy';
import { advance } from '../../shared/domain/review/advance';
import { accept, openCase } from '../../shared/domain/review/intake';
import type { Message } from '../../shared/domain/review/messages';
import type { RulesVersion } from '../../shared/domain/review/rules';
import type { CaseState } from '../../shared/domain/review/state';
import { nextWake } from '../../shared/domain/review/wake';
import { Submission } from '../../shared/domain/submission';

export interface LifeStart {
  /** Acceptance, the case's day 0 (intake is instant here). */
  at: number;
  policy: Policy;
  plannedRelease: number;
  government?: GovernmentSnapshot;
  rules?: RulesVersion;
}

/**
 * One case's life driven by the pure domain through the loop the workflow runs (workflows/review): a message
 * is checked (the validator) and applied (the handler), and then the case advances; between messages it
 * sleeps until nextWake and advances there. No server: a life of 90 days runs in milliseconds.
 */
export class CaseLife {
  readonly c: CaseState;
  now: number;

  constructor(start: LifeStart) {
    this.now = start.at;
    const submission = Submission.parse({
      submissionId: 'life-1',
      labId: 'acme',
      model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'gated endpoint' },
      callbackUrl: 'https://callbacks.acme.example/hook',
      plannedReleaseDate: new Date(start.plannedRelease).toISOString(),
      policyId: start.policy.id,
    });
    this.c = openCase(submission, new Date(start.at), start.rules ?? 2);
    accept(this.c, start.policy, { covered: true, reason: 'covered' }, new Date(start.at), start.government);
    advance(this.c, new Date(start.at));
  }

  get closed(): boolean {
    return this.c.stage === 'CLOSED';
  }

  /**
   * Lets time pass until `until`, waking where the workflow's timers would; `afterEach` runs after every
   * wake. An open case with nothing to wake for would wait for ever: that is an error.
   */
  wait(until: number, afterEach: () => void = () => undefined): void {
    while (!this.closed) {
      const wake = nextWake(this.c, new Date(this.now));
      if (wake === undefined) throw new Error(`open case in ${this.c.stage} has nothing to wait for`);
      if (wake.getTime() > until) break;
      this.now = wake.getTime();
      advance(this.c, new Date(this.now));
      afterEach();
    }
    if (!this.closed) this.now = Math.max(this.now, until);
  }

  /** Sends a message now: 'APPLIED', or the code the validator refused it with (nothing changed then). */
  send(m: Message, payload: object): string {
    const at = new Date(this.now);
    try {
      m.check(this.c, at, payload);
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type) return err.type;
      throw err;
    }
    m.apply(this.c, at, payload as never);
    advance(this.c, at);
    return 'APPLIED';
  }
}
