import { isDue, key } from './clock';
import { close } from './closing';
import { advanceDetermination, issueIncomplete } from './determination';
import { offerExtensionIfAtRisk } from './extensions';
import { advanceInformation } from './information';
import { record } from './record';
import { advanceStage } from './stages';
import type { CaseState } from './state';

/**
 * Everything that happens because time passed, applied in order at `now`: an uncured deficiency closes the
 * case; the window's end closes it (an unfinished review is REVIEW_INCOMPLETE); late answers are noted; silent
 * agencies become NO_RESPONSE and stages close; the determination is made; a window at risk is offered an
 * extension. The window comes first so that nothing is decided at the instant it ends.
 */
export function advance(c: CaseState, now: Date): void {
  if (c.stage === 'CLOSED') return;
  if (c.stage === 'DEFICIENT') {
    if (isDue(c, key.supplement, now)) close(c, 'DEFICIENCY_NOT_CURED', now);
    return;
  }
  if (c.acceptedAt === undefined) return;
  if (isDue(c, key.window, now)) {
    issueIncomplete(c, 'The pre-release window ended before the review finished', now);
    record(c, now, 'system', 'WINDOW_ENDED', 'pre-release window ended; the lab is release-eligible', {
      releaseEligible: true,
      outcome: c.determination?.outcome,
    });
    close(c, 'WINDOW_ENDED', now);
    return;
  }
  advanceInformation(c, now);
  while (advanceStage(c, now) || advanceDetermination(c, now)) {
    // each pass moves the case on by one step; stop when nothing more is due
  }
  offerExtensionIfAtRisk(c, now);
}
