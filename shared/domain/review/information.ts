import { agencyPrincipal } from '../principal';
import { endToll, meet, toll } from '../deadlines';
import type { ReviewStageName } from '../policy';
import type { Actor } from '../principal';
import { iso } from '../time';
import { deadline, deadlineFrom, due, isDue, isPausedNow, key, updateDeadline } from './clock';
import { record } from './record';
import { calendarOf, corrected } from './rules';
import type { CaseState, InformationRequest } from './state';

/**
 * An agency asks the lab a question. Only that agency's deadline is tolled until the lab answers (capped in
 * total by policy); the lab has the policy's response time (3 business days) to answer.
 */
export function requestInformation(
  c: CaseState,
  stage: ReviewStageName,
  agency: string,
  questions: string[],
  now: Date,
) {
  const id = `${agency}-${c.informationRequests.filter((r) => r.agency === agency).length + 1}`;
  const agencyKey = key.agency(stage, agency);
  updateDeadline(c, agencyKey, (d) =>
    toll(d, { id, who: agencyPrincipal(agency), reason: 'INFORMATION_REQUEST', from: iso(now) }),
  );
  const answerBy = deadlineFrom(
    key.information(id),
    'lab',
    now,
    c.policy!.informationResponse,
    now,
    calendarOf(c),
  );
  c.deadlines[answerBy.key] = answerBy;
  const request: InformationRequest = {
    id,
    agency,
    stage,
    questions,
    askedAt: iso(now),
    dueAt: answerBy.baseDue,
    status: 'OPEN',
  };
  c.informationRequests.push(request);
  return record(
    c,
    now,
    agencyPrincipal(agency),
    'INFORMATION_REQUESTED',
    `${agency} asked ${questions.length} question(s)`,
    {
      requestId: id,
      agency,
      questions,
      answerDueAt: request.dueAt,
      tolledDeadline: `${stage} review deadline of ${agency}`,
    },
  );
}

/** The open request with this id, if the case has one. */
export const openRequest = (c: CaseState, requestId: string): InformationRequest | undefined =>
  c.informationRequests.find((r) => r.id === requestId && r.status === 'OPEN');

/** The agency's open request in a stage, if it has one. */
export const openRequestOf = (c: CaseState, stage: ReviewStageName, agency: string) =>
  c.informationRequests.find((r) => r.agency === agency && r.stage === stage && r.status === 'OPEN');

export function answerInformation(
  c: CaseState,
  r: InformationRequest,
  answer: string,
  actor: Actor,
  now: Date,
) {
  r.status = 'ANSWERED';
  r.answeredAt = iso(now);
  r.answer = answer;
  const agencyKey = key.agency(r.stage, r.agency);
  updateDeadline(c, agencyKey, (d) => endToll(d, r.id, now));
  updateDeadline(c, key.information(r.id), (d) => meet(d, now));
  return record(c, now, actor, 'INFORMATION_ANSWERED', `lab answered ${r.id}; ${r.agency}'s clock resumed`, {
    requestId: r.id,
    agency: r.agency,
    resumedDeadline: `${r.stage} review deadline of ${r.agency}`,
    newDueAt: iso(due(c, agencyKey, now)),
  });
}

/**
 * The lab is told once when its answer is late; the agency may then record UNABLE_TO_ASSESS. Under rules 2,
 * when the tolling cap stops an open request's toll, the lab and the agency are told that the agency's clock
 * runs again (CLOCK_RESUMED, TOLL_CAP).
 */
export function advanceInformation(c: CaseState, now: Date): boolean {
  let changed = false;
  if (corrected(c)) changed = announceTollCaps(c, now);
  for (const r of c.informationRequests) {
    if (r.status !== 'OPEN' || r.overdueNoticeAt !== undefined || !isDue(c, key.information(r.id), now))
      continue;
    r.overdueNoticeAt = iso(now);
    updateDeadline(c, key.information(r.id), (d) => meet(d, now));
    record(c, now, 'system', 'INFORMATION_OVERDUE', `the answer to ${r.id} is late`, {
      requestId: r.id,
      agency: r.agency,
    });
    changed = true;
  }
  return changed;
}

function announceTollCaps(c: CaseState, now: Date): boolean {
  let changed = false;
  for (const r of c.informationRequests) {
    if (r.status !== 'OPEN' || r.tollCapReachedAt !== undefined) continue;
    const k = key.agency(r.stage, r.agency);
    const d = deadline(c, k);
    const tolling = d.tolls.some((t) => t.id === r.id && t.to === undefined);
    // An open request's toll that no longer pauses the clock has used up the cap.
    if (d.metAt !== undefined || !tolling || isPausedNow(c, d, now)) continue;
    r.tollCapReachedAt = iso(now);
    record(
      c,
      now,
      'system',
      'CLOCK_RESUMED',
      `the tolling cap ended ${r.id}'s toll; ${r.agency}'s clock runs again`,
      {
        reason: 'TOLL_CAP',
        requestId: r.id,
        agency: r.agency,
        newDueAt: iso(due(c, k, now)),
      },
    );
    changed = true;
  }
  return changed;
}
