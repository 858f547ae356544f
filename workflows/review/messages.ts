import { currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import { projectCase } from '../../shared/domain/review/what-if';
import {
  MESSAGES,
  ProjectDeadlines,
  projectDeadlinesQuery,
  statusQuery,
  type Message,
} from '../../shared/domain/review/messages';
import type { Fixes } from '../../shared/domain/review/fixes';
import type { Receipt } from '../../shared/domain/review/record';
import type { CaseState } from '../../shared/domain/review/state';
import { withoutBinding } from '../../shared/domain/message-binding';
import { isUnsealed } from '../../shared/domain/sealed';
import { toStatus } from '../../shared/domain/review/to-status';
import { boundUpdate } from '../binding';
import type { Courier } from './courier';
import { PATCHES } from './patches';

/** Each correction applies once its patch is in the history: a case replays as it ran before the correction. */
const FIXES: Fixes = { chairTimeFollowsClosures: () => patched(PATCHES.chairTimeFollowsClosures) };

/** Receipts kept for retries across runs: enough for any retry window, bounded so the state stays small. */
const KEPT_RECEIPTS = 1000;

/** The receipt this update already got, when it is a retry of one applied (possibly in an earlier run). */
const priorReceipt = (c: CaseState): Receipt | undefined => {
  const id = currentUpdateInfo()?.id;
  return id === undefined ? undefined : c.receipts[id];
};

function remember(c: CaseState, receipt: Receipt): void {
  const id = currentUpdateInfo()?.id;
  if (id === undefined) return;
  c.receipts[id] = receipt;
  const ids = Object.keys(c.receipts);
  if (ids.length > KEPT_RECEIPTS) delete c.receipts[ids[0]];
}

/**
 * Registers every message of the table as an update: its check is the validator (a refusal leaves no trace
 * in history), its apply the handler, which then wakes the main loop. When a message changes the lab's
 * endpoint, the delivery in flight is abandoned and sent again to the new one.
 */
export function handleMessages(c: CaseState, courier: Courier, applied: () => void): void {
  for (const m of Object.values(MESSAGES) as Message[]) {
    setHandler(
      m.update,
      (payload) => {
        const prior = priorReceipt(c);
        if (prior !== undefined) return prior;
        const endpointChanges = c.callbacks.endpointChanges;
        const receipt = m.apply(c, new Date(), withoutBinding(payload), FIXES);
        c.version += 1;
        applied();
        remember(c, receipt);
        if (c.callbacks.endpointChanges !== endpointChanges) courier.redirect();
        return receipt;
      },
      {
        validator: (payload) => {
          // First: a message sealed for another case, or another message, is refused whatever it asks.
          const unbound = boundUpdate(payload, m.name);
          if (priorReceipt(c) !== undefined) return;
          m.check(c, new Date(), unbound);
        },
      },
    );
  }
  setHandler(statusQuery, () => toStatus(c, new Date()));
  setHandler(projectDeadlinesQuery, (raw) => {
    if (isUnsealed(raw)) throw new Error('the projection was not sealed with a key of this deployment');
    const { change } = ProjectDeadlines.parse(raw);
    return projectCase(c, change, new Date());
  });
}
