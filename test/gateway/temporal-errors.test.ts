import assert from 'node:assert/strict';
import { QueryNotRegisteredError, ServiceError } from '@temporalio/client';
import { fromTemporal } from '../../gateway/temporal-errors';
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
});
