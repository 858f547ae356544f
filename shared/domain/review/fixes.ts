/**
 * Corrections to a rule after cases had started under it. Each changes what an open case does from the moment
 * it applies, so the workflow answers each with `patched()` (workflows/review/patches.ts): a history recorded
 * before the correction replays as it ran, and every case applies it from its next such moment on. Pure code
 * and its tests apply every correction.
 */
export interface Fixes {
  /** Rules 2: a closure declared after an escalation moves the end of the chair's minimum time too. */
  chairTimeFollowsClosures(): boolean;
}

export const EVERY_FIX: Fixes = { chairTimeFollowsClosures: () => true };
