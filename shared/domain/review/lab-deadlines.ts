import { iso } from '../time';
import { due, key } from './clock';
import type { CaseState } from './state';
import { windowEnd } from './window';

/** The deadlines the lab is told about: its window and the government's stage and determination dates. */
export function labDeadlines(c: CaseState, now: Date) {
  return {
    windowEnd: iso(windowEnd(c)),
    nationalSecurityReview: iso(due(c, key.stage('NATIONAL_SECURITY'), now)),
    civilianReview: iso(due(c, key.stage('CIVILIAN'), now)),
    determination: iso(due(c, key.determination, now)),
  };
}
