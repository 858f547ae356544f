/**
 * Every change to the commitment workflow's commands since release 4, each guarded by its patch id
 * (`patched()`): a commitment started before the change replays without it. Never rename one.
 */
export const COMMITMENT_PATCHES = {
  /** Release 5: each change of standing is told to the lab's record (activities/labs.ts). */
  reportsStanding: 'release-5-commitment-reports-standing',
} as const;
