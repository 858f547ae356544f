import type { ActedBy } from '../../shared/domain/acted-by';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { GovernmentActivities } from '../../activities/government';
import { rejection, type ErrorCode } from '../../shared/domain/errors';
import {
  checkDeclareClosure,
  checkEndLapse,
  checkStartLapse,
  DeclareClosure,
  declareClosureUpdate,
  EndLapse,
  endLapseUpdate,
  governmentQuery,
  StartLapse,
  startLapseUpdate,
} from '../../shared/domain/government/messages';
import type { FanOut, GovernmentChange } from '../../shared/domain/government/fan-out';
import { emptyGovernment, type GovernmentSnapshot } from '../../shared/domain/government/state';
import {
  budgetOf,
  compactGovernment,
  recentSent,
  type GovernmentBudget,
  type Sent,
} from '../../shared/domain/government/bounds';
import { BOUNDS_IN_FORCE, runIsFull } from '../../shared/domain/bounds';
import { withoutBinding } from '../../shared/domain/message-binding';
import { asRecorded } from '../../shared/domain/sealed';
import { boundUpdate } from '../binding';
import { iso } from '../../shared/domain/time';

const cases = proxyActivities<GovernmentActivities>({
  // Reaching every open case takes a while on a large deployment; the heartbeat says it is still going.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** A run hands its state to a fresh one after this many messages, or every 30 days, whichever comes first. */
const MESSAGES_PER_RUN = 500;
const RUN_LENGTH = '30 days';
/**
 * Release 7: a run hands the state on before its history or the state itself near the server's limits
 * (shared/domain/bounds.ts), carrying only the active lapse, the coming closures and the latest past ones
 * (shared/domain/government/bounds.ts). A run started before release 7 keeps release 6's rule until it hands on;
 * its validators apply the budgets anyway.
 */
const BOUNDS_PATCH = 'release-7-government-bounds';

export interface GovernmentInput {
  /** The state an earlier run handed on when it continued as new. */
  state?: GovernmentSnapshot;
  /** Release 7: what operations staff sent in the budgets' period, as the run before counted it. */
  sent?: Sent[];
}

/**
 * Who acted, under `key`, when the message names them (issue 36): a message recorded before it names no one,
 * and the state and the activity's input it makes stay exactly as they were.
 */
const actedAs = <K extends string>(key: K, by: ActedBy | undefined): Partial<Record<K, ActedBy>> =>
  by === undefined ? {} : ({ [key]: by } as Record<K, ActedBy>);

/**
 * The state of the government every case shares (domain.md section 4): funding lapses and closures of
 * federal offices, each recorded here once. Each message then reaches every open case of the deployment
 * through an activity that retries until it is done, so a gateway that fails mid-way loses nothing. Review
 * workflows read this state at acceptance, so a case accepted during a lapse starts tolled.
 *
 *   startLapse ─> lapse active ─> endLapse        (each also sent to every open case)
 *   declareClosure ─> closure recorded           (sent to every open case)
 */
export async function government(input: GovernmentInput = {}): Promise<void> {
  const g: GovernmentSnapshot = input.state ?? emptyGovernment();
  const bounded = patched(BOUNDS_PATCH);
  const sent: Sent[] = [...(input.sent ?? [])];
  const count = (budget: GovernmentBudget, by: string) => sent.push({ budget, by, at: iso(new Date()) });
  let accepted = 0;
  setHandler(governmentQuery, () => g);

  setHandler(
    startLapseUpdate,
    async (raw) => {
      const msg = StartLapse.parse(asRecorded(withoutBinding(raw)));
      accepted += 1;
      const known = g.lapses.some((l) => l.id === msg.lapseId);
      count(budgetOf('lapse', known), msg.actor);
      if (!known)
        g.lapses.push({
          id: msg.lapseId,
          reason: msg.reason,
          from: iso(new Date()),
          startedBy: msg.actor,
          ...actedAs('startedActedBy', msg.by),
        });
      const reached = await cases.reachOpenCases({
        message: 'tollClocks',
        payload: { actor: msg.actor, ...actedAs('by', msg.by), lapseId: msg.lapseId, reason: msg.reason },
        operationKey: `lapse:${msg.lapseId}`,
      });
      return answer(known, reached, 'FUNDING_LAPSE_ACTIVE', `funding lapse ${msg.lapseId} is already active`);
    },
    { validator: (raw) => void checkStartLapse(g, boundUpdate(raw, startLapseUpdate.name), sent) },
  );

  setHandler(
    endLapseUpdate,
    async (raw) => {
      const msg = EndLapse.parse(asRecorded(withoutBinding(raw)));
      accepted += 1;
      const lapse = g.lapses.find((l) => l.id === msg.lapseId)!;
      const known = lapse.to !== undefined;
      if (known) count('resends', msg.actor);
      if (!known)
        Object.assign(lapse, { to: iso(new Date()), endedBy: msg.actor, ...actedAs('endedActedBy', msg.by) });
      const reached = await cases.reachOpenCases({
        message: 'resumeClocks',
        payload: { actor: msg.actor, ...actedAs('by', msg.by), lapseId: msg.lapseId },
        operationKey: `resume:${msg.lapseId}`,
      });
      return answer(
        known,
        reached,
        'FUNDING_LAPSE_NOT_ACTIVE',
        `funding lapse ${msg.lapseId} ended at ${lapse.to}`,
      );
    },
    { validator: (raw) => void checkEndLapse(g, boundUpdate(raw, endLapseUpdate.name), sent) },
  );

  setHandler(
    declareClosureUpdate,
    async (raw) => {
      const msg = DeclareClosure.parse(asRecorded(withoutBinding(raw)));
      accepted += 1;
      const known = g.closures.some((x) => x.id === msg.closureId);
      count(budgetOf('closure', known), msg.actor);
      const dates = [...msg.dates].sort();
      if (!known) {
        g.closures.push({
          id: msg.closureId,
          dates,
          reason: msg.reason,
          declaredAt: iso(new Date()),
          declaredBy: msg.actor,
          ...actedAs('declaredActedBy', msg.by),
        });
      }
      const reached = await cases.reachOpenCases({
        message: 'declareClosure',
        payload: {
          actor: msg.actor,
          ...actedAs('by', msg.by),
          closureId: msg.closureId,
          dates,
          reason: msg.reason,
        },
        operationKey: `closure:${msg.closureId}`,
      });
      return answer(
        known,
        reached,
        'CLOSURE_ALREADY_DECLARED',
        `closure ${msg.closureId} is already declared`,
      );
    },
    {
      validator: (raw) =>
        void checkDeclareClosure(g, boundUpdate(raw, declareClosureUpdate.name), new Date(), sent),
    },
  );

  // Every wait has a deadline: the run rolls over on its own, keeping its history short.
  const full = () => bounded && runIsFull({ ...workflowInfo(), messages: accepted }, g, BOUNDS_IN_FORCE.runs);
  await condition(
    () => accepted >= MESSAGES_PER_RUN || workflowInfo().continueAsNewSuggested || full(),
    RUN_LENGTH,
  );
  // Not in the task that accepted a message (the server would refuse to close the run in it).
  await sleep(1);
  await condition(allHandlersFinished);
  const now = new Date();
  await continueAsNew<typeof government>({
    state: bounded ? compactGovernment(g, now) : g,
    sent: recentSent(sent, now),
  });
}

/**
 * The answer to a message: what changed. One that changed neither the government's state nor any case is
 * refused with the reason, so operations staff never read "done" when nothing happened.
 */
function answer(known: boolean, cases: FanOut, code: ErrorCode, why: string): GovernmentChange {
  if (known && cases.applied === 0 && cases.unavailable === 0) {
    throw rejection(code, `${why}; no open case needed it (${cases.matched} open case(s) checked)`);
  }
  return { change: known ? 'UNCHANGED' : 'RECORDED', cases };
}
