import { randomUUID } from 'node:crypto';
import type { ClientInterceptors, WorkflowClientInterceptor } from '@temporalio/client';
import { withBinding } from '../domain/message-binding';

/**
 * The sending side of message binding (shared/domain/message-binding.ts): every update and signal a client of
 * the product sends (the gateway's, the workers' own, the CLI's through the gateway) names the workflow it is
 * for, the message and, for an update, its update id, which this sets when the caller did not. The payload
 * codec then seals that with the message, so it cannot be changed nor copied elsewhere without the key ring.
 */
export const bindMessages: WorkflowClientInterceptor = {
  startUpdate(input, next) {
    const updateId = input.options.updateId ?? randomUUID();
    const binding = { workflowId: input.workflowExecution.workflowId, message: input.updateName, updateId };
    const [first, ...rest] = input.args;
    return next({
      ...input,
      options: { ...input.options, updateId },
      args: [withBinding(first, binding), ...rest],
    });
  },
  signal(input, next) {
    const binding = { workflowId: input.workflowExecution.workflowId, message: input.signalName };
    const [first, ...rest] = input.args;
    return next({ ...input, args: [withBinding(first, binding), ...rest] });
  },
  signalWithStart(input, next) {
    const binding = { workflowId: input.options.workflowId, message: input.signalName };
    const [first, ...rest] = input.signalArgs;
    return next({ ...input, signalArgs: [withBinding(first, binding), ...rest] });
  },
  startUpdateWithStart(input, next) {
    const updateId = input.updateOptions.updateId ?? randomUUID();
    const binding = {
      workflowId: input.workflowStartOptions.workflowId,
      message: input.updateName,
      updateId,
    };
    const [first, ...rest] = input.updateArgs;
    return next({
      ...input,
      updateOptions: { ...input.updateOptions, updateId },
      updateArgs: [withBinding(first, binding), ...rest],
    });
  },
};

/** The interceptors every client of the product carries: Client's `interceptors`, a worker's `interceptors.client`. */
export const productClientInterceptors = (): ClientInterceptors & {
  workflow: WorkflowClientInterceptor[];
} => ({
  workflow: [bindMessages],
});
