import { findingCallbackBody } from '../../shared/domain/clearinghouse/callbacks';
import type { FindingRecord } from '../../shared/domain/clearinghouse/finding';
import { callbacksDone, createRecordCourier } from '../record-courier';

/** Every event the lab is due has been delivered or given up on. */
export const findingCallbacksDone = (r: FindingRecord): boolean => callbacksDone(r.callbacks);

/** The lab's callbacks for one finding, in order (../record-courier.ts). */
export const createFindingCourier = (r: FindingRecord) =>
  createRecordCourier({
    labId: r.filing.labId,
    url: r.filing.callbackUrl!,
    callbacks: () => r.callbacks,
    body: (cb) => findingCallbackBody(r, cb),
  });
