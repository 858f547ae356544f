import { isUnsealed } from './sealed';

/**
 * Where a message was sent, carried inside it (issue 34). Every update and signal the product sends names the
 * workflow it is for, the message (the update's or signal's name) and, for an update, its update id; the
 * payload codec seals it with the rest, so nobody without the payload key ring can change it, and the workflow
 * refuses a message that names another place. The codec binds each payload to its workflow too
 * (shared/node/payload-codec.ts), but it cannot see the message's name, nor tell a message sealed before this
 * release (which carries no binding) from one sealed now: this can.
 *
 *   another case, another grant, another lab's record   refused (MESSAGE_NOT_BOUND); the codec's MISBOUND too
 *   another message of the same workflow                 refused: an approval is no decline
 *   the same message again, under a new update id        refused: a message applies once
 *   no binding (sealed by releases 1 to 6)               refused; only the replay of recorded histories reads it
 *
 * The sending side is the product's Temporal clients (shared/node/message-binding.ts adds it to every update
 * and signal); the checking side is each workflow's validators and signal handlers (workflows/binding.ts).
 * Handlers read a message as recorded and drop the binding, so histories recorded before it replay unchanged.
 */
export const BOUND_TO = 'boundTo';

export interface MessageBinding {
  workflowId: string;
  /** The update's or signal's name. */
  message: string;
  /** The update's id (updates only): the same id again is Temporal's de-duplication, another id a replay. */
  updateId?: string;
}

/** The payload with its binding (objects only: every message of the product is one). */
export function withBinding(payload: unknown, binding: MessageBinding): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  return { ...payload, [BOUND_TO]: binding };
}

/** The payload without its binding, as handlers and the messages' own checks read it; markers as they are. */
export function withoutBinding<T>(raw: T): T {
  if (typeof raw !== 'object' || raw === null || isUnsealed(raw) || !Object.hasOwn(raw, BOUND_TO)) return raw;
  const { [BOUND_TO]: _binding, ...rest } = raw as Record<string, unknown>;
  return rest as T;
}

/** What is wrong with a message's binding, given where it arrived; undefined when it names this very place. */
export function bindingProblem(raw: unknown, arrived: MessageBinding): string | undefined {
  const b: unknown =
    typeof raw === 'object' && raw !== null && Object.hasOwn(raw, BOUND_TO)
      ? (raw as Record<string, unknown>)[BOUND_TO]
      : undefined;
  if (b === undefined) return `${arrived.message} names no workflow it was sent to`;
  if (typeof b !== 'object' || b === null) return `${arrived.message} has a malformed binding`;
  const bound = b as Partial<Record<keyof MessageBinding, unknown>>;
  if (bound.workflowId !== arrived.workflowId) {
    return `${arrived.message} was sent to another workflow, not ${arrived.workflowId}`;
  }
  if (bound.message !== arrived.message) {
    return `the message was sent as ${String(bound.message)}, not ${arrived.message}`;
  }
  if (bound.updateId !== arrived.updateId) {
    return `${arrived.message} was sent as another update (${String(bound.updateId)})`;
  }
  return undefined;
}
