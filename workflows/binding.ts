import { currentUpdateInfo, log, metricMeter, patched, workflowInfo } from '@temporalio/workflow';
import { rejection } from '../shared/domain/errors';
import { bindingProblem, withoutBinding } from '../shared/domain/message-binding';
import { isMisbound, isUnsealed, UNSEALED } from '../shared/domain/sealed';

/**
 * The workflows' side of message binding (shared/domain/message-binding.ts): a message must name this
 * workflow, this message and, for an update, this update id, and must not be a payload the codec found sealed
 * for another place (MISBOUND).
 */

/**
 * The update's payload for its own check, without the binding: refused as MESSAGE_NOT_BOUND when it was sealed
 * for another place or names another. A payload that is not sealed at all goes on as it is: the message's own
 * check refuses it as PAYLOAD_NOT_SEALED. Runs in validators only, which never run on replay.
 */
export function boundUpdate(raw: unknown, message: string): unknown {
  if (isMisbound(raw)) throw rejection('MESSAGE_NOT_BOUND', `${message} was sealed for another workflow`);
  if (isUnsealed(raw)) return raw;
  const problem = bindingProblem(raw, {
    workflowId: workflowInfo().workflowId,
    message,
    updateId: currentUpdateInfo()?.id,
  });
  if (problem !== undefined) throw rejection('MESSAGE_NOT_BOUND', problem);
  return withoutBinding(raw);
}

/**
 * Release 7: a signal that names another workflow or signal, or none, is ignored and counted. Before, a sealed
 * signal was taken wherever it arrived; a history that took one replays as it ran.
 */
export const SIGNALS_BOUND = 'release-7-signals-bound';

let ignoredSignals: ReturnType<typeof metricMeter.createCounter> | undefined;

/**
 * A signal's payload as its handler reads it (without the binding), or undefined when it is to be ignored:
 * not sealed, sealed for another place, or naming another. Every ignored signal is logged and counted, in the
 * workers' metrics (`frontier_review_signals_ignored`, by workflow type, signal and reason) and by `count`
 * (the workflow's own record, which its query shows).
 *
 * A history recorded before this release took a sealed signal wherever it arrived (and ignored one not sealed):
 * it replays so. Every signal that fails a check asks the patch, whichever check it fails, so that a history
 * replays alike whether the codec found the payload sealed for another workflow (a live worker) or opened it
 * under the binding it was recorded with (an offline replay, shared/node/sealing.ts replayDataConverter) and
 * the binding inside names another; a signal that passes asks nothing, and leaves no marker.
 */
export function boundSignal(raw: unknown, signal: string, count: () => void): unknown {
  const unsealed = isUnsealed(raw);
  const problem = unsealed
    ? raw[UNSEALED].reason
    : bindingProblem(raw, { workflowId: workflowInfo().workflowId, message: signal });
  if (problem === undefined) return withoutBinding(raw);
  if (!patched(SIGNALS_BOUND)) return unsealed ? undefined : withoutBinding(raw);
  count();
  ignoredSignals ??= metricMeter.createCounter(
    'frontier_review_signals_ignored',
    'signals',
    'Signals a workflow ignored: not sealed, or sealed for another workflow or signal (issue 34).',
  );
  const reason = unsealed ? raw[UNSEALED].reason : 'MESSAGE_NOT_BOUND';
  ignoredSignals.add(1, { workflow_type: workflowInfo().workflowType, signal, reason });
  log.warn('a signal was ignored', { signal, reason, detail: problem });
  return undefined;
}
