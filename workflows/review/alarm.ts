import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The review's one timer: set for the next wake-up, and kept while messages leave that instant where it was,
 * so a case starts one timer per wake-up instead of one per message (each is a billable action, and a timer
 * cancelled and started again for the same instant is churn in its history).
 */
export interface Alarm {
  /** Whether the timer set last has fired. */
  rung(): boolean;
  /** Keeps the timer when it is already set for `at` and has not fired; otherwise cancels it and sets one. */
  setFor(at: Date): void;
  /** Cancels the timer, if one is pending. */
  clear(): void;
}

export function createAlarm(): Alarm {
  let current: { at: number; rung: boolean; scope: CancellationScope } | undefined;
  return {
    rung: () => current?.rung === true,
    setFor(at) {
      if (current !== undefined && current.at === at.getTime() && !current.rung) return;
      current?.scope.cancel();
      const timer = { at: at.getTime(), rung: false, scope: new CancellationScope() };
      current = timer;
      timer.scope
        .run(() => sleep(timer.at - Date.now()))
        .then(
          () => (timer.rung = true),
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
    },
    clear() {
      current?.scope.cancel();
      current = undefined;
    },
  };
}
