/**
 * A status callback a record (a finding, a commitment, a grant, a lab's record) queues for its lab until it is
 * delivered or given up on: the step it tells, and the record as that step left it. The record courier
 * (workflows/record-courier.ts) delivers them in order; a case's own callbacks keep their ledger
 * (./review/callbacks.ts).
 */
export interface QueuedCallback<T extends string = string> {
  seq: number;
  type: T;
  at: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  /** The record as this step left it, at the detail a callback may carry. */
  payload: Record<string, unknown>;
  attempts: number;
  deliveredAt?: string;
  error?: string;
}
