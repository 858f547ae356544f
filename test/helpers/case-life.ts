import { ApplicationFailure } from '@temporalio/common';
import { checkDeclareClosure, checkEndLapse, checkStartLapse } from '../../shared/domain/government/messages';
import {
  activeLapseOf,
  emptyGovernment,
  type GovernmentSnapshot,
} from '../../shared/domain/government/state';
import type { LabStanding } from '../../shared/domain/labs/record';
import type { Policy } from '../../shared/domain/policy';
import { POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { advance } from '../../shared/domain/review/advance';
import { untrackedCommitments } from '../../shared/domain/review/commitments';
import {
  awaitingAcceptance,
  designatedBy,
  proposeDesignation,
  settleDesignation,
} from '../../shared/domain/review/designation';
import { grantsToStart, grantsToTell } from '../../shared/domain/review/grants';
import { accept, closeNotCovered, openCase } from '../../shared/domain/review/intake';
import { labFactsDue, pinStanding } from '../../shared/domain/review/lab-record';
import type { Message } from '../../shared/domain/review/messages';
import { MESSAGES } from '../../shared/domain/review/messages';
import { keepsLabRecord, tracksCommitments, type RulesVersion } from '../../shared/domain/review/rules';
import type { CaseState } from '../../shared/domain/review/state';
import { toStatus } from '../../shared/domain/review/to-status';
import { nextWake } from '../../shared/domain/review/wake';
import { Submission } from '../../shared/domain/submission';

export interface LifeStart {
  /** The filing. Intake is instant here; acceptance (day 0) follows at once unless an agency designates first. */
  at: number;
  /** The policy the filing names, in force for the whole life. */
  policy: Policy;
  plannedRelease: number;
  /** The government's funding lapses and closures before the filing; ops change it as the life goes on. */
  government?: GovernmentSnapshot;
  rules?: RulesVersion;
  /** Rules 3: what intake's screen proposes; the designating agency decides. Covered unless said. */
  proposesCovered?: boolean;
  /** Rules 5: the lab's status in its record, which may choose another policy and skip the designation. */
  standing?: LabStanding['status'];
  /** Keep a view of the case after every step (and before every message), for the counting invariants. */
  observe?: boolean;
}

/** What a case shows at one instant, as its status (the status query) reads: only what the invariants ask. */
export interface CaseView {
  at: number;
  stage: CaseState['stage'];
  acceptedAt?: number;
  windowEnd?: number;
  flags: readonly string[];
  /** Every deadline's due time as the status shows it, by key; met ones too. */
  due: Readonly<Record<string, number>>;
  /** The keys of the deadlines not met yet. */
  open: readonly string[];
  designation?: { due: number; decided?: { source: 'AGENCY' | 'PROPOSAL_STANDS'; at: number } };
}

/** One step of a life: how it began, a wake where the workflow's timer would fire, or a message sent. */
export interface LifeStep {
  kind: 'start' | 'wake' | 'message';
  at: number;
  message?: string;
  payload?: Readonly<Record<string, unknown>>;
  /** 'APPLIED', or the code the case refused the message with. */
  result?: string;
  before?: CaseView;
  after: CaseView;
}

/** What a life observed: its steps, the government's state as it went, and the case as it ended. */
export interface LifeRecord {
  steps: readonly LifeStep[];
  government: GovernmentSnapshot;
  case: CaseState;
}

/**
 * One case's life driven by the pure domain through the loop the workflow runs (workflows/review): intake's
 * screen, the designation (rules 3) and the acceptance it leads to under the government's state then, and the
 * steps the loop takes after each turn (rules 4-6: commitments and grants handed over, the lab's record told).
 * A message is checked (the validator) and applied (the handler), and then the case advances; between messages
 * it sleeps until nextWake and advances there. Operations staff change the government's state, which reaches
 * the case as a message (the case may refuse it) and is read again at acceptance. No server: a life of 90 days
 * runs in milliseconds.
 */
export class CaseLife {
  readonly c: CaseState;
  now: number;
  /** The government's lapses and closures, as its workflow records them. */
  readonly government: GovernmentSnapshot;
  private readonly steps: LifeStep[] | undefined;
  private readonly standing: LabStanding | undefined;
  private readonly policy: Policy;
  /**
   * When the case next wakes on its own, as the loop set it after its last turn. A refused message runs no turn
   * and leaves the workflow's timer where it was, so the wake is not asked again at the refusal's instant: the
   * loop never asks nextWake at an instant it did not advance at.
   */
  private wakeAt: Date | undefined;

  constructor(start: LifeStart) {
    this.now = start.at;
    this.policy = start.policy;
    this.steps = start.observe === true ? [] : undefined;
    this.government = structuredClone(start.government ?? emptyGovernment());
    const submission = Submission.parse({
      submissionId: 'life-1',
      labId: 'acme',
      model: { name: 'Frontier-1', version: '1.0', trainingComputeFlop: 3e26 },
      access: { kind: 'API', details: 'gated endpoint' },
      callbackUrl: 'https://callbacks.acme.example/hook',
      plannedReleaseDate: new Date(start.plannedRelease).toISOString(),
      policyId: start.policy.id,
    });
    const at = new Date(start.at);
    this.c = openCase(submission, at, start.rules ?? 2);
    // Intake (activities/intake.ts, intakeChecks): the lab's status chooses the policy under rules 5.
    this.standing = keepsLabRecord(this.c) ? { status: start.standing ?? 'PARTICIPANT' } : undefined;
    const { policy, waived } = this.policyFor();
    const covered = start.proposesCovered ?? true;
    const screen = { covered, reason: covered ? 'covered' : 'not covered' };
    // Rules 7: intake reads the government's state for the designation's clock too (workflows/review, runIntake).
    if (designatedBy(this.c, policy) && !waived)
      proposeDesignation(this.c, policy, screen, at, structuredClone(this.government));
    else if (!covered) closeNotCovered(this.c, screen, at);
    else {
      accept(this.c, policy, screen, at, structuredClone(this.government));
      pinStanding(this.c, this.standing);
    }
    this.turn();
    this.steps?.push({ kind: 'start', at: this.now, after: this.view() });
  }

  get closed(): boolean {
    return this.c.stage === 'CLOSED';
  }

  /** What the life observed so far (with `observe`). */
  record(): LifeRecord {
    if (this.steps === undefined) throw new Error('this life was not observed: start it with observe');
    return { steps: this.steps, government: this.government, case: this.c };
  }

  /**
   * Lets time pass until `until`, waking where the workflow's timers would; `afterEach` runs after every
   * wake. An open case with nothing to wake for would wait for ever: that is an error.
   */
  wait(until: number, afterEach: () => void = () => undefined): void {
    while (!this.closed) {
      const wake = this.wakeAt;
      if (wake === undefined) throw new Error(`open case in ${this.c.stage} has nothing to wait for`);
      if (wake.getTime() > until) break;
      this.now = wake.getTime();
      this.turn();
      this.steps?.push({ kind: 'wake', at: this.now, after: this.view() });
      afterEach();
    }
    if (!this.closed) this.now = Math.max(this.now, until);
  }

  /** Sends a message now: 'APPLIED', or the code the validator refused it with (nothing changed then). */
  send(m: Message, payload: Record<string, unknown>): string {
    const before = this.steps === undefined ? undefined : this.view();
    const result = this.deliver(m, payload);
    this.steps?.push({
      kind: 'message',
      at: this.now,
      message: m.name,
      payload,
      result,
      before,
      after: this.view(),
    });
    return result;
  }

  /** Operations staff start a funding lapse (workflows/government): recorded, then sent to the case. */
  startLapse(lapseId: string): string {
    const msg = { actor: 'ops', lapseId, reason: 'appropriations' };
    const refused = refusal(() => checkStartLapse(this.government, msg));
    if (refused !== undefined) return refused;
    if (!this.government.lapses.some((l) => l.id === lapseId)) {
      this.government.lapses.push({
        id: lapseId,
        reason: msg.reason,
        from: new Date(this.now).toISOString(),
        startedBy: 'ops',
      });
    }
    return this.send(MESSAGES.tollClocks, msg);
  }

  /** Operations staff end the active funding lapse, if there is one. */
  endLapse(): string {
    const lapse = activeLapseOf(this.government);
    if (lapse === undefined) return 'FUNDING_LAPSE_NOT_ACTIVE';
    const msg = { actor: 'ops', lapseId: lapse.id };
    const refused = refusal(() => checkEndLapse(this.government, msg));
    if (refused !== undefined) return refused;
    Object.assign(lapse, { to: new Date(this.now).toISOString(), endedBy: 'ops' });
    return this.send(MESSAGES.resumeClocks, msg);
  }

  /** Operations staff declare a closure of federal offices on these Washington dates. */
  declareClosure(closureId: string, dates: string[]): string {
    const msg = { actor: 'ops', closureId, dates: [...dates].sort(), reason: 'OPM' };
    const refused = refusal(() => checkDeclareClosure(this.government, msg, new Date(this.now)));
    if (refused !== undefined) return refused;
    if (!this.government.closures.some((x) => x.id === closureId)) {
      this.government.closures.push({
        id: closureId,
        dates: msg.dates,
        reason: msg.reason,
        declaredAt: new Date(this.now).toISOString(),
        declaredBy: 'ops',
      });
    }
    return this.send(MESSAGES.declareClosure, msg);
  }

  private deliver(m: Message, payload: Record<string, unknown>): string {
    const at = new Date(this.now);
    const refused = refusal(() => m.check(this.c, at, payload));
    if (refused !== undefined) return refused;
    m.apply(this.c, at, payload as never);
    this.turn();
    return 'APPLIED';
  }

  /**
   * One turn of the workflow's loop at `now`: the case advances; a designation that is in leads to acceptance
   * (or closing) under the policy and the government's state in force now (runAcceptance), which advances
   * again; then what the loop hands on after each turn is marked handed on, as its activities would.
   */
  private turn(): void {
    const at = new Date(this.now);
    advance(this.c, at);
    if (awaitingAcceptance(this.c)) {
      settleDesignation(this.c, this.policyFor().policy, at, structuredClone(this.government));
      pinStanding(this.c, this.standing);
      advance(this.c, at);
    }
    if (tracksCommitments(this.c)) {
      for (const o of untrackedCommitments(this.c)) (this.c.commitmentsTracked ??= []).push(o.commitmentId);
    }
    if (keepsLabRecord(this.c)) {
      for (const { step } of labFactsDue(this.c, 'life-1')) (this.c.labReported ??= []).push(step);
    }
    for (const g of grantsToStart(this.c)) g.started = true;
    for (const g of grantsToTell(this.c)) g.told = true;
    this.wakeAt = this.closed ? undefined : nextWake(this.c, at);
  }

  /**
   * The policy a filing falls under (activities/intake.ts, policyFor): the one it names, or for a trusted
   * partner the preset its effect names, in the same version; and whether the designation wait is waived.
   */
  private policyFor(): { policy: Policy; waived: boolean } {
    const effect = this.policy.trustedPartner?.effect;
    if (this.standing?.status !== 'TRUSTED_PARTNER' || effect === undefined) {
      return { policy: this.policy, waived: false };
    }
    const named =
      effect.policyId === undefined
        ? this.policy
        : POLICY_PRESETS.find((p) => p.id === effect.policyId && p.version === this.policy.version);
    if (named === undefined) throw new Error(`no preset ${effect.policyId} v${this.policy.version}`);
    return { policy: named, waived: effect.skipDesignation };
  }

  private view(): CaseView {
    const at = new Date(this.now);
    const s = toStatus(this.c, at);
    const decided = s.designation?.decision;
    return {
      at: this.now,
      stage: s.stage,
      ...(s.acceptedAt === undefined ? {} : { acceptedAt: Date.parse(s.acceptedAt) }),
      ...(s.windowEnd === undefined ? {} : { windowEnd: Date.parse(s.windowEnd) }),
      flags: [...s.flags],
      due: Object.fromEntries(s.deadlines.map((d) => [d.key, Date.parse(d.dueAt)])),
      open: s.deadlines.filter((d) => d.metAt === undefined).map((d) => d.key),
      ...(s.designation === undefined
        ? {}
        : {
            designation: {
              due: Date.parse(s.designation.dueAt),
              ...(decided === undefined
                ? {}
                : { decided: { source: decided.source, at: Date.parse(decided.at) } }),
            },
          }),
    };
  }
}

/** The code a check refused with, or undefined when it let the message through. */
function refusal(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type) return err.type;
    throw err;
  }
}
