import {
  ApplicationFailure,
  isGrpcDeadlineError,
  isGrpcServiceError,
  QueryNotRegisteredError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { isErrorCode } from '../shared/domain/errors';
import { ApiError } from './problem';

// gRPC status codes (the SDK's ServiceError keeps the gRPC error as its cause).
const CANCELLED = 1;
const INVALID_ARGUMENT = 3;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;

/** The SDK's mark on a workflow task failed by a non-determinism. */
const NON_DETERMINISM = '[TMPRL1100]';
/**
 * What a query answer over the server's blob limit (2 MiB) or the client's message limit (4 MiB) fails with:
 * "Blob data size exceeds limit." and "GRPC Message too large" (Temporal 1.24, seen against the dev server).
 */
const TOO_LARGE = /Blob data size exceeds limit|Message too large|exceeds size limit/i;

const grpcCodeOf = (err: unknown): number | undefined => {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return isGrpcServiceError(cause) ? cause.code : undefined;
};

/** True when Temporal could not be reached or did not answer in time: the client may retry. */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return true;
  const code = grpcCodeOf(err);
  // An update whose workflow task failed (the case was busy, e.g. continuing as new) was not applied by that
  // task: a retry with the same Idempotency-Key applies it once. A call the gateway did not cancel that ends
  // CANCELLED lost its connection (the server went down under it; seen in the chaos run).
  return (
    code === CANCELLED ||
    code === UNAVAILABLE ||
    code === DEADLINE_EXCEEDED ||
    code === RESOURCE_EXHAUSTED ||
    code === FAILED_PRECONDITION
  );
}

export const isInvalidArgument = (err: unknown): boolean => grpcCodeOf(err) === INVALID_ARGUMENT;

/**
 * A Temporal client error as a catalogue error, or undefined when it is none of the expected ones (then
 * it is an internal error). A rejected update carries its code as the ApplicationFailure's `type`.
 */
export function fromTemporal(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const code = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
    if (isErrorCode(code)) {
      return new ApiError(code, cause!.message, undefined, { cause: err });
    }
    return undefined;
  }
  if (err instanceof WorkflowNotFoundError)
    return new ApiError('CASE_NOT_FOUND', undefined, undefined, { cause: err });
  // A query the workflow could not answer because replaying its history fails (a non-determinism): waiting
  // does not help, so it is not TEMPORAL_UNAVAILABLE.
  if (err instanceof QueryNotRegisteredError && err.message.includes(NON_DETERMINISM)) {
    return new ApiError('CASE_STALLED', undefined, undefined, { cause: err });
  }
  // A record grown past what Temporal carries (issue 34, finding 5): a clear problem, never a 500.
  if (err instanceof QueryNotRegisteredError && TOO_LARGE.test(err.message)) {
    return new ApiError('ANSWER_TOO_LARGE', undefined, undefined, { cause: err });
  }
  if (isUnavailable(err)) {
    return new ApiError('TEMPORAL_UNAVAILABLE', 'the workflow service did not answer in time', undefined, {
      cause: err,
    });
  }
  return undefined;
}

/** Runs a Temporal call and rethrows what it fails with as a catalogue error where one fits. */
export async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw fromTemporal(err) ?? err;
  }
}

/**
 * A query under the gateway's deadline, asked again once if the first ask has no answer within half of it. The
 * suite saw the server lose one (seed 560888668): the worker answered a case's status query in 150 ms, the
 * server refused the answer ("query task not found, or already expired") and the reader waited out the whole
 * deadline for a 503. A query only reads, so a second ask is safe; losing both is TEMPORAL_UNAVAILABLE as before.
 */
export async function askedTwice<T>(
  within: (fn: () => Promise<T>, timeoutMs: number) => Promise<T>,
  ask: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const half = Math.ceil(timeoutMs / 2);
  try {
    return await within(ask, half);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'TEMPORAL_UNAVAILABLE')) throw err;
    return within(ask, timeoutMs - half);
  }
}
