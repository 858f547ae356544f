import assert from 'node:assert/strict';
import { QueryNotRegisteredError, ServiceError } from '@temporalio/client';
import { ApiError } from '../../gateway/problem';
import { askedTwice, fromTemporal } from '../../gateway/temporal-errors';
import { noteErrorAsserted } from '../helpers/ledger';

/** What sdk-core answers for a query to a case whose history its workers cannot replay (seen in the chaos run). */
const nonDeterminism = new QueryNotRegisteredError(
  '[TMPRL1100] Nondeterminism error: Activity machine does not handle this event: HistoryEvent(id: 214, TimerCanceled)',
  3,
);

describe('gateway: Temporal errors as catalogue errors', () => {
  it('answers 503 CASE_STALLED, not 500, for a case whose workflow cannot replay its history', () => {
    noteErrorAsserted('CASE_STALLED');
    const mapped = fromTemporal(nonDeterminism);
    assert.equal(mapped?.code, 'CASE_STALLED');
    assert.equal(mapped?.status, 503);
    assert.equal(mapped?.cause, nonDeterminism);
  });

  it('answers 503 TEMPORAL_UNAVAILABLE for a call cut off when the Temporal server went down under it', () => {
    noteErrorAsserted('TEMPORAL_UNAVAILABLE');
    const grpc = Object.assign(new Error('1 CANCELLED: Call cancelled'), {
      code: 1,
      details: 'Call cancelled',
      metadata: {},
    });
    const cut = new ServiceError('Failed to query Workflow', { cause: grpc });
    assert.equal(fromTemporal(cut)?.code, 'TEMPORAL_UNAVAILABLE');
  });

  it('answers 503 ANSWER_TOO_LARGE, not 500, for a record whose query answer is over the size limits (issue 34)', () => {
    noteErrorAsserted('ANSWER_TOO_LARGE');
    // What the dev server answers for a query result over 2 MiB, and sdk-core for one over 4 MiB.
    for (const message of ['Blob data size exceeds limit.', 'GRPC Message too large']) {
      const tooLarge = new QueryNotRegisteredError(message, 3);
      const mapped = fromTemporal(tooLarge);
      assert.equal(mapped?.code, 'ANSWER_TOO_LARGE', message);
      assert.equal(mapped?.status, 503);
      assert.equal(mapped?.cause, tooLarge);
    }
  });

  it('leaves any other query failure an internal error', () => {
    assert.equal(
      fromTemporal(new QueryNotRegisteredError('Workflow did not register a handler for status', 3)),
      undefined,
    );
  });

  it('asks a query the server lost again within the same deadline, and only a query with no answer (seed 560888668)', async () => {
    const deadlines: number[] = [];
    const within = async <T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> => {
      deadlines.push(timeoutMs);
      // The first ask is lost: no answer before its deadline.
      if (deadlines.length === 1) throw new ApiError('TEMPORAL_UNAVAILABLE');
      return fn();
    };
    assert.equal(await askedTwice(within, async () => 'the status', 10_000), 'the status');
    assert.deepEqual(deadlines, [5_000, 5_000]);

    // Any other failure is the answer: a case not found is not asked twice.
    let asks = 0;
    await assert.rejects(
      askedTwice(
        async (fn) => {
          asks += 1;
          return fn();
        },
        async () => {
          throw new ApiError('CASE_NOT_FOUND');
        },
        10_000,
      ),
      (err: unknown) => err instanceof ApiError && err.code === 'CASE_NOT_FOUND',
    );
    assert.equal(asks, 1);

    // Lost twice: 503 TEMPORAL_UNAVAILABLE, after the whole deadline and no more.
    const spent: number[] = [];
    await assert.rejects(
      askedTwice(
        async (_fn, timeoutMs) => {
          spent.push(timeoutMs);
          throw new ApiError('TEMPORAL_UNAVAILABLE');
        },
        async () => 'never',
        10_001,
      ),
      (err: unknown) => err instanceof ApiError && err.code === 'TEMPORAL_UNAVAILABLE',
    );
    assert.deepEqual(spent, [5_001, 5_000]);
  });
});
