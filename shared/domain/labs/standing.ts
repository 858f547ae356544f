/** A lab's trusted-partner status (./record.ts), which each case pins at its acceptance. */
export const LAB_STATUSES = ['PARTICIPANT', 'TRUSTED_PARTNER'] as const;
export type LabStatus = (typeof LAB_STATUSES)[number];

/** What a case pins at acceptance: the lab's status then, and since when it held it. */
export interface LabStanding {
  status: LabStatus;
  since?: string;
}
