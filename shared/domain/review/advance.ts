import { isDue, key } from './clock';
import { close } from './closing';
import { advanceDesignation } from './designation';
import { advanceDetermination, issueIncomplete, settleAtWindowEnd } from './determination';
import { offerExtensionIfAtRisk } from './extensions';
import { advanceInformation } from './information';
import { record } from './record';
import { corrected } from './rules';
import { advanceStage } from './stages';
import type { CaseState } from './state';

/**
 * Everything that happens because time passed, applied in order at `now`: an uncured deficiency closes the
 * case; a designating agency silent at its deadline leaves the screen's proposal standing; late answers are
 * noted; silent agencies become NO_RESPONSE and stages close; the determination is made; the window's end
 * closes the case; a window at risk is offered an extension.
 *
 * Rules 1 (release 1) checks the window first, so nothing is decided at the instant it ends. Rules 2 lets
 * everything due at that instant happen first, then settles the determination from what was recorded.
 */
export function advance(c: CaseState, now: Date): void {
  if (c.stage === 'CLOSED') return;
  if (c.stage === 'DEFICIENT') {
    if (isDue(c, key.supplement, now)) close(c, 'DEFICIENCY_NOT_CURED', now);
    return;
  }
  if (c.stage === 'DESIGNATION') {
    advanceDesignation(c, now);
    return;
  }
  if (c.acceptedAt === undefined) return;
  if (!corrected(c) && isDue(c, key.window, now)) return endWindow(c, now);
  advanceInformation(c, now);
  while (advanceStage(c, now) || advanceDetermination(c, now)) {
    // each pass moves the case on by one step; stop when nothing more is due
  }
  if (corrected(c) && isDue(c, key.window, now)) return endWindow(c, now);
  offerExtensionIfAtRisk(c, now);
}

function endWindow(c: CaseState, now: Date): void {
  const why = 'The pre-release window ended before the review finished';
  if (corrected(c)) settleAtWindowEnd(c, now, why);
  else issueIncomplete(c, why, now);
  record(c, now, 'system', 'WINDOW_ENDED', 'pre-release window ended; the lab is release-eligible', {
    releaseEligible: true,
    outcome: c.determination?.outcome,
  });
  close(c, 'WINDOW_ENDED', now);
}
