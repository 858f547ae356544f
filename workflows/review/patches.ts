/**
 * Every change to the review's commands since release 1, each guarded by its patch id (`patched()`): a case
 * started before the change replays without it, a case started after it runs with it. Remove an entry only
 * once no case started before it can still be open (deprecatePatch first), never rename one.
 */
export const PATCHES = {
  /** Release 2: inputs must be sealed by the gateway (shared/node/payload-codec.ts). */
  sealedPayloads: 'release-2-sealed-payloads',
  /** Release 2: a run continues as new before the server's limits (./index.ts). */
  continueAsNew: 'release-2-continue-as-new',
  /** Release 2: a new case runs under rules 2 (shared/domain/review/rules.ts), set when it starts. */
  rules2: 'release-2-rules-2',
  /** Release 2: a callback attempt heartbeats, so a cancellation reaches it and a dead worker is noticed in 30 s. */
  callbackHeartbeat: 'release-2-callback-heartbeat',
  /** Release 2: the search attributes name whose the next deadline is (ReviewNextParty), for lists. */
  nextParty: 'release-2-next-party',
  /** Release 2: a delivery that leaves the courier idle upserts the memo, so its task is never commandless (./courier.ts). */
  idleCourierLeavesTrace: 'release-2-idle-courier-leaves-trace',
  /** Release 2: a closure declared while the chair has the case moves the end of the chair's time (shared/domain/review/fixes.ts). */
  chairTimeFollowsClosures: 'release-2-chair-time-follows-closures',
  /** Release 2: one timer per wake-up instant, kept across messages that do not move it (./alarm.ts). */
  oneTimerPerWake: 'release-2-one-timer-per-wake',
  /** Release 2: intake's checks run as one activity, not four (activities/intake.ts). */
  oneIntakeActivity: 'release-2-one-intake-activity',
  /** Release 2: a run that starts with its search attributes set does not upsert them again (./index.ts). */
  startAttributes: 'release-2-start-attributes',
  /** Release 2: the pending callbacks go out in one activity, each its own request (./courier.ts). */
  callbackBatches: 'release-2-callback-batches',
  /** Release 2: a closed case ends by writing its signed permanent record (activities/archive.ts). */
  permanentRecord: 'release-2-permanent-record',
  /** Release 3: a new case runs under rules 3 (the designation: shared/domain/review/designation.ts). */
  rules3: 'release-3-rules-3',
  /** Release 4: a new case runs under rules 4 (commitments tracked: shared/domain/review/commitments.ts). */
  rules4: 'release-4-rules-4',
  /** Release 5: a new case runs under rules 5 (the lab's record: shared/domain/labs). */
  rules5: 'release-5-rules-5',
  /** Release 6: a new case runs under rules 6 (early access: shared/domain/review/grants.ts). */
  rules6: 'release-6-rules-6',
  /**
   * Release 7: a new case runs under rules 7 (deadlines counted precisely: shared/domain/counting.ts), and its
   * intake reads the government's state for the designation's clock too.
   */
  rules7: 'release-7-rules-7',
  /** Release 6: a message accepted while the loop awaited an activity wakes the next wait at once (./index.ts). */
  messagesMeanwhile: 'release-6-messages-meanwhile',
  /** Release 6: a callback that failed while the loop awaited an activity wakes the next wait at once (./index.ts). */
  callbacksMeanwhile: 'release-6-callbacks-meanwhile',
  /**
   * Release 7: time that passed while the loop awaited an activity (a lab's record unreachable for days) is
   * advanced through at once, so a deadline or threshold that fell meanwhile is acted on then (./index.ts).
   */
  timeMeanwhile: 'release-7-time-meanwhile',
  /**
   * Release 7: the memo keeps each awaited agency's own deadline (`awaitingDue`), upserted when it changes, so
   * an agency's inbox sorts by it without reading every case (shared/domain/review/search-attributes.ts).
   */
  awaitingDue: 'release-7-awaiting-due',
} as const;
